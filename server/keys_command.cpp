#include "server/keys_command.h"

#include <cstdio>

#include "server/api_keys.h"

namespace patchcast::server {
namespace {

constexpr const char* kKeysHelp =
    "Usage: patchcast keys new --scope read|write|admin --name NAME [--series PREFIX]\n\n"
    "Makes an API key. Prints two lines on stdout: the token (give it to the client; it is shown\n"
    "only once) and the line to append to the keys file passed to `patchcast serve --api-keys`,\n"
    "which holds only the token's SHA-256.\n\n"
    "  --scope SCOPE     read < write < admin\n"
    "  --name NAME       1-64 characters of A-Z a-z 0-9 . _ -, shown in access logs\n"
    "  --series PREFIX   limit the key to series whose id starts with PREFIX\n\n"
    "Example:\n"
    "  patchcast keys new --scope write --name ci | tee /dev/stderr | tail -n 1 >> keys.txt\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "patchcast keys: %s\n\n%s", message.c_str(), kKeysHelp);
  return 2;
}

}  // namespace

int RunKeysCommand(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kKeysHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "new") return UsageError("unknown command '" + args[0] + "'");
  std::string scope_text;
  std::string name;
  std::string series;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kKeysHelp, stdout);
      return 0;
    }
    if (i + 1 >= args.size()) return UsageError(flag + " needs a value");
    const std::string& value = args[++i];
    if (flag == "--scope") {
      scope_text = value;
    } else if (flag == "--name") {
      name = value;
    } else if (flag == "--series") {
      series = value;
    } else {
      return UsageError("unknown option '" + flag + "'");
    }
  }
  auto scope = api::ParseKeyScope(scope_text);
  if (!scope) return UsageError("--scope must be read, write or admin");
  if (name.empty()) return UsageError("--name is required");
  auto key = MakeKey(name, *scope, series);
  if (!key) return UsageError(key.error().message);
  std::printf("%s\n%s\n", key->token.c_str(), key->file_line.c_str());
  return 0;
}

}  // namespace patchcast::server
