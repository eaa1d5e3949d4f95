// PgTestDatabase: a fresh, empty database of its own for one test case, on the test binary's
// shared cluster (pg_cluster.h), dropped with its connections on destruction.
//
// Creating one fails the test (REQUIRE) when the shared cluster could not be started. Not
// thread-safe (one per test case); the database serves any number of connections.
#pragma once

#include <doctest/doctest.h>

#include <atomic>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <string>

#include "tests/support/pg_cluster.h"

namespace patchcast::testing {

class PgTestDatabase {
 public:
  PgTestDatabase() {
    std::string failure;
    cluster_ = SharedPgCluster(&failure);
    INFO(failure);
    REQUIRE(cluster_ != nullptr);
    static std::atomic<int> counter{0};
    name_ = "case_" + std::to_string(++counter);
    // FILE_COPY copies the template's files, faster for a small database than PostgreSQL 15's
    // default of writing them through the WAL (patchcast_pg_storage_test: 26.5 s, then 21.6 s).
    Admin("CREATE DATABASE " + name_ + " STRATEGY FILE_COPY");
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;
  ~PgTestDatabase() {
    try {
      Admin("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (const pqxx::failure&) {
      // Best effort: the cluster and its databases are removed when the binary exits.
    }
  }

  const std::string& name() const { return name_; }
  std::string url() const { return cluster_->Url(name_); }
  PgCluster& cluster() const { return *cluster_; }

  // Terminates every backend of this database but the caller's, waiting until they have exited:
  // what a server restart or a failover does to a pool's idle connections. Returns how many.
  int TerminateConnections() const {
    pqxx::connection admin(cluster_->Url("postgres"));
    return pqxx::nontransaction(admin)
        .exec1(
            "SELECT count(pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
            "WHERE datname = '" +
            name_ + "' AND pid <> pg_backend_pid()")[0]
        .as<int>();
  }

  // Runs `sql` on a new superuser connection to the maintenance database "postgres".
  void Admin(const std::string& sql) const {
    pqxx::connection connection(cluster_->Url("postgres"));
    pqxx::nontransaction(connection).exec(sql);
  }

 private:
  PgCluster* cluster_ = nullptr;
  std::string name_;
};

}  // namespace patchcast::testing
