// `patchcast keys`: makes API keys.
#pragma once

#include <string>
#include <vector>

namespace patchcast::server {

// Runs `patchcast keys ARGS...`. `keys new --scope S --name N [--series P]` prints exactly two
// lines on stdout: the token, then the line to append to the keys file. Returns the exit status
// (0, or 2 for a usage error with the reason on stderr).
int RunKeysCommand(const std::vector<std::string>& args);

}  // namespace patchcast::server
