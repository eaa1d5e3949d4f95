// Strict, typed reading of the members of a JSON request object, with errors that name the field
// and the type found: "field 'bulletins' must be an integer, not string". Complements json_body.h.
//
// Absent members and JSON null both read as nullopt ("not given"). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace patchcast::api {

// Longest string a request field may hold unless its parser allows more (issue 13): ids, names,
// enum words, dates and times.
inline constexpr std::size_t kMaxNameBytes = 200;
// Longest free text a request field may hold: notes and descriptions (issue 13).
inline constexpr std::size_t kMaxTextBytes = 4096;

// Returns the string member `name`, at most `max_bytes` long. Errors (kInvalidArgument): not a
// string ("field 'x' must be a string, not number"), or too long ("field 'notes' is 4097 bytes
// long; at most 4096 are allowed").
Result<std::optional<std::string>> StringField(const nlohmann::json& object, std::string_view name,
                                               std::size_t max_bytes = kMaxNameBytes);

// Returns the integer member `name`, which must lie in [min, max]. Errors (kInvalidArgument): not
// an integer ("field 'x' must be an integer, not number" for 1.5; booleans are not integers), or
// out of range ("field 'x' must be between 0 and 100000, not -1").
Result<std::optional<std::int64_t>> IntegerField(const nlohmann::json& object,
                                                 std::string_view name, std::int64_t min,
                                                 std::int64_t max);

// Returns the number member `name` (integer or not), which must lie in [min, max]. Errors
// (kInvalidArgument): not a number ("field 'x' must be a number, not string"), or out of range
// ("field 'headroom' must be between 0 and 10, not 1e+308"). JSON numbers are always finite.
Result<std::optional<double>> NumberField(const nlohmann::json& object, std::string_view name,
                                          double min, double max);

// Returns the boolean member `name`; kInvalidArgument "field 'x' must be a boolean, not string".
Result<std::optional<bool>> BoolField(const nlohmann::json& object, std::string_view name);

// Returns the member `name`, an array of strings of at most kMaxNameBytes each. Errors
// (kInvalidArgument): "field 'x' must be an array of strings, not object"; "field 'x'[2] must be a
// string, not number"; "field 'x'[2] is 201 bytes long; at most 200 are allowed".
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
