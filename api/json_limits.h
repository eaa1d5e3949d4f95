// JSON limits: bounds on a JSON request body, checked by one pass that builds nothing.
//
// nlohmann::json builds a document of 16 bytes per value plus a heap block per array, object and
// string, so a 32 MiB body of "[],[],…" becomes ~800 MB before any handler can look at it. The
// check below measures strings by their quotes alone, then streams the body through a SAX handler
// that only counts (depth, values) and stops at the first limit exceeded, so a hostile body costs
// its own bytes and nothing more; only a body within every limit is then built. Pure functions;
// thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.h"

namespace patchcast::api {

struct JsonLimits {
  // Arrays and objects nested in one another, the top-level object included (default 32; no body
  // of this API nests more than 4).
  std::size_t max_depth = 32;
  // Every value: numbers, strings, true, false, null, arrays and objects; object keys are not
  // counted (default 20,000: the largest body but a simulation's is a custom calendar of 10,000
  // dates).
  std::size_t max_values = 20'000;
  // Bytes of one string or object key as sent, escapes included (default 64 KiB; no field takes
  // more than 4,096 bytes, 24 KiB when every one is sent as a \u escape).
  std::size_t max_string_bytes = 64u << 10;
};

// Checks that `body` is one JSON text within `limits`, reading it once without building it.
// Returns kInvalidArgument naming a byte counted from 1: where the parser stopped on a syntax error
// (as nlohmann::json reports it), where a string too long opens, or where the value passing the
// depth or value limit ends (a string's closing quote, a number's last digit, the opening bracket
// of an array or object): "request body is not valid JSON: syntax error at byte N" ("it is empty at
// byte 1" for an empty body, "number out of range at byte N" for 1e400); "request body nests JSON
// deeper than 32 levels at byte N"; "request body has more than 20000 JSON values (the limit of
// this request) at byte N"; "request body has a JSON string of 70000 bytes at byte N; at most 65536
// are allowed".
Status CheckJsonLimits(std::string_view body, const JsonLimits& limits);

}  // namespace patchcast::api
