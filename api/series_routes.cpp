#include "api/series_routes.h"

#include <charconv>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/error_response.h"
#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/json_response.h"
#include "api/point_text.h"
#include "api/points_csv.h"
#include "api/points_json.h"
#include "api/query_params.h"
#include "api/series_access.h"
#include "api/series_json.h"
#include "api/timestamp_format.h"
#include "forecasting/downsample.h"

namespace patchcast::api {
namespace {

using forecasting::SeriesMetadata;
using forecasting::SeriesRepository;
using forecasting::SeriesSummary;
using nlohmann::json;
using std::chrono::seconds;
using std::chrono::sys_seconds;

// Returns the value of query parameter `name`, which must be one of `choices` (the first is the
// default).
Result<std::string> ChoiceParameter(const Request& request, std::string_view name,
                                    std::initializer_list<std::string_view> choices) {
  auto text = request.Query(name);
  if (!text) return std::string(*choices.begin());
  std::string listed;
  for (std::string_view choice : choices) {
    if (*text == choice) return std::string(choice);
    listed += (listed.empty() ? "" : ", ") + std::string(choice);
  }
  return InvalidArgument("query parameter '" + std::string(name) + "' must be one of " + listed +
                         ", not '" + std::string(*text) + "'");
}

class SeriesHandlers {
 public:
  SeriesHandlers(SeriesRepository& repository, const Clock& clock, SeriesLimits limits)
      : repository_(repository), clock_(clock), limits_(limits) {}

  Result<Response> List(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto listed = repository_.ListSeries(request.principal->series_prefix);
    if (!listed) return listed.error();
    json series = json::array();
    for (const SeriesSummary& summary : *listed) series.push_back(SummaryJson(summary));
    return JsonResponse({{"series", std::move(series)}});
  }

  Result<Response> Get(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto summary = Find(request);
    if (!summary) return summary.error();
    return JsonResponse(SummaryJson(*summary));
  }

  Result<Response> Put(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto id = VisibleSeriesId(request);
    if (!id) return id.error();
    auto body = ParseJsonObject(request.body, /*allow_empty=*/true);
    if (!body) return body.error();
    auto metadata = ParseSeriesMetadata(*id, *body);
    if (!metadata) return metadata.error();
    auto created = repository_.PutSeries(*metadata);
    if (!created) return created.error();
    auto summary = repository_.GetSeries(*id);
    if (!summary) return summary.error();
    Response response = JsonResponse(SummaryJson(*summary), *created ? 201 : 200);
    if (*created) response.headers.Set("Location", "/v1/series/" + *id);
    return response;
  }

  Result<Response> Delete(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto id = VisibleSeriesId(request);
    if (!id) return id.error();
    if (Status deleted = repository_.DeleteSeries(*id); !deleted) return deleted.error();
    return NoContent();
  }

  Result<Response> Upload(const Request& request) const {
    if (Status query = CheckQuery(request, {"align", "on_conflict", "step_seconds"}); !query) {
      return query.error();
    }
    auto id = VisibleSeriesId(request);
    if (!id) return id.error();
    auto align = ChoiceParameter(request, "align", {"exact", "floor"});
    if (!align) return align.error();
    auto on_conflict = ChoiceParameter(request, "on_conflict", {"replace", "reject"});
    if (!on_conflict) return on_conflict.error();
    auto step_parameter = IntegerParameter(request, "step_seconds", 1, 86400);
    if (!step_parameter) return step_parameter.error();

    const ParseLimits parse_limits{limits_.max_points_per_upload};
    const bool csv = MediaType(request.headers.Get("Content-Type").value_or("")) == "text/csv";
    auto parsed = csv ? ParsePointsCsv(request.body, parse_limits)
                      : ParsePointsJson(request.body, parse_limits);
    if (!parsed) {
      if (IsTooManyPoints(parsed.error())) {
        return ErrorResponse(413, "payload_too_large", parsed.error().message, request.request_id);
      }
      return parsed.error();
    }

    auto series = SeriesFor(*id, *step_parameter, parsed->points);
    if (!series) return series.error();
    forecasting::PointValidationOptions options;
    options.align_floor = *align == "floor";
    options.not_after = std::chrono::floor<seconds>(clock_.Now()) + limits_.future_allowance;
    options.row_name = [&parsed](std::size_t index) { return parsed->RowName(index); };
    if (Status valid = forecasting::ValidatePoints(parsed->points, series->step_seconds, options);
        !valid) {
      return valid.error();
    }
    auto written =
        repository_.WritePoints(*series, parsed->points,
                                *on_conflict == "reject" ? forecasting::OnConflict::kReject
                                                         : forecasting::OnConflict::kReplace);
    if (!written) return written.error();
    const auto& points = parsed->points;
    return JsonResponse(
        {{"series", *id},
         {"accepted", written->accepted},
         {"replaced", written->replaced},
         {"first", points.empty() ? json(nullptr) : json(FormatRfc3339(points.front().ts))},
         {"last", points.empty() ? json(nullptr) : json(FormatRfc3339(points.back().ts))}});
  }

