// The recurrence examples of RFC 5545 section 3.8.5.3, transcribed as table data: every example
// within our subset with the occurrences the RFC lists, and every example outside it with the error
// naming the part. "All examples assume the Eastern United States time zone"; each run below is one
// of the RFC's "(1997 9:00 AM EDT) September 2,4,..." groups, with EDT = UTC-4 and EST = UTC-5.
// Lists the RFC ends with "..." are checked as prefixes of the expansion.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "calendars/recurrence_set.h"
#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

constexpr int kEdt = -4;
constexpr int kEst = -5;

// The RFC's "(<year> 9:00 AM <zone>) <Month> d,d,d" group.
struct Run {
  int utc_offset_hours;
  int year;
  unsigned month;
  std::vector<unsigned> days;
};

struct Example {
  const char* title;
  const char* ical;  // DTSTART / RRULE / EXDATE lines as printed in the RFC
  std::vector<Run> runs;
  bool forever;  // the RFC's list ends in "...": compare a prefix
};

std::vector<unsigned> Range(unsigned first, unsigned last, unsigned step = 1) {
  std::vector<unsigned> days;
  for (unsigned d = first; d <= last; d += step) days.push_back(d);
  return days;
}

const std::vector<Example>& Examples() {
  static const std::vector<Example> examples = {
      {"Daily for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=DAILY;COUNT=10",
       {{kEdt, 1997, 9, Range(2, 11)}},
       false},
      {"Daily until December 24, 1997",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=DAILY;UNTIL=19971224T000000Z",
       {{kEdt, 1997, 9, Range(2, 30)},
        {kEdt, 1997, 10, Range(1, 25)},
        {kEst, 1997, 10, Range(26, 31)},
        {kEst, 1997, 11, Range(1, 30)},
        {kEst, 1997, 12, Range(1, 23)}},
       false},
      {"Every other day - forever",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=DAILY;INTERVAL=2",
       {{kEdt, 1997, 9, Range(2, 30, 2)},
        {kEdt, 1997, 10, Range(2, 24, 2)},
        {kEst, 1997, 10, {26, 28, 30}},
        {kEst, 1997, 11, Range(1, 29, 2)},
        {kEst, 1997, 12, {1, 3}}},
       true},
      {"Every 10 days, 5 occurrences",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=DAILY;INTERVAL=10;COUNT=5",
       {{kEdt, 1997, 9, {2, 12, 22}}, {kEdt, 1997, 10, {2, 12}}},
       false},
      {"Every day in January, for 3 years (YEARLY)",
       "DTSTART;TZID=America/New_York:19980101T090000\n"
       "RRULE:FREQ=YEARLY;UNTIL=20000131T140000Z;\n BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
       {{kEst, 1998, 1, Range(1, 31)},
        {kEst, 1999, 1, Range(1, 31)},
        {kEst, 2000, 1, Range(1, 31)}},
       false},
      {"Every day in January, for 3 years (DAILY)",
       "DTSTART;TZID=America/New_York:19980101T090000\n"
       "RRULE:FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
       {{kEst, 1998, 1, Range(1, 31)},
        {kEst, 1999, 1, Range(1, 31)},
        {kEst, 2000, 1, Range(1, 31)}},
       false},
      {"Weekly for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=WEEKLY;COUNT=10",
       {{kEdt, 1997, 9, {2, 9, 16, 23, 30}},
        {kEdt, 1997, 10, {7, 14, 21}},
        {kEst, 1997, 10, {28}},
        {kEst, 1997, 11, {4}}},
       false},
      {"Weekly until December 24, 1997",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=WEEKLY;UNTIL=19971224T000000Z",
       {{kEdt, 1997, 9, {2, 9, 16, 23, 30}},
        {kEdt, 1997, 10, {7, 14, 21}},
        {kEst, 1997, 10, {28}},
        {kEst, 1997, 11, {4, 11, 18, 25}},
        {kEst, 1997, 12, {2, 9, 16, 23}}},
       false},
      {"Every other week - forever",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;WKST=SU",
       {{kEdt, 1997, 9, {2, 16, 30}},
        {kEdt, 1997, 10, {14}},
        {kEst, 1997, 10, {28}},
        {kEst, 1997, 11, {11, 25}},
        {kEst, 1997, 12, {9, 23}},
        {kEst, 1998, 1, {6, 20}},
        {kEst, 1998, 2, {3, 17}}},
       true},
      {"Weekly on Tuesday and Thursday for five weeks (UNTIL)",
       "DTSTART;TZID=America/New_York:19970902T090000\n"
       "RRULE:FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
       {{kEdt, 1997, 9, {2, 4, 9, 11, 16, 18, 23, 25, 30}}, {kEdt, 1997, 10, {2}}},
       false},
      {"Weekly on Tuesday and Thursday for five weeks (COUNT)",
       "DTSTART;TZID=America/New_York:19970902T090000\n"
       "RRULE:FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
       {{kEdt, 1997, 9, {2, 4, 9, 11, 16, 18, 23, 25, 30}}, {kEdt, 1997, 10, {2}}},
       false},
      {"Every other week on Monday, Wednesday, and Friday until December 24, 1997",
       "DTSTART;TZID=America/New_York:19970901T090000\n"
       "RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;\n BYDAY=MO,WE,FR",
       {{kEdt, 1997, 9, {1, 3, 5, 15, 17, 19, 29}},
        {kEdt, 1997, 10, {1, 3, 13, 15, 17}},
        {kEst, 1997, 10, {27, 29, 31}},
        {kEst, 1997, 11, {10, 12, 14, 24, 26, 28}},
        {kEst, 1997, 12, {8, 10, 12, 22}}},
       false},
      {"Every other week on Tuesday and Thursday, for 8 occurrences",
       "DTSTART;TZID=America/New_York:19970902T090000\n"
       "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
       {{kEdt, 1997, 9, {2, 4, 16, 18, 30}}, {kEdt, 1997, 10, {2, 14, 16}}},
       false},
      {"Monthly on the first Friday for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970905T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
       {{kEdt, 1997, 9, {5}},
        {kEdt, 1997, 10, {3}},
        {kEst, 1997, 11, {7}},
        {kEst, 1997, 12, {5}},
        {kEst, 1998, 1, {2}},
        {kEst, 1998, 2, {6}},
        {kEst, 1998, 3, {6}},
        {kEst, 1998, 4, {3}},
        {kEdt, 1998, 5, {1}},
        {kEdt, 1998, 6, {5}}},
       false},
      {"Monthly on the first Friday until December 24, 1997",
       "DTSTART;TZID=America/New_York:19970905T090000\n"
       "RRULE:FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
       {{kEdt, 1997, 9, {5}}, {kEdt, 1997, 10, {3}}, {kEst, 1997, 11, {7}}, {kEst, 1997, 12, {5}}},
       false},
      {"Every other month on the first and last Sunday of the month for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970907T090000\n"
       "RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
       {{kEdt, 1997, 9, {7, 28}},
        {kEst, 1997, 11, {2, 30}},
        {kEst, 1998, 1, {4, 25}},
        {kEst, 1998, 3, {1, 29}},
        {kEdt, 1998, 5, {3, 31}}},
       false},
      {"Monthly on the second-to-last Monday of the month for 6 months",
       "DTSTART;TZID=America/New_York:19970922T090000\nRRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
       {{kEdt, 1997, 9, {22}},
        {kEdt, 1997, 10, {20}},
        {kEst, 1997, 11, {17}},
        {kEst, 1997, 12, {22}},
        {kEst, 1998, 1, {19}},
        {kEst, 1998, 2, {16}}},
       false},
      {"Monthly on the third-to-the-last day of the month, forever",
       "DTSTART;TZID=America/New_York:19970928T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-3",
       {{kEdt, 1997, 9, {28}},
        {kEst, 1997, 10, {29}},
        {kEst, 1997, 11, {28}},
        {kEst, 1997, 12, {29}},
        {kEst, 1998, 1, {29}},
        {kEst, 1998, 2, {26}}},
       true},
      {"Monthly on the 2nd and 15th of the month for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
       {{kEdt, 1997, 9, {2, 15}},
        {kEdt, 1997, 10, {2, 15}},
        {kEst, 1997, 11, {2, 15}},
        {kEst, 1997, 12, {2, 15}},
        {kEst, 1998, 1, {2, 15}}},
       false},
      {"Monthly on the first and last day of the month for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970930T090000\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
       {{kEdt, 1997, 9, {30}},
        {kEdt, 1997, 10, {1}},
        {kEst, 1997, 10, {31}},
        {kEst, 1997, 11, {1, 30}},
        {kEst, 1997, 12, {1, 31}},
        {kEst, 1998, 1, {1, 31}},
        {kEst, 1998, 2, {1}}},
       false},
      {"Every 18 months on the 10th thru 15th of the month for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970910T090000\n"
       "RRULE:FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,\n 13,14,15",
       {{kEdt, 1997, 9, {10, 11, 12, 13, 14, 15}}, {kEst, 1999, 3, {10, 11, 12, 13}}},
       false},
      {"Every Tuesday, every other month",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
       {{kEdt, 1997, 9, {2, 9, 16, 23, 30}},
        {kEst, 1997, 11, {4, 11, 18, 25}},
        {kEst, 1998, 1, {6, 13, 20, 27}},
        {kEst, 1998, 3, {3, 10, 17, 24, 31}}},
       true},
      {"Yearly in June and July for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970610T090000\nRRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
       {{kEdt, 1997, 6, {10}},
        {kEdt, 1997, 7, {10}},
        {kEdt, 1998, 6, {10}},
        {kEdt, 1998, 7, {10}},
        {kEdt, 1999, 6, {10}},
        {kEdt, 1999, 7, {10}},
        {kEdt, 2000, 6, {10}},
        {kEdt, 2000, 7, {10}},
        {kEdt, 2001, 6, {10}},
        {kEdt, 2001, 7, {10}}},
       false},
      {"Every other year on January, February, and March for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970310T090000\n"
       "RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
       {{kEst, 1997, 3, {10}},
        {kEst, 1999, 1, {10}},
        {kEst, 1999, 2, {10}},
        {kEst, 1999, 3, {10}},
        {kEst, 2001, 1, {10}},
        {kEst, 2001, 2, {10}},
        {kEst, 2001, 3, {10}},
        {kEst, 2003, 1, {10}},
        {kEst, 2003, 2, {10}},
        {kEst, 2003, 3, {10}}},
       false},
      {"Every 20th Monday of the year, forever",
       "DTSTART;TZID=America/New_York:19970519T090000\nRRULE:FREQ=YEARLY;BYDAY=20MO",
       {{kEdt, 1997, 5, {19}}, {kEdt, 1998, 5, {18}}, {kEdt, 1999, 5, {17}}},
       true},
      {"Every Thursday in March, forever",
       "DTSTART;TZID=America/New_York:19970313T090000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
       {{kEst, 1997, 3, {13, 20, 27}},
        {kEst, 1998, 3, {5, 12, 19, 26}},
        {kEst, 1999, 3, {4, 11, 18, 25}}},
       true},
      {"Every Thursday, but only during June, July, and August, forever",
       "DTSTART;TZID=America/New_York:19970605T090000\nRRULE:FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8",
       {{kEdt, 1997, 6, {5, 12, 19, 26}},
        {kEdt, 1997, 7, {3, 10, 17, 24, 31}},
        {kEdt, 1997, 8, {7, 14, 21, 28}},
        {kEdt, 1998, 6, {4, 11, 18, 25}},
        {kEdt, 1998, 7, {2, 9, 16, 23, 30}},
        {kEdt, 1998, 8, {6, 13, 20, 27}},
        {kEdt, 1999, 6, {3, 10, 17, 24}},
        {kEdt, 1999, 7, {1, 8, 15, 22, 29}},
        {kEdt, 1999, 8, {5, 12, 19, 26}}},
       true},
      {"Every Friday the 13th, forever",
       "DTSTART;TZID=America/New_York:19970902T090000\n"
       "EXDATE;TZID=America/New_York:19970902T090000\n"
       "RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
       {{kEst, 1998, 2, {13}},
        {kEst, 1998, 3, {13}},
        {kEst, 1998, 11, {13}},
        {kEdt, 1999, 8, {13}},
        {kEdt, 2000, 10, {13}}},
       true},
      {"The first Saturday that follows the first Sunday of the month, forever",
       "DTSTART;TZID=America/New_York:19970913T090000\n"
       "RRULE:FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
       {{kEdt, 1997, 9, {13}},
        {kEdt, 1997, 10, {11}},
        {kEst, 1997, 11, {8}},
        {kEst, 1997, 12, {13}},
        {kEst, 1998, 1, {10}},
        {kEst, 1998, 2, {7}},
        {kEst, 1998, 3, {7}},
        {kEdt, 1998, 4, {11}},
        {kEdt, 1998, 5, {9}},
        {kEdt, 1998, 6, {13}}},
       true},
      {"Every 4 years, the first Tuesday after a Monday in November, forever",
       "DTSTART;TZID=America/New_York:19961105T090000\n"
       "RRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;\n BYMONTHDAY=2,3,4,5,6,7,8",
       {{kEst, 1996, 11, {5}}, {kEst, 2000, 11, {7}}, {kEst, 2004, 11, {2}}},
       true},
      {"The third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next "
       "3 months",
       "DTSTART;TZID=America/New_York:19970904T090000\n"
       "RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
       {{kEdt, 1997, 9, {4}}, {kEdt, 1997, 10, {7}}, {kEst, 1997, 11, {6}}},
       false},
      {"The second-to-last weekday of the month",
       "DTSTART;TZID=America/New_York:19970929T090000\n"
       "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
       {{kEdt, 1997, 9, {29}},
        {kEst, 1997, 10, {30}},
        {kEst, 1997, 11, {27}},
        {kEst, 1997, 12, {30}},
        {kEst, 1998, 1, {29}},
        {kEst, 1998, 2, {26}},
        {kEst, 1998, 3, {30}}},
       true},
      {"An example where the days generated makes a difference because of WKST (MO)",
       "DTSTART;TZID=America/New_York:19970805T090000\n"
       "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
       {{kEdt, 1997, 8, {5, 10, 19, 24}}},
       false},
      {"Changing only WKST from MO to SU yields different results",
       "DTSTART;TZID=America/New_York:19970805T090000\n"
       "RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
       {{kEdt, 1997, 8, {5, 17, 19, 31}}},
       false},
      {"An example where an invalid date (i.e., February 30) is ignored",
       "DTSTART;TZID=America/New_York:20070115T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
       {{kEst, 2007, 1, {15, 30}}, {kEst, 2007, 2, {15}}, {kEdt, 2007, 3, {15, 30}}},
       false},
  };
  return examples;
}

