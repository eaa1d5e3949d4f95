#include "api/query_params.h"

#include <algorithm>
#include <string>

#include "api/quoted_input.h"

namespace patchcast::api {
namespace {

std::string JoinNames(std::initializer_list<std::string_view> names) {
  std::string joined;
  for (std::string_view name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

}  // namespace

Status CheckQuery(const Request& request, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : request.query) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      return InvalidArgument("unknown query parameter " + QuotedInput(name) +
                             (known.size() == 0 ? std::string(" (this route takes none)")
                                                : " (this route takes " + JoinNames(known) + ")"));
    }
    if (request.query.count(name) > 1) {
      return InvalidArgument("query parameter " + QuotedInput(name) + " is given more than once");
    }
  }
  return {};
}

Error ParameterError(std::string_view name, Error error) {
  error.message = "query parameter '" + std::string(name) + "': " + error.message;
  return error;
}

}  // namespace patchcast::api
