#include "api/document_members.h"

#include <cstdint>
#include <limits>

#include "api/point_text.h"

namespace patchcast::api {

using nlohmann::json;

std::optional<DocumentMembers> DocumentMembers::Element(const json& array, std::size_t index,
                                                        const std::string& name,
                                                        std::optional<std::string>& failure) {
  const std::string part = name + " " + std::to_string(index) + " ";
  if (!array[index].is_object()) {
    if (!failure) failure = part + "is not an object";
    return std::nullopt;
  }
  return DocumentMembers(array[index], part, failure);
}

void DocumentMembers::Read(const char* key, std::string& out) {
  if (const json* value = Find(key, &json::is_string)) out = value->get<std::string>();
}

void DocumentMembers::Read(const char* key, std::vector<std::string>& out) {
  const json* value = Array(key);
  if (value == nullptr) return;
  out.clear();
  for (const json& item : *value) {
    if (!item.is_string()) return Fail(key, "not an array of strings");
    out.push_back(item.get<std::string>());
  }
}

void DocumentMembers::Read(const char* key, std::chrono::sys_seconds& out) {
  std::string text;
  Read(key, text);
  if (failed()) return;
  auto instant = ParseRfc3339Seconds(text);
  if (!instant) return Fail(key, instant.error().message);
  out = *instant;
}

void DocumentMembers::Read(const char* key, double& out) {
  const json* value = Find(key, &json::is_primitive);
  if (value == nullptr) return;
  if (value->is_null()) {
    out = std::numeric_limits<double>::quiet_NaN();
    return;
  }
  if (!value->is_number()) return Fail(key, "not a number");
  out = value->get<double>();
}

void DocumentMembers::Read(const char* key, std::optional<double>& out) {
  const json* value = Find(key, &json::is_primitive);
  if (value == nullptr) return;
  if (value->is_null()) return out.reset();
  if (!value->is_number()) return Fail(key, "not a number or null");
  out = value->get<double>();
}

void DocumentMembers::Read(const char* key, int& out) {
  const json* value = Find(key, &json::is_number_integer);
  if (value == nullptr) return;
  const auto wide = value->get<std::int64_t>();
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    return Fail(key, "out of range");
  }
  out = static_cast<int>(wide);
}

void DocumentMembers::Read(const char* key, std::size_t& out) {
  if (const json* value = Find(key, &json::is_number_unsigned)) out = value->get<std::size_t>();
}

void DocumentMembers::Read(const char* key, bool& out) {
  if (const json* value = Find(key, &json::is_boolean)) out = value->get<bool>();
}

void DocumentMembers::ReadTextOrNull(const char* key, std::string& out) {
  const json* value = Find(key, &json::is_primitive);
  if (value == nullptr || value->is_null()) return;
  if (!value->is_string()) return Fail(key, "not a string or null");
  out = value->get<std::string>();
}

const json* DocumentMembers::Array(const char* key) { return Find(key, &json::is_array); }

const json* DocumentMembers::Object(const char* key) { return Find(key, &json::is_object); }

void DocumentMembers::Fail(const char* key, const std::string& why) {
  if (!failed()) failure_ = part_ + "'" + key + "' is " + why;
}

const json* DocumentMembers::Find(const char* key, bool (json::*is)() const noexcept) {
  if (failed()) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end()) {
    failure_ = part_ + "has no '" + key + "'";
    return nullptr;
  }
  if (!((*it).*is)()) {
    failure_ = part_ + "'" + key + "' is of the wrong type";
    return nullptr;
  }
  return &*it;
}

}  // namespace patchcast::api
