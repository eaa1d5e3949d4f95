// The dashboard's routes, through the dispatcher with keys on: the page and its files are open,
// carry the page's Content-Security-Policy and the right media types, and everything they
// reference is served; API routes still need the token and keep the API's policy.
#include "api/ui_routes.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "api/dispatcher.h"
#include "api/response_cache.h"
#include "api/ui_assets.h"
#include "tests/support/dispatch_call.h"
#include "tests/support/fake_services.h"

namespace patchcast::api {
namespace {

constexpr std::string_view kApiPolicy = "default-src 'none'; frame-ancestors 'none'";

struct UiFixture {
  Router router;
  testing::FakeAuthenticator authenticator;

  explicit UiFixture(std::string chart_library = "/* Chart.js */") {
    AddUiRoutes(router, {std::move(chart_library)});
    router.Add({Method::kGet,
                "/v1/things",
                Scope::kRead,
                {},
                [](const Request&) -> Result<Response> {
                  Response response;
                  response.body = "{}";
                  return response;
                },
                ""});
    authenticator.keys["reader-token"] = {"dash", Scope::kRead, ""};
  }

  Response Get(const std::string& path, HeaderMap headers = {}) const {
    const Dispatcher dispatcher(router, authenticator, {});
    return testing::Dispatch(dispatcher, {.path = path, .headers = std::move(headers)});
  }
};

std::string Header(const Response& response, std::string_view name) {
  return std::string(response.headers.Get(name).value_or(""));
}

std::string ErrorMessage(const Response& response) {
  return nlohmann::json::parse(response.body)["error"]["message"].get<std::string>();
}

// The values of `attribute` ("src", "href") in `html` that start with '/'.
std::set<std::string> LocalReferences(const std::string& html, const std::string& attribute) {
  std::set<std::string> found;
  const std::regex pattern(attribute + "=\"(/[^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    found.insert((*it)[1]);
  }
  return found;
}

TEST_CASE("the page is open with keys on, HTML, with the page's security policy") {
  UiFixture ui;
  const Response page = ui.Get("/");
  REQUIRE(page.status == 200);
  CHECK(page.content_type == "text/html; charset=utf-8");
  CHECK(Header(page, "Content-Security-Policy") == kDashboardSecurityPolicy);
  CHECK(Header(page, "Cache-Control") == "no-cache");
  CHECK(Header(page, "X-Frame-Options") == "DENY");
  CHECK(page.body.find("<script type=\"module\" src=\"/ui/app.js\"></script>") !=
        std::string::npos);
  CHECK(page.body.find(std::string("src=\"") + std::string(kChartLibraryPath) + "\"") !=
        std::string::npos);
}

TEST_CASE("the page has no inline script or style, which its policy would block") {
  const std::string page = UiFixture().Get("/").body;
  const std::regex script_tag("<script[^>]*>");
  int scripts = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), script_tag);
       it != std::sregex_iterator(); ++it, ++scripts) {
    const std::string tag = it->str();
    CHECK_MESSAGE(tag.find(" src=\"/") != std::string::npos, tag << " has no same-origin src");
  }
  CHECK(scripts == 2);
  CHECK(page.find("<style") == std::string::npos);
  CHECK(page.find(" style=") == std::string::npos);
  // onclick= and the like are inline script.
  CHECK_FALSE(std::regex_search(page, std::regex(" on[a-z]+=")));
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
}

TEST_CASE("every file the page and its modules reference is served, with its media type") {
  UiFixture ui;
  const std::string page = ui.Get("/").body;
  std::set<std::string> paths = LocalReferences(page, "src");
  paths.merge(LocalReferences(page, "href"));
  // Modules import each other relatively ("./charts.js"), all from /ui/.
  const std::regex import_pattern("from '\\./([a-z_]+\\.js)'");
  for (const UiAsset& asset : UiAssets()) {
    const std::string text(asset.text);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), import_pattern);
         it != std::sregex_iterator(); ++it) {
      paths.insert("/ui/" + (*it)[1].str());
    }
  }
  CHECK(paths.count("/ui/charts.js") == 1);
  CHECK(paths.count("/ui/style.css") == 1);
  for (const std::string& path : paths) {
    const Response file = ui.Get(path);
    CHECK_MESSAGE(file.status == 200, path);
    CHECK_MESSAGE(file.content_type == UiMediaType(path), path);
    CHECK_MESSAGE(Header(file, "Content-Security-Policy") == kDashboardSecurityPolicy, path);
  }
}

