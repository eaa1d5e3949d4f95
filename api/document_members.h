// DocumentMembers: reads the members of one object of a stored document (a plan or forecast
// document) into a domain value, for the documents' codecs (plan_document.h, forecast_document.h).
// The first failure is kept, with the part of the document it was found in ("bucket 3 has no
// 'units'"), and every later read does nothing: a codec lists the members it reads and checks once
// at the end. Holds references: the object and the failure must outlive it.
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace patchcast::api {

class DocumentMembers {
 public:
  // `part` names the object in messages, e.g. "bucket 3 " or "the document ".
  DocumentMembers(const nlohmann::json& object, std::string part,
                  std::optional<std::string>& failure)
      : object_(object), part_(std::move(part)), failure_(failure) {}

  // The object at `index` of `array`, named "<name> <index> "; nullopt, failing, when the element
  // is not an object.
  static std::optional<DocumentMembers> Element(const nlohmann::json& array, std::size_t index,
                                                const std::string& name,
                                                std::optional<std::string>& failure);

  // Each reads member `key`, which must be present and of the type `out` asks: a string; an RFC
  // 3339 instant; a number, or null read as NaN (JSON has no infinity or NaN, so the renderer
  // writes a number that is not finite, such as the lift over a zero baseline, as null); a number
  // or null (nullopt); an integer in int's range; a non-negative integer; a boolean.
  void Read(const char* key, std::string& out);
  void Read(const char* key, std::chrono::sys_seconds& out);
  void Read(const char* key, double& out);
  void Read(const char* key, std::optional<double>& out);
  void Read(const char* key, int& out);
  void Read(const char* key, std::size_t& out);
  void Read(const char* key, bool& out);
  void Read(const char* key, std::vector<std::string>& out);
  // A string, or null (read as empty).
  void ReadTextOrNull(const char* key, std::string& out);
  // As Read, but a missing member leaves `out` as it is: for members that later formats added.
  template <typename T>
  void ReadIfPresent(const char* key, T& out) {
    if (object_.contains(key)) Read(key, out);
  }
  // The member when it is an array (an object); null, failing, otherwise.
  const nlohmann::json* Array(const char* key);
  const nlohmann::json* Object(const char* key);

  // Fails with "'<key>' is <why>" unless a read failed before.
  void Fail(const char* key, const std::string& why);
  bool failed() const { return failure_.has_value(); }

 private:
  const nlohmann::json* Find(const char* key, bool (nlohmann::json::*is)() const noexcept);

  const nlohmann::json& object_;
  const std::string part_;
  std::optional<std::string>& failure_;
};

// Reads the text of a stored document of `kind` ("plan", "forecast") into a Record, a value with
// an `id`: `read(top, record, failure)` reads the members of its top object. Errors (kInternal):
// "stored plan document: not JSON", "… not a JSON object", and "stored plan document 'plan-1':
// bucket 3 has no 'units'" for the first failure `read` met.
template <typename Record, typename ReadTop>
Result<Record> ReadStoredDocument(std::string_view text, std::string_view kind, ReadTop read) {
  const std::string what = "stored " + std::string(kind) + " document";
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Internal(what + ": not JSON");
  if (!document.is_object()) return Internal(what + ": not a JSON object");
  Record record;
  std::optional<std::string> failure;
  DocumentMembers top(document, "the document ", failure);
  read(top, record, failure);
  if (!failure) return record;
  const std::string which = record.id.empty() ? "" : " '" + record.id + "'";
  return Internal(what + which + ": " + *failure);
}

}  // namespace patchcast::api
