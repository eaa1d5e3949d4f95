#include "server/storage/pg/pg_parameters.h"

#include <charconv>
#include <cmath>
#include <pqxx/prepared_statement>

#include "server/storage/pg/pg_time.h"

namespace patchcast::storage::pg {

void PgParameters::Integer(std::optional<std::int64_t> value) {
  if (value) {
    Integer(*value);
  } else {
    values_.emplace_back(std::nullopt);
  }
}

void PgParameters::Boolean(std::optional<bool> value) {
  if (value) {
    values_.emplace_back(*value ? "true" : "false");
  } else {
    values_.emplace_back(std::nullopt);
  }
}

void PgParameters::Time(std::chrono::sys_seconds instant) { Integer(Seconds(instant)); }

void PgParameters::Time(std::optional<std::chrono::sys_seconds> instant) {
  if (instant) {
    Time(*instant);
  } else {
    values_.emplace_back(std::nullopt);
  }
}

void PgParameters::Real(double value) {
  if (std::isnan(value)) {
    values_.emplace_back(std::nullopt);
    return;
  }
  char text[32];
  const auto written = std::to_chars(text, text + sizeof text, value);
  values_.emplace_back(std::string(text, written.ptr));
}

std::vector<const char*> PgParameters::Values() const {
  std::vector<const char*> values;
  values.reserve(values_.size());
  for (const std::optional<std::string>& value : values_) {
    values.push_back(value ? value->c_str() : nullptr);
  }
  return values;
}

std::string Placeholders(std::size_t first, std::size_t count) {
  std::string placeholders;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) placeholders += ", ";
    placeholders += "$" + std::to_string(first + i);
  }
  return placeholders;
}

pqxx::result Execute(pqxx::transaction_base& transaction, const std::string& sql,
                     const PgParameters& parameters) {
  const std::vector<const char*> values = parameters.Values();
  return transaction.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
}

}  // namespace patchcast::storage::pg
