#include "api/document_digests.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "api/forecast_json.h"
#include "api/point_text.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// A scalar of a document: a string, or a number (integral when is_integer).
struct Scalar {
  const std::string* text = nullptr;  // null unless a string
  bool is_number = false;
  bool is_integer = false;
  double number = 0;
  std::int64_t integer = 0;
};

// Reads a stored document in one SAX pass, without building it in memory (four times faster than
// json::parse on a forecast, which matters for the first scrape after a restart: 400 documents).
// The document must be an object. Subclasses see the scalars at its top level, in its top-level
// arrays, and in the objects those arrays hold (a plan's buckets, a forecast's points), with the
// keys that lead to them; deeper values are skipped. A hook returns false, with error_ set, to
// stop the parse.
class DocumentReader : public nlohmann::json_sax<json> {
 public:
  explicit DocumentReader(std::string where) : where_(std::move(where)) {}

  // Parses `text`; returns error_ when it is not JSON, not an object, or a hook failed.
  Status Read(std::string_view text) {
    bool parsed = false;
    try {
      parsed = json::sax_parse(text, this);
    } catch (const json::exception& e) {
      return Internal(where_ + ": " + e.what());
    }
    if (!parsed) return Internal(error_.empty() ? where_ + " is not JSON" : error_);
    return {};
  }

 protected:
  virtual bool TopScalar(const std::string& key, const Scalar& value) = 0;
  virtual bool ArrayScalar(const std::string& array, const Scalar& value) = 0;
  virtual bool ElementStart(const std::string& array) = 0;
  virtual bool ElementScalar(const std::string& array, const std::string& key,
                             const Scalar& value) = 0;
  virtual bool ElementEnd(const std::string& array) = 0;

  bool Fail(const std::string& message) {
    error_ = where_ + ": " + message;
    return false;
  }

  const std::string where_;

 private:
  // The depth of the value being read: 1 in the top object, 2 in a top-level array, 3 in an
  // object of such an array.
  std::size_t depth() const { return open_.size(); }
  bool InElement() const { return depth() == 3 && open_[1] == '[' && open_[2] == '{'; }

  bool OnScalar(const Scalar& value) {
    if (depth() == 0) return Fail("is not an object");
    if (depth() == 1) return TopScalar(top_key_, value);
    if (depth() == 2 && open_[1] == '[') return ArrayScalar(top_key_, value);
    if (InElement()) return ElementScalar(top_key_, element_key_, value);
    return true;
  }
  bool Open(char kind) {
    if (depth() == 0 && kind != '{') return Fail("is not an object");
    open_.push_back(kind);
    return InElement() ? ElementStart(top_key_) : true;
  }
  bool Close() {
    const bool element = InElement();
    open_.pop_back();
    return element ? ElementEnd(top_key_) : true;
  }

 public:
  bool null() override { return OnScalar({}); }
  bool boolean(bool) override { return OnScalar({}); }
  bool number_integer(number_integer_t value) override {
    return OnScalar({nullptr, true, true, static_cast<double>(value), value});
  }
  bool number_unsigned(number_unsigned_t value) override {
    const bool fits = value <= static_cast<number_unsigned_t>(INT64_MAX);
    return OnScalar({nullptr, true, fits, static_cast<double>(value),
                     fits ? static_cast<std::int64_t>(value) : 0});
  }
  bool number_float(number_float_t value, const string_t&) override {
    return OnScalar({nullptr, true, false, value, 0});
  }
  bool string(string_t& value) override { return OnScalar({&value}); }
  bool binary(binary_t&) override { return OnScalar({}); }
  bool start_object(std::size_t) override { return Open('{'); }
  bool end_object() override { return Close(); }
  bool start_array(std::size_t) override { return Open('['); }
  bool end_array() override { return Close(); }
  bool key(string_t& key) override {
    if (depth() == 1) top_key_ = key;
    if (InElement()) element_key_ = key;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    if (error_.empty()) error_ = where_ + ": " + e.what();
    return false;
  }

 private:
  std::string open_;  // '{' or '[' per open container, outermost first
  std::string top_key_;
  std::string element_key_;
  std::string error_;
};

std::optional<std::chrono::sys_seconds> Time(const Scalar& value) {
  if (!value.text) return std::nullopt;
  auto instant = ParseRfc3339Seconds(*value.text);
  if (!instant) return std::nullopt;
  return *instant;
}

// Appends `start` to `starts` unless it does not come after the last one.
bool Ascending(std::vector<std::chrono::sys_seconds>& starts, std::chrono::sys_seconds start) {
  if (!starts.empty() && start <= starts.back()) return false;
  starts.push_back(start);
  return true;
}

class PlanReader final : public DocumentReader {
 public:
  PlanReader() : DocumentReader("stored plan document") {}

  Result<forecasting::PlannedUnits> Digest(std::string_view text) {
    if (Status read = Read(text); !read) return read.error();
    if (!generated_at_) return Internal(where_ + " has no valid generated_at");
    if (!valid_until_) return Internal(where_ + " has no valid valid_until");
    if (digest_.starts.empty()) return Internal(where_ + " has no buckets");
    digest_.generated_at = *generated_at_;
    digest_.valid_until = *valid_until_;
    return std::move(digest_);
  }