  Result<Response> Query(const Request& request) const {
    if (Status query = CheckQuery(request, {"from", "to", "step", "agg", "format", "max_points"});
        !query) {
      return query.error();
    }
    auto summary = Find(request);
    if (!summary) return summary.error();
    auto from = InstantParameter(request, "from");
    if (!from) return from.error();
    auto to = InstantParameter(request, "to");
    if (!to) return to.error();
    auto step = IntegerParameter(request, "step", 1, 366 * 86400);
    if (!step) return step.error();
    auto aggregation_name = ChoiceParameter(request, "agg", {"sum", "mean", "max", "min"});
    if (!aggregation_name) return aggregation_name.error();
    auto format = ChoiceParameter(request, "format", {"json", "csv"});
    if (!format) return format.error();
    auto max_points = IntegerParameter(request, "max_points", 1, 10'000'000);
    if (!max_points) return max_points.error();

    const seconds series_step = summary->metadata.step_seconds;
    forecasting::RegularSeries series{
        sys_seconds{}, series_step.count() > 0 ? series_step : seconds{60}, {}};
    if (summary->first && series_step.count() > 0) {
      const sys_seconds begin = from->value_or(*summary->first);
      const sys_seconds end = to->value_or(*summary->last + series_step);
      auto read = repository_.ReadRange(summary->metadata.id, begin, end, limits_.max_read_steps);
      if (!read) return read.error();
      series = std::move(*read);
      seconds target = step->has_value() ? seconds{**step} : series_step;
      if (!step->has_value() && max_points->has_value()) {
        target = forecasting::StepForAtMost(series.start, series.size(), series_step,
                                            static_cast<std::size_t>(**max_points));
      }
      if (target != series_step) {
        auto coarse = forecasting::Downsample(series, target,
                                              *forecasting::ParseAggregation(*aggregation_name));
        if (!coarse) return FieldError("step", coarse.error());
        series = std::move(*coarse);
      }
      if (max_points->has_value() && series.size() > static_cast<std::size_t>(**max_points)) {
        return InvalidArgument("step " + std::to_string(target.count()) + " s gives " +
                               std::to_string(series.size()) + " points, more than max_points " +
                               std::to_string(**max_points));
      }
    }
    Response response;
    if (*format == "csv") {
      response.content_type = "text/csv; charset=utf-8";
      response.body = PointsCsv(series);
    } else {
      response.body = PointsJson(summary->metadata.id, series,
                                 series.step != series_step ? *aggregation_name : "");
    }
    return response;
  }

