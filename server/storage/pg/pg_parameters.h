// PgParameters: a statement's parameters built at run time, as text, in order, a missing one NULL,
// for statements whose number of parameters depends on the data (multi-row INSERTs, NULLable
// columns): libpqxx 6 takes such a list only as strings, with a null pointer for NULL. Execute
// runs a statement with them. Not thread-safe; one per statement.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/result>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

namespace patchcast::storage::pg {

class PgParameters {
 public:
  void Text(std::string value) { values_.emplace_back(std::move(value)); }
  void Text(std::optional<std::string> value) { values_.push_back(std::move(value)); }
  void Integer(std::int64_t value) { values_.emplace_back(std::to_string(value)); }
  void Integer(std::optional<std::int64_t> value);
  void Boolean(std::optional<bool> value);
  // Seconds since the Unix epoch, as the tables keep instants (pg_time.h).
  void Time(std::chrono::sys_seconds instant);
  void Time(std::optional<std::chrono::sys_seconds> instant);
  // NaN is NULL; other values go in the shortest text that reads back as the same double.
  void Real(double value);

  std::size_t size() const { return values_.size(); }

  // The values for exec_params, valid while this object is unchanged.
  std::vector<const char*> Values() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// "$first, $first+1, …": `count` placeholders.
std::string Placeholders(std::size_t first, std::size_t count);

// Runs `sql`, whose placeholders are $1..$n for the n `parameters`, in `transaction`.
pqxx::result Execute(pqxx::transaction_base& transaction, const std::string& sql,
                     const PgParameters& parameters);

}  // namespace patchcast::storage::pg
