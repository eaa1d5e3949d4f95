#include "api/points_json.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/point_text.h"
#include "forecasting/series.h"

namespace patchcast::api {
namespace {

using Json = nlohmann::json;

// nlohmann's out_of_range.406, "number overflow parsing '1e999'".
constexpr int kNumberOverflow = 406;

constexpr const char* kShapeError =
    "request body must be a JSON object with 'points', or 'timestamps' and 'values'";

// One JSON scalar as the SAX stream delivers it.
struct Scalar {
  enum class Kind { kNull, kBoolean, kInteger, kUnsigned, kFloat, kString };
  Kind kind = Kind::kNull;
  std::int64_t integer = 0;
  std::uint64_t unsigned_integer = 0;
  std::string_view text;  // kFloat: the number as written; kString: the string
};

const char* KindName(Scalar::Kind kind) {
  switch (kind) {
    case Scalar::Kind::kNull:
      return "null";
    case Scalar::Kind::kBoolean:
      return "boolean";
    case Scalar::Kind::kString:
      return "string";
    case Scalar::Kind::kInteger:
    case Scalar::Kind::kUnsigned:
    case Scalar::Kind::kFloat:
      return "number";
  }
  return "value";
}

// The decimal text of an integer, for error messages only.
template <typename Integer>
std::string IntegerText(Integer value) {
  return std::to_string(value);
}

// The SAX handler (nlohmann's "SAX" concept; no virtual calls): a small state machine that writes
// each point into the output vector as its two scalars arrive. Returning false stops the parse.
class PointsSax {
 public:
  PointsSax(const ParseLimits& limits, std::vector<forecasting::Point>& points)
      : limits_(limits), points_(points) {}

  // The SAX concept.
  bool null() { return OnScalar({}); }
  bool boolean(bool) { return OnScalar({Scalar::Kind::kBoolean, 0, 0, {}}); }
  bool number_integer(Json::number_integer_t value) {
    return OnScalar({Scalar::Kind::kInteger, value, 0, {}});
  }
  bool number_unsigned(Json::number_unsigned_t value) {
    return OnScalar({Scalar::Kind::kUnsigned, 0, value, {}});
  }
  bool number_float(Json::number_float_t, const Json::string_t& text) {
    return OnScalar({Scalar::Kind::kFloat, 0, 0, text});
  }
  bool string(Json::string_t& text) { return OnScalar({Scalar::Kind::kString, 0, 0, text}); }
  bool binary(Json::binary_t&) { return Fail(InvalidArgument(kShapeError)); }  // not in JSON text
  bool start_object(std::size_t) { return OnStart(/*object=*/true); }
  bool start_array(std::size_t) { return OnStart(/*object=*/false); }
  bool end_object() { return OnEnd(); }
  bool end_array() { return OnEnd(); }
  bool key(Json::string_t& name);
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& error) {
    if (error.id == kNumberOverflow) {
      // Valid JSON, but beyond a double (1e999): nlohmann stops here. Report it where it stands,
      // with the reason the CSV parser gives, and list the rows found bad so far.
      stopped_at_number_ = position;
      OnScalar({Scalar::Kind::kFloat, 0, 0, token});
    } else {
      syntax_error_at_ = position;
    }
    return false;
  }

  // The result once sax_parse has returned.
  Result<PointsLayout> Finish();

 private:
  enum class State {
    kStart,        // before the root object
    kRoot,         // in the root object, between members
    kRootValue,    // after a root key, before its value
    kPoints,       // in "points", between elements
    kPointArray,   // in one [ts, value] element
    kPointObject,  // in one {"ts": ..., "value": ...} element
    kColumn,       // in "timestamps" or "values"
    kEnd,          // after the root object
  };
  enum class Field { kPoints, kTimestamps, kValues };
  enum class Member { kTs, kValue, kIgnored };

  bool OnScalar(const Scalar& scalar);
  bool OnStart(bool object);
  bool OnEnd();

  bool Fail(Error error) {
    if (!fatal_) fatal_ = std::move(error);
    return false;
  }
  static const char* FieldName(Field field) {
    return field == Field::kPoints       ? "points"
           : field == Field::kTimestamps ? "timestamps"
                                         : "values";
  }
  // Makes room for point `index`; false (and the 413 error) past the limit.
  bool Reach(std::size_t index) {
    if (index < points_.size()) return true;
    if (index >= limits_.max_points) return Fail(TooManyPointsError(limits_.max_points));
    points_.emplace_back();
    return true;
  }
  // Records that the current row (points mode) or element `index` of the current column is bad;
  // only its first reason is kept.
  template <typename Describe>
  void RowError(Describe&& describe);
  void Timestamp(const Scalar& scalar);
  void Value(const Scalar& scalar);
  std::size_t CurrentIndex() const {
    return field_ == Field::kPoints   ? points_.size() - 1
           : field_ == Field::kValues ? value_count_
                                      : timestamp_count_;
  }

