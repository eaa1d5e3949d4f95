#include "api/series_settings_routes.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/capacity_model_json.h"
#include "api/forecast_json.h"
#include "api/json_body.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "api/reboot_prior_json.h"
#include "api/series_access.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// One kind of setting: how its PUT body becomes the stored document, and what is in force when
// none is stored.
struct SettingKind {
  std::string_view name;  // the storage name and the response's member, e.g. "reboot_prior"
  Result<json> (*normalize)(const json& body);  // validates; returns the setting in full
  json (*defaults)();
};

Result<json> NormalizePrior(const json& body) {
  auto prior = ParseRebootPrior(body);
  if (!prior) return prior.error();
  return RebootPriorJson(*prior);
}

json DefaultPrior() { return RebootPriorJson({}); }

// A stored capacity model must say what a unit serves; the rest defaults. It is checked against
// the longest horizon a request may ask for; a shorter request re-checks lead_time_minutes.
Result<json> NormalizeCapacityModel(const json& body) {
  if (Status known = RejectUnknownFields(body, kCapacityModelFields); !known) {
    return known.error();
  }
  if (!body.contains("unit_capacity") || body["unit_capacity"].is_null()) {
    return InvalidArgument("field 'unit_capacity' is required");
  }
  forecasting::CapacityModel model;
  if (Status read = ReadCapacityModel(body, model); !read) return read.error();
  if (Status valid = forecasting::ValidateCapacityModel(model, kMaxHorizon); !valid) {
    return valid.error();
  }
  return CapacityModelJson(model);
}

// No stored model: CapacityModel's defaults, with unit_capacity unknown.
json DefaultCapacityModel() {
  json model = CapacityModelJson({});
  model["unit_capacity"] = nullptr;
  return model;
}

constexpr SettingKind kPrior{forecasting::kRebootPriorSetting, NormalizePrior, DefaultPrior};
constexpr SettingKind kCapacityModel{forecasting::kCapacityModelSetting, NormalizeCapacityModel,
                                     DefaultCapacityModel};

class SettingsHandlers {
 public:
  explicit SettingsHandlers(SeriesSettingsRoutesContext context) : context_(context) {}

  Result<Response> Get(const Request& request, const SettingKind& kind) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    auto stored = context_.settings.Get(*series_id, kind.name);
    if (!stored) return stored.error();
    if (!*stored) return JsonResponse(Answer(*series_id, kind, kind.defaults(), std::nullopt));
    auto document = json::parse((*stored)->document, nullptr, false);
    if (document.is_discarded()) {
      return Internal("stored " + std::string(kind.name) + " of series '" + *series_id +
                      "' is not JSON");
    }
    return JsonResponse(Answer(*series_id, kind, std::move(document), (*stored)->updated_at));
  }

  Result<Response> Put(const Request& request, const SettingKind& kind) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    auto body = ParseJsonObject(request.body);
    if (!body) return body.error();
    auto document = kind.normalize(*body);
    if (!document) return document.error();
    const auto now = std::chrono::floor<std::chrono::seconds>(context_.clock.Now());
    if (Status saved =
            context_.settings.Put({*series_id, std::string(kind.name), now, document->dump()});
        !saved) {
      return saved.error();
    }
    return JsonResponse(Answer(*series_id, kind, std::move(*document), now));
  }

  Result<Response> Delete(const Request& request, const SettingKind& kind) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    auto deleted = context_.settings.Delete(*series_id, kind.name);
    if (!deleted) return deleted.error();
    return NoContent();
  }

 private:
  static json Answer(const std::string& series_id, const SettingKind& kind, json setting,
                     std::optional<std::chrono::sys_seconds> updated_at) {
    return {{"series", series_id},
            {"stored", updated_at.has_value()},
            {"updated_at", updated_at ? json(FormatRfc3339(*updated_at)) : json(nullptr)},
            {std::string(kind.name), std::move(setting)}};
  }

  SeriesSettingsRoutesContext context_;
};

}  // namespace

void AddSeriesSettingsRoutes(Router& router, SeriesSettingsRoutesContext context) {
  auto handlers = std::make_shared<const SettingsHandlers>(context);
  struct Resource {
    const char* path;
    const SettingKind* kind;
    const char* what;
  };
  for (const Resource& resource :
       {Resource{"/v1/series/{id}/reboot-prior", &kPrior, "reboot-wave prior"},
        Resource{"/v1/series/{id}/capacity-model", &kCapacityModel, "capacity model"}}) {
    const SettingKind* kind = resource.kind;
    const std::string what = resource.what;
    router.Add({Method::kGet,
                resource.path,
                Scope::kRead,
                {},
                [handlers, kind](const Request& request) { return handlers->Get(request, *kind); },
                "The series' " + what + " in force (stored, or the defaults)"});
    router.Add({Method::kPut,
                resource.path,
                Scope::kWrite,
                {"application/json"},
                [handlers, kind](const Request& request) { return handlers->Put(request, *kind); },
                "Store the series' " + what});
    router.Add(
        {Method::kDelete,
         resource.path,
         Scope::kWrite,
         {},
         [handlers, kind](const Request& request) { return handlers->Delete(request, *kind); },
         "Return the series' " + what + " to the defaults"});
  }
}

}  // namespace patchcast::api
