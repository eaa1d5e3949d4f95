// InMemoryPlanning: the planning service and api::PlanMaker, wired as main wires them (records kept
// as documents, ids from a mint), over in-memory stores and a fixed clock, with a way to add a
// series the forecaster can use and to store a series' capacity model, and the scheduled runs'
// job, schedule store and log: for the tests of the forecast, plan and schedule routes, the
// scheduler and the `patchcast plan` command's shared part. Not movable (the
// services refer to its members); not thread-safe.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "api/capacity_model_json.h"
#include "api/document_record_store.h"
#include "api/forecast_plan_job.h"
#include "api/plan_maker.h"
#include "api/record_mint.h"
#include "api/series_settings.h"
#include "api/settings_schedule_store.h"
#include "forecasting/calendar_catalog.h"
#include "forecasting/forecast_service.h"
#include "forecasting/planning_service.h"
#include "tests/support/fake_services.h"
#include "tests/support/in_memory_calendar_repository.h"
#include "tests/support/in_memory_document_repository.h"
#include "tests/support/in_memory_run_log.h"
#include "tests/support/in_memory_scorecard_store.h"
#include "tests/support/in_memory_series_repository.h"
#include "tests/support/in_memory_series_settings_repository.h"
#include "tests/support/in_memory_surge_alert_log.h"

namespace patchcast::testing {

struct InMemoryPlanning {
  InMemorySeriesRepository series;
  InMemoryForecastRepository forecasts;
  InMemoryPlanRepository plans;
  InMemorySeriesSettingsRepository settings_repository;
  api::SeriesSettings settings{settings_repository};
  InMemoryCalendarRepository calendar_repository;
  std::unique_ptr<forecasting::CalendarCatalog> calendars;
  std::unique_ptr<forecasting::ForecastService> service;
  FixedClock clock;
  int forecasts_made = 0;
  int plans_made = 0;
  api::DocumentForecastStore forecast_store{forecasts};
  api::DocumentPlanStore plan_store{plans};
  std::unique_ptr<forecasting::PlanningService> planning;
  api::RecordMint mint{clock, [this] { return "fc-" + std::to_string(++forecasts_made); },
                       [this] { return "plan-" + std::to_string(++plans_made); }};
  std::unique_ptr<api::PlanMaker> maker;
  std::unique_ptr<api::ForecastPlanJob> job;  // a scheduled run's work
  api::SettingsScheduleStore schedules{settings_repository};
  InMemoryRunLog runs;
  InMemoryScorecardStore scorecards{forecasts, series};
  InMemorySurgeAlertLog surge_alerts;

  // The clock stands at 2026-11-18; forecast ids are "fc-1", "fc-2", …, plan ids "plan-1", ….
  InMemoryPlanning() {
    auto opened = forecasting::CalendarCatalog::Open(calendar_repository, SequentialIds{});
    REQUIRE(opened);
    calendars = std::move(*opened);
    service = std::make_unique<forecasting::ForecastService>(series, *calendars, &settings);
    planning = std::make_unique<forecasting::PlanningService>(*service, forecast_store, plan_store);
    maker = std::make_unique<api::PlanMaker>(api::PlanMakerContext{*planning, settings, mint});
    job = std::make_unique<api::ForecastPlanJob>(
        api::ForecastPlanJobContext{*planning, settings, *maker, mint});
  }
  InMemoryPlanning(const InMemoryPlanning&) = delete;
  InMemoryPlanning& operator=(const InMemoryPlanning&) = delete;

  // Adds series `id`: `days` of hourly logins up to `end` (exclusive), a daily cycle from 3,600 to
  // 10,800 logins an hour (1 to 3 a second).
  void AddHourlySeries(const std::string& id, int days, std::chrono::sys_seconds end) {
    const forecasting::SeriesMetadata metadata{id, std::chrono::hours{1}, "logins", "", {}};
    std::vector<forecasting::Point> points;
    for (int hour = 0; hour < days * 24; ++hour) {
      const double phase = 2 * std::numbers::pi * (hour % 24) / 24.0;
      points.push_back({end - std::chrono::hours{days * 24 - hour}, 7200 - 3600 * std::cos(phase)});
    }
    REQUIRE(series.WritePoints(metadata, points, forecasting::OnConflict::kReplace));
  }

  // Stores `id`'s capacity model, as PUT /v1/series/{id}/capacity-model would: `unit_capacity`
  // logins a second per unit, the rest CapacityModel's defaults.
  void StoreCapacityModel(const std::string& id, double unit_capacity) {
    forecasting::CapacityModel model;
    model.unit_capacity = unit_capacity;
    REQUIRE(settings_repository.Put({id, std::string(forecasting::kCapacityModelSetting),
                                     std::chrono::sys_seconds{},
                                     api::CapacityModelJson(model).dump()}));
  }
};

}  // namespace patchcast::testing
