#include "api/ui_routes.h"

#include <array>
#include <memory>
#include <utility>

#include "api/ui_assets.h"

namespace patchcast::api {
namespace {

constexpr std::string_view kIndexName = "index.html";

struct MediaTypeByExtension {
  std::string_view extension;
  std::string_view media_type;
};

constexpr std::array<MediaTypeByExtension, 4> kMediaTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
}};

const UiAsset* FindAsset(std::string_view name) {
  for (const UiAsset& asset : UiAssets()) {
    if (asset.name == name) return &asset;
  }
  return nullptr;
}

Response PageFile(std::string_view name, std::string body) {
  Response response;
  response.content_type = std::string(UiMediaType(name));
  response.body = std::move(body);
  response.headers.Set("Content-Security-Policy", std::string(kDashboardSecurityPolicy));
  return response;
}

Result<Response> ServeIndex(const Request&) {
  const UiAsset* index = FindAsset(kIndexName);
  if (index == nullptr) return Internal("the dashboard was built without web/index.html");
  return PageFile(index->name, std::string(index->text));
}

Result<Response> ServeAsset(const Request& request) {
  const std::string& name = request.path_params.at("asset");
  const UiAsset* asset = FindAsset(name);
  if (asset == nullptr) return NotFound("the dashboard has no file '" + name + "'");
  return PageFile(asset->name, std::string(asset->text));
}

}  // namespace

std::string_view UiMediaType(std::string_view name) {
  for (const auto& [extension, media_type] : kMediaTypes) {
    if (name.ends_with(extension)) return media_type;
  }
  return "application/octet-stream";
}

void AddUiRoutes(Router& router, const UiRoutesContext& context) {
  // The files never change while the service runs; kept as any read is, they skip the copy and
  // the ETag's hash on every poll.
  router.Add({Method::kGet,
              "/",
              Scope::kPublic,
              {},
              ServeIndex,
              "The dashboard (open)",
              /*heavy=*/false,
              Caching::kUntilDataChanges,
              /*polled=*/true});
  router.Add({Method::kGet,
              "/ui/{asset}",
              Scope::kPublic,
              {},
              ServeAsset,
              "A file of the dashboard: its scripts, style sheet and icon (open)",
              /*heavy=*/false,
              Caching::kUntilDataChanges,
              /*polled=*/true});
  // Copied once into the handler, which outlives `context`; some 200 KB.
  auto library = std::make_shared<const std::string>(context.chart_library);
  router.Add({Method::kGet,
              std::string(kChartLibraryPath),
              Scope::kPublic,
              {},
              [library](const Request&) -> Result<Response> {
                if (library->empty()) {
                  return NotFound(
                      "the chart library is not installed: install Debian's libjs-chart.js, or "
                      "start the service with --chartjs FILE");
                }
                return PageFile(kChartLibraryPath, *library);
              },
              "Chart.js, from Debian's libjs-chart.js (open)",
              /*heavy=*/false,
              Caching::kUntilDataChanges,
              /*polled=*/true});
}

}  // namespace patchcast::api
