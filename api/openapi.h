// The service's OpenAPI 3.0 document (api/openapi.yaml), compiled into the binary.
#pragma once

#include <string_view>

namespace patchcast::api {

// Returns the text of api/openapi.yaml as it was at build time.
std::string_view OpenApiYaml();

}  // namespace patchcast::api