TEST_CASE("media types follow the extension") {
  CHECK(UiMediaType("index.html") == "text/html; charset=utf-8");
  CHECK(UiMediaType("app.js") == "text/javascript; charset=utf-8");
  CHECK(UiMediaType("style.css") == "text/css; charset=utf-8");
  CHECK(UiMediaType("favicon.svg") == "image/svg+xml");
  CHECK(UiMediaType("notes.txt") == "application/octet-stream");
  CHECK(UiMediaType("js") == "application/octet-stream");
}

TEST_CASE("a name that is not a dashboard file is a JSON 404 under the API's policy") {
  UiFixture ui;
  for (const char* path :
       {"/ui/nothing.js", "/ui/..%2Fapi%2Frouter.h", "/ui/README-dashboard-section.md"}) {
    const Response missing = ui.Get(path);
    CHECK_MESSAGE(missing.status == 404, path);
    CHECK(missing.content_type == "application/json");
    CHECK(Header(missing, "Content-Security-Policy") == kApiPolicy);
  }
  CHECK(ErrorMessage(ui.Get("/ui/nothing.js")) == "the dashboard has no file 'nothing.js'");
  CHECK(ErrorMessage(ui.Get("/ui/..%2Fapi%2Frouter.h")) ==
        "the dashboard has no file '../api/router.h'");
}

TEST_CASE("the chart library is served as read at start-up, or is a 404 naming the package") {
  const Response served = UiFixture("/* Chart.js v3.9.1 */").Get(std::string(kChartLibraryPath));
  CHECK(served.status == 200);
  CHECK(served.body == "/* Chart.js v3.9.1 */");
  CHECK(served.content_type == "text/javascript; charset=utf-8");

  const Response missing = UiFixture("").Get(std::string(kChartLibraryPath));
  CHECK(missing.status == 404);
  CHECK(ErrorMessage(missing) ==
        "the chart library is not installed: install Debian's libjs-chart.js, or start the "
        "service with --chartjs FILE");
}

TEST_CASE("a poller holding the page's ETag gets 304") {
  UiFixture ui;
  const std::string etag = Header(ui.Get("/ui/app.js"), "ETag");
  REQUIRE_FALSE(etag.empty());
  const Response again = ui.Get("/ui/app.js", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
}

TEST_CASE("the page and its files come from the response cache until the data changes") {
  UiFixture ui;
  ResponseCache cache;
  testing::ManualDataVersion version;
  testing::FixedClock clock;
  const Dispatcher dispatcher(ui.router, ui.authenticator,
                              {{}, "", nullptr, &cache, &version, &clock});
  for (const std::string path : {"/", "/ui/app.js", "/ui/chart.min.js"}) {
    CAPTURE(path);
    const ResponseCacheStats before = cache.Stats();
    const Response first = testing::Dispatch(dispatcher, {.path = path});
    const Response second = testing::Dispatch(dispatcher, {.path = path});
    REQUIRE(first.status == 200);
    CHECK(second.status == 200);
    CHECK(second.BodyText() == first.BodyText());
    CHECK(Header(second, "Content-Security-Policy") == Header(first, "Content-Security-Policy"));
    CHECK(cache.Stats().misses == before.misses + 1);
    CHECK(cache.Stats().hits == before.hits + 1);
  }
  // A write elsewhere moves the data version: the next answer is made again.
  version.value += 1;
  const std::uint64_t misses = cache.Stats().misses;
  CHECK(testing::Dispatch(dispatcher, {.path = "/"}).status == 200);
  CHECK(cache.Stats().misses == misses + 1);
}

TEST_CASE("API routes still need the token and keep the API's policy") {
  UiFixture ui;
  const Response anonymous = ui.Get("/v1/things");
  CHECK(anonymous.status == 401);
  CHECK(Header(anonymous, "Content-Security-Policy") == kApiPolicy);
  const Response signed_in = ui.Get("/v1/things", {{"Authorization", "Bearer reader-token"}});
  CHECK(signed_in.status == 200);
  CHECK(Header(signed_in, "Content-Security-Policy") == kApiPolicy);
}

TEST_CASE("the dashboard's routes are open and take no body") {
  Router router;
  AddUiRoutes(router, {});
  REQUIRE(router.routes().size() == 3);
  for (const Route& route : router.routes()) {
    CHECK_MESSAGE(route.scope == Scope::kPublic, route.path);
    CHECK(route.method == Method::kGet);
    CHECK(route.accepts.empty());
  }
  CHECK(router.Find(Method::kGet, "/ui/chart.min.js").route->path == kChartLibraryPath);
}

}  // namespace
}  // namespace patchcast::api