TEST_CASE("every RFC 5545 RRULE example within the subset yields the occurrences the RFC lists") {
  for (const Example& example : Examples()) {
    CAPTURE(example.title);
    const Result<RecurrenceSet> set = ParseRecurrenceSet(example.ical);
    REQUIRE_MESSAGE(set.has_value(), (set ? std::string() : set.error().message));

    std::vector<std::string> expected;
    for (const Run& run : example.runs) {
      for (unsigned day : run.days) {
        const date::local_days local{date::year{run.year} / date::month{run.month} /
                                     date::day{day}};
        const date::local_seconds nine = local + std::chrono::hours{9};
        expected.push_back(
            FormatLocalDateTime(nine) + " " +
            FormatUtcDateTime(testing::AsUtc(nine) - std::chrono::hours{run.utc_offset_hours}));
      }
    }
    // Thirty years from DTSTART holds every listed occurrence; a "forever" rule is cut after the
    // listed prefix, which must then report more.
    const std::chrono::sys_seconds from = testing::AsUtc(set->dtstart);
    const TimeRange range{from, from + date::years{30}};
    const Expansion expansion =
        ExpandRecurrence(*set, range, example.forever ? expected.size() : 10'000);
    std::vector<std::string> actual;
    for (const Occurrence& occurrence : expansion.occurrences) {
      actual.push_back(FormatLocalDateTime(occurrence.local) + " " +
                       FormatUtcDateTime(occurrence.utc));
    }
    CHECK(actual == expected);
    CHECK(expansion.truncated == example.forever);
  }
}

TEST_CASE("RFC 5545 examples outside the subset are refused with an error naming the part") {
  struct Refused {
    const char* title;
    const char* ical;
    const char* message;
  };
  const Refused refused[] = {
      {"Every third year on the 1st, 100th, and 200th day for 10 occurrences",
       "DTSTART;TZID=America/New_York:19970101T090000\n"
       "RRULE:FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
       "RRULE part BYYEARDAY is not supported"},
      {"Monday of week number 20 (where the default start of the week is Monday), forever",
       "DTSTART;TZID=America/New_York:19970512T090000\nRRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
       "RRULE part BYWEEKNO is not supported"},
      {"Every 3 hours from 9:00 AM to 5:00 PM on a specific day",
       "DTSTART;TZID=America/New_York:19970902T090000\n"
       "RRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z",
       "RRULE FREQ=HOURLY is not supported"},
      {"Every 15 minutes for 6 occurrences",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=6",
       "RRULE FREQ=MINUTELY is not supported"},
      {"Every hour and a half for 4 occurrences",
       "DTSTART;TZID=America/New_York:19970902T090000\nRRULE:FREQ=MINUTELY;INTERVAL=90;COUNT=4",
       "RRULE FREQ=MINUTELY is not supported"},
      {"Every 20 minutes from 9:00 AM to 4:40 PM every day (DAILY)",
       "DTSTART;TZID=America/New_York:19970902T090000\n"
       "RRULE:FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
       "RRULE part BYHOUR is not supported"},
      {"Every 20 minutes from 9:00 AM to 4:40 PM every day (MINUTELY)",
       "DTSTART;TZID=America/New_York:19970902T090000\n"
       "RRULE:FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",
       "RRULE FREQ=MINUTELY is not supported"},
  };
  for (const Refused& example : refused) {
    CAPTURE(example.title);
    const Result<RecurrenceSet> set = ParseRecurrenceSet(example.ical);
    REQUIRE_FALSE(set.has_value());
    CHECK(set.error().code == ErrorCode::kUnprocessable);
    CHECK(set.error().message == example.message);
  }
}

}  // namespace
}  // namespace patchcast::calendars
