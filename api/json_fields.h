// Strict, typed reading of the members of a JSON request object, with errors that name the field
// and the type found: "field 'bulletins' must be an integer, not string". Complements json_body.h.
//
// Absent members and JSON null both read as nullopt ("not given"). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/result.h"

namespace patchcast::api {

// Returns the string member `name`; kInvalidArgument "field 'x' must be a string, not number".
Result<std::optional<std::string>> StringField(const nlohmann::json& object, std::string_view name);

// Returns the integer member `name`, which must lie in [min, max]. Errors (kInvalidArgument): not
// an integer ("field 'x' must be an integer, not number" for 1.5; booleans are not integers), or
// out of range ("field 'x' must be between 0 and 100000, not -1").
Result<std::optional<std::int64_t>> IntegerField(const nlohmann::json& object,
                                                 std::string_view name, std::int64_t min,
                                                 std::int64_t max);

// Returns the number member `name` (integer or not); kInvalidArgument "field 'x' must be a number,
// not string". JSON numbers are always finite.
Result<std::optional<double>> NumberField(const nlohmann::json& object, std::string_view name);

// Returns the boolean member `name`; kInvalidArgument "field 'x' must be a boolean, not string".
Result<std::optional<bool>> BoolField(const nlohmann::json& object, std::string_view name);

// Returns the member `name`, an array of strings. Errors (kInvalidArgument): "field 'x' must be an
// array of strings, not object"; "field 'x'[2] must be a string, not number".
Result<std::optional<std::vector<std::string>>> StringArrayField(const nlohmann::json& object,
                                                                 std::string_view name);

// Returns the value of a field that must be given, or kInvalidArgument "field 'x' is required".
template <typename T>
Result<T> Required(Result<std::optional<T>> field, std::string_view name) {
  if (!field) return field.error();
  if (!*field) return InvalidArgument("field '" + std::string(name) + "' is required");
  return std::move(**field);
}

// Returns `error` with "field '<name>': " before its message, keeping its code; for passing on
// the domain's parse errors ("field 'date': '2026-02-30' is not a valid date").
Error FieldError(std::string_view name, Error error);

}  // namespace patchcast::api
