#include "server/database_copy.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "calendars/time_text.h"
#include "server/stored_history.h"

namespace patchcast::server {
namespace {

using forecasting::DocumentRepository;
using forecasting::SeriesSummary;

// The error of a port, its message prefixed with what was being copied.
Error While(const std::string& what, const Error& error) {
  Error copied = error;
  copied.message = what + ": " + error.message;
  return copied;
}

std::string SeriesName(const std::string& id) { return "series '" + id + "'"; }

Status CheckTargetIsEmpty(const StorageEngine& to) {
  auto series = to.series->ListSeries("");
  if (!series) return While("reading the target's series", series.error());
  if (!series->empty()) {
    return Conflict("the target database is not empty: it holds series '" +
                    series->front().metadata.id + "'");
  }
  auto calendars = to.calendars->Load();
  if (!calendars) return While("reading the target's calendars", calendars.error());
  if (!calendars->definitions.empty()) {
    return Conflict("the target database is not empty: it holds calendar '" +
                    calendars->definitions.front().id + "'");
  }
  return {};
}

Status CopyCalendars(const StorageEngine& from, StorageEngine& to, DatabaseCounts& counts) {
  auto stored = from.calendars->Load();
  if (!stored) return While("reading calendars", stored.error());
  for (const calendars::CustomCalendarDefinition& definition : stored->definitions) {
    if (Status kept = to.calendars->InsertCalendar(definition); !kept) {
      return While("calendar '" + definition.id + "'", kept.error());
    }
    ++counts.calendars;
  }
  for (const calendars::Override& override_ : stored->overrides) {
    if (Status kept = to.calendars->InsertOverride(override_); !kept) {
      return While("override '" + override_.id + "' of calendar '" + override_.calendar_id + "'",
                   kept.error());
    }
    ++counts.overrides;
  }
  return {};
}

// The stored points of one window, NaN steps left out.
std::vector<forecasting::Point> StoredPoints(const forecasting::RegularSeries& steps) {
  std::vector<forecasting::Point> points;
  points.reserve(steps.size());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (!forecasting::RegularSeries::IsMissing(steps.values[i])) {
      points.push_back({steps.TimeAt(i), steps.values[i]});
    }
  }
  return points;
}

Status CopyPoints(const StorageEngine& from, StorageEngine& to, const SeriesSummary& series,
                  DatabaseCounts& counts) {
  return ForEachPointWindow(
      *from.series, series, [&](const forecasting::RegularSeries& steps) -> Status {
        const std::vector<forecasting::Point> points = StoredPoints(steps);
        if (points.empty()) return {};
        auto written =
            to.series->WritePoints(series.metadata, points, forecasting::OnConflict::kReject);
        if (!written) {
          return While(SeriesName(series.metadata.id) + ", points from " +
                           calendars::FormatUtcDateTime(steps.start),
                       written.error());
        }
        counts.points += written->accepted;
        return {};
      });
}

Status CopySettings(const StorageEngine& from, StorageEngine& to, DatabaseCounts& counts) {
  for (std::string_view name :
       {forecasting::kRebootPriorSetting, forecasting::kCapacityModelSetting,
        forecasting::kScheduleSetting}) {
    auto settings = from.settings->List(name);
    if (!settings) return While("reading settings '" + std::string(name) + "'", settings.error());
    for (const forecasting::StoredSetting& setting : *settings) {
      if (Status kept = to.settings->Put(setting); !kept) {
        return While(SeriesName(setting.series_id) + ", setting '" + setting.name + "'",
                     kept.error());
      }
      ++counts.settings;
    }
  }
  return {};
}

// Oldest first, as they were saved, so the target's retention keeps the same ones.
Status CopyDocuments(const DocumentRepository& from, DocumentRepository& to,
                     const std::string& series_id, std::size_t& count) {
  auto documents = from.ForSeries(series_id);
  if (!documents) return While(SeriesName(series_id) + ", reading documents", documents.error());
  std::reverse(documents->begin(), documents->end());
  for (const forecasting::StoredDocument& document : *documents) {
    if (Status kept = to.Save(document); !kept) {
      return While(SeriesName(series_id) + ", document '" + document.id + "'", kept.error());
    }
    ++count;
  }
  return {};
}

// After the forecasts, so that each scorecard records on its forecast when it next scores.
Status CopyScorecards(const StorageEngine& from, StorageEngine& to, const std::string& series_id,
                      DatabaseCounts& counts) {
  auto cards = from.scorecards->List(series_id, kEarliestKept, kLatestKept);
  if (!cards) return While(SeriesName(series_id) + ", reading scorecards", cards.error());
  for (const forecasting::ForecastScorecard& card : *cards) {
    if (Status kept = to.scorecards->Keep(card); !kept) {
      return While(SeriesName(series_id) + ", scorecard of '" + card.forecast_id + "'",
                   kept.error());
    }
    ++counts.scorecards;
  }
  return {};
}

Status CopyRuns(const StorageEngine& from, StorageEngine& to, const std::string& series_id,
                DatabaseCounts& counts) {
  auto runs = from.runs->List(series_id, kEarliestKept, kLatestKept, kAllRows);
  if (!runs) return While(SeriesName(series_id) + ", reading runs", runs.error());
  std::reverse(runs->begin(), runs->end());  // List gives the newest first
  for (const forecasting::RunRecord& run : *runs) {
    if (auto appended = to.runs->Append(run); !appended) {
      return While(SeriesName(series_id) + ", run " + std::to_string(run.id), appended.error());
    }
    ++counts.runs;
  }
  return {};
}

Status CopySurgeAlerts(const StorageEngine& from, StorageEngine& to, const std::string& series_id,
                       DatabaseCounts& counts) {
  auto alerts = from.surges->List(series_id, kEarliestKept, kLatestKept, kAllRows);
  if (!alerts) return While(SeriesName(series_id) + ", reading surge alerts", alerts.error());
  std::reverse(alerts->begin(), alerts->end());  // List gives the newest first
  for (const forecasting::SurgeAlert& alert : *alerts) {
    if (Status kept = to.surges->Record(alert); !kept) {
      return While(SeriesName(series_id) + ", surge alert of event '" + alert.event_id + "'",
                   kept.error());
    }
    ++counts.surge_alerts;
  }
  return {};
}

// A series and everything kept for it. Its settings are copied with all the others.
Status CopySeries(const StorageEngine& from, StorageEngine& to, const SeriesSummary& series,
                  DatabaseCounts& counts) {
  const std::string& id = series.metadata.id;
  if (auto created = to.series->PutSeries(series.metadata); !created) {
    return While(SeriesName(id), created.error());
  }
  ++counts.series;
  if (Status copied = CopyPoints(from, to, series, counts); !copied) return copied;
  if (Status copied = CopyDocuments(*from.forecasts, *to.forecasts, id, counts.forecasts);
      !copied) {
    return copied;
  }
  if (Status copied = CopyDocuments(*from.plans, *to.plans, id, counts.plans); !copied) {
    return copied;
  }
  if (Status copied = CopyScorecards(from, to, id, counts); !copied) return copied;
  if (Status copied = CopyRuns(from, to, id, counts); !copied) return copied;
  return CopySurgeAlerts(from, to, id, counts);
}

}  // namespace

Result<DatabaseCounts> CopyDatabase(const StorageEngine& from, StorageEngine& to) {
  if (Status empty = CheckTargetIsEmpty(to); !empty) return empty.error();
  DatabaseCounts counts;
  if (Status copied = CopyCalendars(from, to, counts); !copied) return copied.error();
  auto series = from.series->ListSeries("");
  if (!series) return While("reading series", series.error());
  for (const SeriesSummary& one : *series) {
    if (Status copied = CopySeries(from, to, one, counts); !copied) return copied.error();
  }
  if (Status copied = CopySettings(from, to, counts); !copied) return copied.error();
  return counts;
}

}  // namespace patchcast::server