  Result<Response> DeletePoints(const Request& request) const {
    if (Status query = CheckQuery(request, {"from", "to"}); !query) return query.error();
    auto id = VisibleSeriesId(request);
    if (!id) return id.error();
    auto from = InstantParameter(request, "from");
    if (!from) return from.error();
    auto to = InstantParameter(request, "to");
    if (!to) return to.error();
    if (!from->has_value() || !to->has_value()) {
      return InvalidArgument("query parameters 'from' and 'to' are required");
    }
    auto deleted = repository_.DeletePoints(*id, **from, **to);
    if (!deleted) return deleted.error();
    return JsonResponse({{"series", *id}, {"deleted", *deleted}});
  }

 private:
  Result<SeriesSummary> Find(const Request& request) const {
    auto id = VisibleSeriesId(request);
    if (!id) return id.error();
    return repository_.GetSeries(*id);
  }

  // The series the upload goes to: the stored one, or a new one whose step is the query's or the
  // one the timestamps imply.
  Result<SeriesMetadata> SeriesFor(const std::string& id,
                                   std::optional<std::int64_t> step_parameter,
                                   std::span<const forecasting::Point> points) const {
    SeriesMetadata series{id, seconds{0}, "", "", {}};
    auto stored = repository_.GetSeries(id);
    if (stored) {
      series = stored->metadata;
    } else if (stored.error().code != ErrorCode::kNotFound) {
      return stored.error();
    }
    if (step_parameter) {
      const seconds requested{*step_parameter};
      if (series.step_seconds.count() > 0 && series.step_seconds != requested) {
        return Conflict("series '" + id + "' has a step of " +
                        std::to_string(series.step_seconds.count()) + " s, not " +
                        std::to_string(requested.count()) + " s");
      }
      if (Status valid = forecasting::ValidateStep(requested); !valid) return valid.error();
      series.step_seconds = requested;
    }
    if (series.step_seconds.count() == 0) {
      auto inferred = forecasting::InferStep(points);
      if (!inferred) return inferred.error();
      series.step_seconds = *inferred;
    }
    return series;
  }

  SeriesRepository& repository_;
  const Clock& clock_;
  SeriesLimits limits_;
};

}  // namespace

void AddSeriesRoutes(Router& router, SeriesRepository& repository, const Clock& clock,
                     SeriesLimits limits) {
  auto handlers = std::make_shared<const SeriesHandlers>(repository, clock, limits);
  const std::vector<std::string> json_body = {"application/json"};
  router.Add({Method::kGet,
              "/v1/series",
              Scope::kRead,
              {},
              Bind(handlers, &SeriesHandlers::List),
              "Series the key may see, with their metadata and point counts",
              /*heavy=*/false,
              Caching::kUntilDataChanges,
              /*polled=*/true});
  router.Add({Method::kGet,
              "/v1/series/{id}",
              Scope::kRead,
              {},
              Bind(handlers, &SeriesHandlers::Get),
              "One series: metadata, first and last point, point count, gaps",
              /*heavy=*/false,
              Caching::kUntilDataChanges,
              /*polled=*/true});
  router.Add({Method::kPut, "/v1/series/{id}", Scope::kWrite, json_body,
              Bind(handlers, &SeriesHandlers::Put), "Create a series or update its metadata"});
  router.Add({Method::kDelete,
              "/v1/series/{id}",
              Scope::kAdmin,
              {},
              Bind(handlers, &SeriesHandlers::Delete),
              "Delete a series and all its points"});
  router.Add({Method::kPost,
              "/v1/series/{id}/points",
              Scope::kWrite,
              {"application/json", "text/csv"},
              Bind(handlers, &SeriesHandlers::Upload),
              "Upload points (JSON or CSV), all or none, durable before the reply"});
  router.Add({Method::kGet,
              "/v1/series/{id}/points",
              Scope::kRead,
              {},
              Bind(handlers, &SeriesHandlers::Query),
              "Points, raw or downsampled, as JSON or CSV",
              /*heavy=*/false,
              Caching::kUntilDataChanges});
  router.Add({Method::kDelete,
              "/v1/series/{id}/points",
              Scope::kWrite,
              {},
              Bind(handlers, &SeriesHandlers::DeletePoints),
              "Delete the points in [from, to)"});
}

}  // namespace patchcast::api