 private:
  bool TopScalar(const std::string& key, const Scalar& value) override {
    if (key == "generated_at") generated_at_ = Time(value);
    if (key == "valid_until") valid_until_ = Time(value);
    if (key == "step_seconds" && value.is_integer) {
      digest_.step = std::chrono::seconds{value.integer};
    }
    if (key == "fallback_units" && value.is_integer) {
      digest_.fallback_units = static_cast<int>(value.integer);
    }
    return true;
  }
  bool ArrayScalar(const std::string&, const Scalar&) override { return true; }
  bool ElementStart(const std::string&) override {
    ts_.reset();
    units_.reset();
    return true;
  }
  bool ElementScalar(const std::string& array, const std::string& key,
                     const Scalar& value) override {
    if (array != "buckets") return true;
    if (key == "ts") ts_ = Time(value);
    if (key == "units" && value.is_integer) units_ = static_cast<int>(value.integer);
    return true;
  }
  bool ElementEnd(const std::string& array) override {
    if (array != "buckets") return true;
    if (!ts_) return Fail("a bucket has no valid ts");
    if (!units_) return Fail("bucket " + FormatRfc3339(*ts_) + " has no integer units");
    if (!Ascending(digest_.starts, *ts_)) return Fail("buckets are not in order of ts");
    digest_.units.push_back(*units_);
    return true;
  }

  forecasting::PlannedUnits digest_;
  std::optional<std::chrono::sys_seconds> generated_at_;
  std::optional<std::chrono::sys_seconds> valid_until_;
  std::optional<std::chrono::sys_seconds> ts_;
  std::optional<int> units_;
};

class ForecastReader final : public DocumentReader {
 public:
  ForecastReader() : DocumentReader("stored forecast document") {}

  Result<forecasting::ForecastQuantiles> Digest(std::string_view text) {
    digest_.step = std::chrono::seconds{0};
    if (Status read = Read(text); !read) return read.error();
    if (digest_.step < std::chrono::seconds{1}) return Internal(where_ + " has no step_seconds");
    std::vector<double>& levels = digest_.levels;
    if (levels.empty()) return Internal(where_ + " has no quantiles");
    std::sort(levels.begin(), levels.end());
    levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
    // Points come before quantiles in a stored document (its keys are sorted), so the points'
    // numbers were kept by key; now pick the levels' columns.
    const std::size_t points = digest_.starts.size();
    digest_.values.assign(points * levels.size(), kMissing);
    for (std::size_t q = 0; q < levels.size(); ++q) {
      const std::string key = QuantileKey(levels[q]);
      auto column = std::find(columns_.begin(), columns_.end(), key);
      if (column == columns_.end()) {
        if (points == 0) continue;
        return Internal(where_ + ": point " + FormatRfc3339(digest_.starts[0]) + " has no number " +
                        key);
      }
      const auto c = static_cast<std::size_t>(column - columns_.begin());
      for (const Cell& cell : cells_) {
        if (cell.column == c) digest_.values[cell.point * levels.size() + q] = cell.value;
      }
      for (std::size_t i = 0; i < points; ++i) {
        if (std::isnan(digest_.values[i * levels.size() + q])) {
          return Internal(where_ + ": point " + FormatRfc3339(digest_.starts[i]) +
                          " has no number " + key);
        }
      }
    }
    return std::move(digest_);
  }

 private:
  static constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
  struct Cell {
    std::size_t point;
    std::size_t column;
    double value;
  };

  bool TopScalar(const std::string& key, const Scalar& value) override {
    if (key == "step_seconds" && value.is_integer) {
      digest_.step = std::chrono::seconds{value.integer};
    }
    return true;
  }
  bool ArrayScalar(const std::string& array, const Scalar& value) override {
    if (array != "quantiles") return true;
    if (!value.is_number) return Fail("a quantile level is not a number");
    digest_.levels.push_back(value.number);
    return true;
  }
  bool ElementStart(const std::string& array) override {
    if (array == "points") ts_.reset();
    return true;
  }
  bool ElementScalar(const std::string& array, const std::string& key,
                     const Scalar& value) override {
    if (array != "points") return true;
    if (key == "ts") {
      ts_ = Time(value);
      return true;
    }
    if (!value.is_number) return true;
    auto column = std::find(columns_.begin(), columns_.end(), key);
    if (column == columns_.end()) column = columns_.insert(columns_.end(), key);
    cells_.push_back(
        {digest_.starts.size(), static_cast<std::size_t>(column - columns_.begin()), value.number});
    return true;
  }
  bool ElementEnd(const std::string& array) override {
    if (array != "points") return true;
    if (!ts_) return Fail("a point has no valid ts");
    if (!Ascending(digest_.starts, *ts_)) return Fail("points are not in order of ts");
    return true;
  }

  forecasting::ForecastQuantiles digest_;
  std::optional<std::chrono::sys_seconds> ts_;
  std::vector<std::string> columns_;  // the numeric keys of points, in order of appearance
  std::vector<Cell> cells_;           // the points' numbers; point is the index it gets
};

}  // namespace

Result<forecasting::PlannedUnits> DigestPlanDocument(std::string_view document) {
  return PlanReader().Digest(document);
}

Result<forecasting::ForecastQuantiles> DigestForecastDocument(std::string_view document) {
  return ForecastReader().Digest(document);
}

}  // namespace patchcast::api
