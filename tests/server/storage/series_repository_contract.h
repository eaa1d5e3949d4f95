// The cases every forecasting::SeriesRepository implementation must pass, written once in
// series_repository_contract_test.cpp and compiled into each storage engine's test binary:
// patchcast_storage_test (SQLite) and patchcast_pg_storage_test (PostgreSQL). Each binary defines
// the two functions below for its engine. Not thread-safe: one repository per test case.
#pragma once

#include <memory>

#include "forecasting/series_repository.h"

namespace patchcast::storage::contract {

// A repository under test and whatever keeps it alive: its store, directory or database.
class RepositoryUnderTest {
 public:
  virtual ~RepositoryUnderTest() = default;
  virtual forecasting::SeriesRepository& repository() = 0;
};

// Returns a repository over a fresh, empty store; fails the test case (REQUIRE) if it cannot.
std::unique_ptr<RepositoryUnderTest> OpenRepositoryUnderTest();

// Returns whether this engine can be tested here; the cases are skipped (not passed) when not.
bool RepositoryEngineAvailable();

}  // namespace patchcast::storage::contract
