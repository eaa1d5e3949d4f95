// `patchcast migrate-db --from DB --to DB`: copies a database into a new, empty one and verifies
// the copy, e.g. an SQLite file into PostgreSQL when a service outgrows one machine.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace patchcast::server {

// Runs `patchcast migrate-db ARGS...`, reporting on `out` what was copied and on `err` why it
// failed. Returns the exit status: 0 when copied and verified, 1 when a database could not be
// opened, the target is not empty, or the copy failed or differs, 2 for a usage error.
int RunMigrateDbCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace patchcast::server
