// The dashboard's routes: the page and its files (web/, compiled in) and the chart library (read
// from Debian's libjs-chart.js at start-up), all open so that a browser can load the page before
// it has a token; every API call the page then makes needs the token as usual.
//
// Their responses carry the page's Content-Security-Policy (kDashboardSecurityPolicy), which the
// dispatcher keeps; every other response keeps the API's stricter one.
#pragma once

#include <string>
#include <string_view>

#include "api/router.h"

namespace patchcast::api {

// What a page may load: its own scripts, styles, images and API calls, nothing inline, no frames.
inline constexpr std::string_view kDashboardSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'";

// The path the page loads the chart library from.
inline constexpr std::string_view kChartLibraryPath = "/ui/chart.min.js";

struct UiRoutesContext {
  // Chart.js's UMD build as read at start-up; empty when it could not be read, and then its route
  // answers 404 naming the package, and the page says that it draws no charts.
  std::string chart_library;
};

// Adds, all open (Scope::kPublic): GET / (web/index.html), GET /ui/{asset} (a file of web/ by
// name; 404 for any other name) and GET /ui/chart.min.js (the chart library). Content types come
// from the file's extension. Responses are revalidated (the dispatcher's ETag and no-cache).
void AddUiRoutes(Router& router, const UiRoutesContext& context);

// Returns the media type the dashboard serves a file named `name` with: text/html, text/javascript,
// text/css (each with charset=utf-8) or image/svg+xml by its extension; application/octet-stream
// for any other.
std::string_view UiMediaType(std::string_view name);

}  // namespace patchcast::api
