// The dashboard's files (web/), compiled into the binary so that a fresh build serves them with
// nothing installed beside it. Generated at build time by api/ui_assets.cmake from the list in
// api/CMakeLists.txt; the texts are static and immutable, safe to read from any thread.
#pragma once

#include <span>
#include <string_view>

namespace patchcast::api {

struct UiAsset {
  std::string_view name;  // the file's name in web/, e.g. "app.js"
  std::string_view text;  // its bytes as they were at build time
};

// Returns every embedded file of web/, in the order api/CMakeLists.txt lists them.
std::span<const UiAsset> UiAssets();

}  // namespace patchcast::api
