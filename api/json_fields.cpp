#include "api/json_fields.h"

#include <charconv>
#include <limits>

namespace patchcast::api {
namespace {

// nlohmann's type names, except that integers and other numbers are told apart.
std::string TypeName(const nlohmann::json& value) {
  if (value.is_number_integer()) return "integer";
  return value.type_name();
}

Error WrongType(std::string_view name, std::string_view wanted, const nlohmann::json& value) {
  return InvalidArgument("field '" + std::string(name) + "' must be " + std::string(wanted) +
                         ", not " + TypeName(value));
}

// "field 'notes' is 4097 bytes long; at most 4096 are allowed", or success when `text` fits.
Status CheckLength(const std::string& field, const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return {};
  return InvalidArgument(field + " is " + std::to_string(text.size()) + " bytes long; at most " +
                         std::to_string(max_bytes) + " are allowed");
}

// `value` in its shortest round-trip form: "10", "0.5", "1e+308".
std::string ShortestNumber(double value) {
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof text, value);
  return std::string(text, error == std::errc() ? end : text);
}

// The member `name`, or null when it is absent or JSON null.
const nlohmann::json* Member(const nlohmann::json& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

Result<std::optional<std::string>> StringField(const nlohmann::json& object, std::string_view name,
                                               std::size_t max_bytes) {
  const nlohmann::json* value = Member(object, name);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return WrongType(name, "a string", *value);
  const auto& text = value->get_ref<const std::string&>();
  if (Status fits = CheckLength("field '" + std::string(name) + "'", text, max_bytes); !fits) {
    return fits.error();
  }
  return std::optional<std::string>(text);
}

Result<std::optional<std::int64_t>> IntegerField(const nlohmann::json& object,
                                                 std::string_view name, std::int64_t min,
                                                 std::int64_t max) {
  const nlohmann::json* value = Member(object, name);
  if (value == nullptr) return std::optional<std::int64_t>();
  if (!value->is_number_integer()) return WrongType(name, "an integer", *value);
  const bool too_big = value->is_number_unsigned() &&
                       value->get<std::uint64_t>() >
                           static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const std::int64_t number =
      too_big ? std::numeric_limits<std::int64_t>::max() : value->get<std::int64_t>();
  if (too_big || number < min || number > max) {
    return InvalidArgument("field '" + std::string(name) + "' must be between " +
                           std::to_string(min) + " and " + std::to_string(max) + ", not " +
                           value->dump());
  }
  return std::optional<std::int64_t>(number);
}

Result<std::optional<double>> NumberField(const nlohmann::json& object, std::string_view name,
                                          double min, double max) {
  const nlohmann::json* value = Member(object, name);
  if (value == nullptr) return std::optional<double>();
  if (!value->is_number()) return WrongType(name, "a number", *value);
  const double number = value->get<double>();
  if (!(number >= min && number <= max)) {
    return InvalidArgument("field '" + std::string(name) + "' must be between " +
                           ShortestNumber(min) + " and " + ShortestNumber(max) + ", not " +
                           value->dump());
  }
  return std::optional<double>(number);
}

Result<std::optional<bool>> BoolField(const nlohmann::json& object, std::string_view name) {
  const nlohmann::json* value = Member(object, name);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return WrongType(name, "a boolean", *value);
  return std::optional<bool>(value->get<bool>());
}

Result<std::optional<std::vector<std::string>>> StringArrayField(const nlohmann::json& object,
                                                                 std::string_view name) {
  const nlohmann::json* value = Member(object, name);
  if (value == nullptr) return std::optional<std::vector<std::string>>();
  if (!value->is_array()) return WrongType(name, "an array of strings", *value);
  std::vector<std::string> strings;
  strings.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    const nlohmann::json& item = (*value)[i];
    if (!item.is_string()) {
      return InvalidArgument("field '" + std::string(name) + "'[" + std::to_string(i) +
                             "] must be a string, not " + TypeName(item));
    }
    const auto& text = item.get_ref<const std::string&>();
    if (Status fits = CheckLength("field '" + std::string(name) + "'[" + std::to_string(i) + "]",
                                  text, kMaxNameBytes);
        !fits) {
      return fits.error();
    }
    strings.push_back(text);
  }
  return std::optional<std::vector<std::string>>(std::move(strings));
}

Error FieldError(std::string_view name, Error error) {
  error.message = "field '" + std::string(name) + "': " + error.message;
  return error;
}

}  // namespace patchcast::api
