#include "calendars/msrc_history.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Day;

const char* const kHeader = "date,kind,id,note,source\n";

TEST_CASE("a well-formed history parses into dated, sorted rows") {
  const std::string csv = std::string(kHeader) +
                          "2007-08-14,patch_tuesday,MS07-042;MS07-043,second Tuesday,DOCS\n"
                          "2003-12-09,no_release,,\"no bulletins (eWeek, Dec 2003)\",PRESS\r\n"
                          "\n"
                          "2007-08-09,advance_notice,ANS for 2007-Aug,\"says \"\"hi\"\"\",DOCS";
  const Result<MsrcHistory> history = ParseMsrcHistory(csv);
  REQUIRE(history.has_value());
  REQUIRE(history->rows.size() == 3);
  CHECK(history->rows[0].date == date::year{2003} / 12 / 9);
  CHECK(history->rows[0].kind == HistoryKind::kNoRelease);
  CHECK(history->rows[0].note == "no bulletins (eWeek, Dec 2003)");
  CHECK(history->rows[0].line == 3);
  CHECK(history->rows[1].kind == HistoryKind::kAdvanceNotice);
  CHECK(history->rows[1].note == "says \"hi\"");
  CHECK(history->rows[2].ids == "MS07-042;MS07-043");
  CHECK(history->rows[2].source == "DOCS");
  CHECK(history->first_month == date::year{2003} / date::December);
  CHECK(history->last_month == date::year{2007} / date::August);
}

TEST_CASE("history parse errors name the line and the offending value") {
  struct Case {
    std::string csv;
    const char* message;
  };
  const Case cases[] = {
      {"date,kind,id,note\n2007-08-14,patch_tuesday,,,\n",
       "line 1: header must be 'date,kind,id,note,source'"},
      {std::string(kHeader) + "2007-08-14,patch_tuesday,,\n", "line 2: expected 5 fields, found 4"},
      {std::string(kHeader) + "2007-08-14,patch_tuesday,,,\n2003-02-30,no_release,,,\n",
       "line 3: '2003-02-30' is not a valid date"},
      {std::string(kHeader) + "2007-08-14,patch_wednesday,,,\n",
       "line 2: unknown kind 'patch_wednesday'"},
      {std::string(kHeader) + "2007-08-14,patch_tuesday,,\"open,\n",
       "line 2: unterminated quoted field"},
      {std::string(kHeader) + "2007-08-14,patch_tuesday,,\"a\"b,\n",
       "line 2: unexpected text after a quoted field"},
      {kHeader, "the history has no rows"},
      {"", "line 1: header must be 'date,kind,id,note,source'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.csv);
    const Result<MsrcHistory> history = ParseMsrcHistory(c.csv);
    REQUIRE_FALSE(history.has_value());
    CHECK(history.error().code == ErrorCode::kInvalidArgument);
    CHECK(history.error().message == c.message);
  }
}

TEST_CASE("the compiled-in history parses and spans 2003-01 to 2026-08") {
  const Result<MsrcHistory>& history = EmbeddedMsrcHistory();
  REQUIRE(history.has_value());
  CHECK(history->rows.size() == 485);
  CHECK(history->first_month == date::year{2003} / date::January);
  CHECK(history->last_month == date::year{2026} / date::August);
  CHECK(&EmbeddedMsrcHistory() == &history);  // parsed once
}

TEST_CASE("bulletins are counted only when every id is an MS bulletin") {
  CHECK(CountBulletins("MS07-042;MS07-043;MS07-044") == 3);
  CHECK(CountBulletins("MS08-067") == 1);
  CHECK(CountBulletins("KB4056890") == std::nullopt);
  CHECK(CountBulletins("MSRC 2019-May") == std::nullopt);
  CHECK(CountBulletins("MS08-067;KB123") == std::nullopt);
  CHECK(CountBulletins("") == std::nullopt);
  CHECK(CountBulletins("MS08-67") == std::nullopt);
}

TEST_CASE("history kinds have their CSV names") {
  CHECK(ToString(HistoryKind::kPatchTuesday) == "patch_tuesday");
  CHECK(ToString(HistoryKind::kNoRelease) == "no_release");
  CHECK(ToString(HistoryKind::kOutOfBand) == "out_of_band");
  CHECK(ToString(HistoryKind::kAdvanceNotice) == "advance_notice");
  CHECK(ToString(HistoryKind::kPreSchedule) == "pre_schedule");
}

}  // namespace
}  // namespace patchcast::calendars
