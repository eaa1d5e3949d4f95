// Strict reading of query strings: an unknown or repeated parameter is an error that names it, so
// a misspelt `?form=` is never silently ignored.
#pragma once

#include <initializer_list>
#include <string_view>

#include "api/http_types.h"
#include "core/result.h"

namespace patchcast::api {

// Fails (kInvalidArgument) naming the first query parameter of `request` that is not in `known`
// ("unknown query parameter 'form' (this route takes from, to)") or is given more than once.
Status CheckQuery(const Request& request, std::initializer_list<std::string_view> known);

// Returns `error` with its message prefixed by the parameter it is about
// ("query parameter 'at': ..."), its code unchanged.
Error ParameterError(std::string_view name, Error error);

}  // namespace patchcast::api