  const ParseLimits& limits_;
  std::vector<forecasting::Point>& points_;
  forecasting::RowErrors errors_;
  std::optional<Error> fatal_;
  std::optional<std::size_t> syntax_error_at_;
  std::optional<std::size_t> stopped_at_number_;  // the byte offset of a number beyond a double

  State state_ = State::kStart;
  std::size_t skip_depth_ = 0;  // > 0 inside a container being skipped after a row error
  Field field_ = Field::kPoints;
  bool seen_[3] = {false, false, false};  // by Field
  std::size_t timestamp_count_ = 0;
  std::size_t value_count_ = 0;
  // The current element of "points".
  std::size_t element_count_ = 0;  // array form: scalars and containers seen
  Member member_ = Member::kIgnored;
  bool has_ts_ = false;
  bool has_value_ = false;
  bool row_failed_ = false;
  std::vector<bool> failed_;  // columnar: indices already reported; grown on the first error
};

template <typename Describe>
void PointsSax::RowError(Describe&& describe) {
  const std::size_t index = CurrentIndex();
  if (field_ == Field::kPoints) {
    if (row_failed_) return;
    row_failed_ = true;
  } else {
    // Both columns write the same row: count it once.
    if (failed_.size() <= index) failed_.resize(index + 1);
    if (failed_[index]) return;
    failed_[index] = true;
  }
  errors_.Add([&] {
    std::string name = FieldName(field_);
    name += '[';
    name += std::to_string(index);
    name += "]: ";
    return name + describe();
  });
}

void PointsSax::Timestamp(const Scalar& scalar) {
  TimestampError error = TimestampError::kNone;
  forecasting::Point& point = points_[CurrentIndex()];
  switch (scalar.kind) {
    case Scalar::Kind::kString:
      error = ParseRfc3339(scalar.text, point.ts);
      if (error != TimestampError::kNone) {
        RowError([&] { return DescribeTimestampError(error, scalar.text); });
      }
      return;
    case Scalar::Kind::kInteger:
      error = UnixSecondsToTime(scalar.integer, point.ts);
      if (error != TimestampError::kNone) {
        RowError([&] { return DescribeTimestampError(error, IntegerText(scalar.integer), false); });
      }
      return;
    case Scalar::Kind::kUnsigned:
      // nlohmann reports every non-negative integer as number_unsigned, up to 2^64 - 1.
      error = scalar.unsigned_integer > std::numeric_limits<std::int64_t>::max()
                  ? TimestampError::kAfter9999
                  : UnixSecondsToTime(static_cast<std::int64_t>(scalar.unsigned_integer), point.ts);
      if (error != TimestampError::kNone) {
        RowError([&] {
          return DescribeTimestampError(error, IntegerText(scalar.unsigned_integer), false);
        });
      }
      return;
    case Scalar::Kind::kFloat: {
      // An integer beyond uint64 arrives as a float; its text has no fraction or exponent.
      const bool integral = scalar.text.find_first_of(".eE") == std::string_view::npos;
      error = !integral                      ? TimestampError::kNotInteger
              : scalar.text.starts_with('-') ? TimestampError::kBefore1970
                                             : TimestampError::kAfter9999;
      RowError([&] { return DescribeTimestampError(error, scalar.text, false); });
      return;
    }
    case Scalar::Kind::kNull:
    case Scalar::Kind::kBoolean:
      RowError([&] {
        return std::string("timestamp must be an RFC 3339 string or integer Unix seconds, not ") +
               KindName(scalar.kind);
      });
      return;
  }
}

void PointsSax::Value(const Scalar& scalar) {
  forecasting::Point& point = points_[CurrentIndex()];
  switch (scalar.kind) {
    case Scalar::Kind::kInteger:
      point.value = static_cast<double>(scalar.integer);
      if (!forecasting::IsValidPointValue(point.value, limits_.max_value)) {
        RowError([&] {
          return DescribeValueError(ValueError::kRule, IntegerText(scalar.integer),
                                    limits_.max_value);
        });
      }
      return;
    case Scalar::Kind::kUnsigned:
      point.value = static_cast<double>(scalar.unsigned_integer);
      if (!forecasting::IsValidPointValue(point.value, limits_.max_value)) {
        RowError([&] {
          return DescribeValueError(ValueError::kRule, IntegerText(scalar.unsigned_integer),
                                    limits_.max_value);
        });
      }
      return;
    case Scalar::Kind::kFloat: {
      // Re-read the text as the CSV parser does: nlohmann's strtod turns 1e999 into inf silently.
      const ValueError error = ParseValueText(scalar.text, limits_.max_value, point.value);
      if (error != ValueError::kNone) {
        RowError([&] { return DescribeValueError(error, scalar.text, limits_.max_value); });
      }
      return;
    }
    case Scalar::Kind::kNull:
    case Scalar::Kind::kBoolean:
    case Scalar::Kind::kString:
      RowError([&] { return std::string("value must be a number, not ") + KindName(scalar.kind); });
      return;
  }
}

bool PointsSax::key(Json::string_t& name) {
  if (skip_depth_ > 0) return true;
  if (state_ == State::kRoot) {
    Field field;
    if (name == "points") {
      field = Field::kPoints;
    } else if (name == "timestamps") {
      field = Field::kTimestamps;
    } else if (name == "values") {
      field = Field::kValues;
    } else {
      std::string quoted(std::string_view(name).substr(0, 64));
      return Fail(InvalidArgument("unknown field '" + quoted +
                                  "' in the request body; expected 'points', or 'timestamps' and "
                                  "'values'"));
    }
    const auto index = static_cast<std::size_t>(field);
    if (seen_[index]) {
      return Fail(InvalidArgument(std::string("field '") + FieldName(field) + "' appears twice"));
    }
    seen_[index] = true;
    if (seen_[0] && (seen_[1] || seen_[2])) {
      return Fail(InvalidArgument("'points' cannot be combined with 'timestamps' or 'values'"));
    }
    field_ = field;
    state_ = State::kRootValue;
    return true;
  }
  // state_ == kPointObject: the only other place keys occur outside skipped containers.
  const bool is_ts = name == "ts";
  if (is_ts || name == "value") {
    bool& has = is_ts ? has_ts_ : has_value_;
    if (has) {
      RowError([&] { return std::string("has '") + (is_ts ? "ts" : "value") + "' twice"; });
      member_ = Member::kIgnored;
    } else {
      has = true;
      member_ = is_ts ? Member::kTs : Member::kValue;
    }
  } else {
    RowError([&] {
      return "unknown member '" + std::string(std::string_view(name).substr(0, 64)) +
             "'; expected 'ts' and 'value'";
    });
    member_ = Member::kIgnored;
  }
  return true;
}

bool PointsSax::OnScalar(const Scalar& scalar) {
  if (skip_depth_ > 0) return true;
  switch (state_) {
    case State::kStart:
    case State::kEnd:
      return Fail(InvalidArgument(kShapeError));
    case State::kRoot:  // a value without a key cannot happen in an object
      return Fail(InvalidArgument(kShapeError));
    case State::kRootValue:
      return Fail(InvalidArgument(std::string("field '") + FieldName(field_) +
                                  "' must be an array, not " + KindName(scalar.kind)));
    case State::kPoints:
      if (!Reach(points_.size())) return false;
      row_failed_ = false;
      RowError([&] {
        return std::string("expected [ts, value] or {\"ts\": ..., \"value\": ...}, not ") +
               KindName(scalar.kind);
      });
      return true;
    case State::kPointArray:
      if (element_count_ == 0) Timestamp(scalar);
      if (element_count_ == 1) Value(scalar);
      ++element_count_;
      return true;
    case State::kPointObject:
      if (member_ == Member::kTs) Timestamp(scalar);
      if (member_ == Member::kValue) Value(scalar);
      return true;
    case State::kColumn: {
      std::size_t& count = field_ == Field::kTimestamps ? timestamp_count_ : value_count_;
      if (!Reach(count)) return false;
      if (field_ == Field::kTimestamps) {
        Timestamp(scalar);
      } else {
        Value(scalar);
      }
      ++count;
      return true;
    }
  }
  return true;
}

bool PointsSax::OnStart(bool object) {
  const char* kind = object ? "object" : "array";
  if (skip_depth_ > 0) {
    ++skip_depth_;
    return true;
  }
  switch (state_) {
    case State::kStart:
      if (!object) return Fail(InvalidArgument(kShapeError));
      state_ = State::kRoot;
      return true;
    case State::kRoot:
    case State::kEnd:
      return Fail(InvalidArgument(kShapeError));
    case State::kRootValue:
      if (object) {
        return Fail(InvalidArgument(std::string("field '") + FieldName(field_) +
                                    "' must be an array, not object"));
      }
      state_ = field_ == Field::kPoints ? State::kPoints : State::kColumn;
      return true;
    case State::kPoints:
      if (!Reach(points_.size())) return false;
      row_failed_ = false;
      element_count_ = 0;
      has_ts_ = has_value_ = false;
      member_ = Member::kIgnored;
      state_ = object ? State::kPointObject : State::kPointArray;
      return true;
    case State::kPointArray:
      if (element_count_ < 2) {
        const bool is_ts = element_count_ == 0;
        RowError([&] {
          return std::string(is_ts ? "timestamp must be an RFC 3339 string or integer Unix "
                                     "seconds, not "
                                   : "value must be a number, not ") +
                 kind;
        });
      }
      ++element_count_;
      skip_depth_ = 1;
      return true;
    case State::kPointObject:
      if (member_ != Member::kIgnored) {
        const bool is_ts = member_ == Member::kTs;
        RowError([&] {
          return std::string(is_ts ? "timestamp must be an RFC 3339 string or integer Unix "
                                     "seconds, not "
                                   : "value must be a number, not ") +
                 kind;
        });
      }
      skip_depth_ = 1;
      return true;
    case State::kColumn: {
      std::size_t& count = field_ == Field::kTimestamps ? timestamp_count_ : value_count_;
      if (!Reach(count)) return false;
      const bool is_ts = field_ == Field::kTimestamps;
      RowError([&] {
        return std::string(is_ts ? "timestamp must be an RFC 3339 string or integer Unix "
                                   "seconds, not "
                                 : "value must be a number, not ") +
               kind;
      });
      ++count;
      skip_depth_ = 1;
      return true;
    }
  }
  return true;
}

bool PointsSax::OnEnd() {
  if (skip_depth_ > 0) {
    --skip_depth_;
    return true;
  }
  switch (state_) {
    case State::kRoot:
      state_ = State::kEnd;
      return true;
    case State::kPoints:
    case State::kColumn:
      state_ = State::kRoot;
      return true;
    case State::kPointArray:
      if (element_count_ != 2) {
        RowError([&] {
          return "has " + std::to_string(element_count_) + " element" +
                 (element_count_ == 1 ? "" : "s") + "; expected [ts, value]";
        });
      }
      state_ = State::kPoints;
      return true;
    case State::kPointObject:
      if (!has_ts_ || !has_value_) {
        RowError([&] { return std::string("lacks '") + (has_ts_ ? "value" : "ts") + "'"; });
      }
      state_ = State::kPoints;
      return true;
    case State::kStart:
    case State::kRootValue:
    case State::kEnd:
      break;
  }
  return Fail(InvalidArgument(kShapeError));  // unreachable for well-formed JSON
}

Result<PointsLayout> PointsSax::Finish() {
  if (fatal_) return *std::move(fatal_);
  if (syntax_error_at_) {
    return InvalidArgument("request body is not valid JSON: syntax error at byte " +
                           std::to_string(*syntax_error_at_));
  }
  if (stopped_at_number_) {
    if (!errors_.empty()) return std::move(errors_).ToError(ErrorCode::kInvalidArgument);
    return InvalidArgument("request body has a number beyond the range of a double at byte " +
                           std::to_string(*stopped_at_number_));
  }
  const bool points = seen_[static_cast<std::size_t>(Field::kPoints)];
  const bool timestamps = seen_[static_cast<std::size_t>(Field::kTimestamps)];
  const bool values = seen_[static_cast<std::size_t>(Field::kValues)];
  if (state_ != State::kEnd || (!points && !timestamps && !values)) {
    return InvalidArgument(kShapeError);
  }
  if (timestamps != values) {
    return InvalidArgument(timestamps ? "'timestamps' is given without 'values'"
                                      : "'values' is given without 'timestamps'");
  }
  if (timestamps && timestamp_count_ != value_count_) {
    return InvalidArgument("'timestamps' has " + std::to_string(timestamp_count_) +
                           " elements but 'values' has " + std::to_string(value_count_));
  }
  if (!errors_.empty()) return std::move(errors_).ToError(ErrorCode::kInvalidArgument);
  return points ? PointsLayout::kJsonPoints : PointsLayout::kJsonColumns;
}

}  // namespace

Result<ParsedPoints> ParsePointsJson(std::string_view body, const ParseLimits& limits) {
  if (body.empty()) return InvalidArgument("empty body");
  ParsedPoints parsed;
  PointsSax sax(limits, parsed.points);
  try {
    // Strict: nothing but whitespace may follow the root value.
    Json::sax_parse(body.data(), body.data() + body.size(), &sax);
  } catch (const Json::exception& error) {
    // sax_parse reports syntax errors through parse_error; anything else is still bad input.
    return InvalidArgument(std::string("request body is not valid JSON: ") + error.what());
  }
  Result<PointsLayout> layout = sax.Finish();
  if (!layout) return std::move(layout).error();
  parsed.layout = *layout;
  return parsed;
}

}  // namespace patchcast::api
