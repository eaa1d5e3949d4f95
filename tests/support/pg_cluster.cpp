#include "tests/support/pg_cluster.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "tests/support/free_port.h"

namespace patchcast::testing {
namespace {

namespace fs = std::filesystem;

// Who runs the PostgreSQL binaries: `nobody` when we are root, else ourselves (nullopt).
struct Account {
  uid_t uid;
  gid_t gid;
};

std::optional<Account> ToolAccount(std::string* failure) {
  if (::geteuid() != 0) return std::nullopt;
  const passwd* nobody = ::getpwnam("nobody");
  if (!nobody) {
    *failure = "running as root, and there is no user 'nobody' to run PostgreSQL as";
    return std::nullopt;
  }
  return Account{nobody->pw_uid, nobody->pw_gid};
}

// Runs `argv` (argv[0] an absolute path) to completion in `cwd`, as `account` when set, with
// stdout and stderr appended to `log`. Returns the exit status, or -1 if it did not run.
int RunTool(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& log,
            const std::optional<Account>& account) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const std::string cwd_text = cwd.string();
  const std::string log_text = log.string();
  const pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {  // only async-signal-safe calls from here to exec
    const int fd = ::open(log_text.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0 || ::dup2(fd, 1) < 0 || ::dup2(fd, 2) < 0 || ::chdir(cwd_text.c_str()) != 0) {
      ::_exit(126);
    }
    if (account && (::setgroups(0, nullptr) != 0 || ::setgid(account->gid) != 0 ||
                    ::setuid(account->uid) != 0)) {
      ::_exit(126);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

std::string Tail(const fs::path& log) {
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

// Puts a rule first in `hba` (pg_hba.conf: the first matching line decides) that makes `role`
// give a password over TCP, where initdb -A trust lets everyone else in without one.
bool RequirePasswordOf(std::string_view role, const fs::path& hba) {
  std::stringstream rules;
  rules << std::ifstream(hba).rdbuf();
  std::ofstream out(hba, std::ios::trunc);  // keeps the file's owner
  out << "host all " << role << " 127.0.0.1/32 scram-sha-256\n" << rules.str();
  return static_cast<bool>(out.flush());
}

bool HasTools(const fs::path& dir) {
  std::error_code ignored;
  return fs::is_regular_file(dir / "initdb", ignored) &&
         fs::is_regular_file(dir / "pg_ctl", ignored);
}

}  // namespace

std::string PgBinDir() {
  if (const char* chosen = std::getenv("PATCHCAST_PG_BINDIR")) {
    return HasTools(chosen) ? chosen : "";
  }
  std::error_code error;
  int newest = -1;
  std::string found;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > newest && HasTools(entry.path() / "bin")) {
      newest = version;
      found = (entry.path() / "bin").string();
    }
  }
  return found;
}

bool PgInstalled() {
  static const bool installed = [] {
    if (!PgBinDir().empty()) return true;
    std::fprintf(stderr,
                 "PostgreSQL tests skipped: no initdb and pg_ctl under /usr/lib/postgresql/*/bin "
                 "(or $PATCHCAST_PG_BINDIR); install Debian's postgresql\n");
    return false;
  }();
  return installed;
}

std::unique_ptr<PgCluster> PgCluster::Start(std::string* failure, Durability durability) {
  std::unique_ptr<PgCluster> cluster(new PgCluster());
  cluster->bin_dir_ = PgBinDir();
  if (cluster->bin_dir_.empty()) {
    *failure = "PostgreSQL is not installed";
    return nullptr;
  }
  failure->clear();
  const std::optional<Account> account = ToolAccount(failure);
  if (!failure->empty()) return nullptr;
  const fs::path dir = cluster->dir();
  if (account && ::chown(dir.c_str(), account->uid, account->gid) != 0) {
    *failure = "cannot hand " + dir.string() + " to user nobody";
    return nullptr;
  }
  const fs::path tool_log = dir / "tools.log";
  // --no-sync: the empty cluster need not survive a power cut, and tests start faster.
  if (RunTool({cluster->bin_dir_ + "/initdb", "-D", (dir / "data").string(), "-U", "patchcast",
               "-A", "trust", "--no-locale", "-E", "UTF8", "--no-sync", "--no-instructions"},
              dir, tool_log, account) != 0) {
    *failure = "initdb failed:\n" + Tail(tool_log);
    return nullptr;
  }
  if (!RequirePasswordOf(kPasswordRole, dir / "data" / "pg_hba.conf")) {
    *failure = "cannot edit pg_hba.conf";
    return nullptr;
  }
  for (int attempt = 0; attempt < 3 && !cluster->running_; ++attempt) {
    cluster->port_ = FreeLoopbackPort();
    const std::string server_options =
        "-p " + std::to_string(cluster->port_) + " -k " + dir.string() +
        " -c listen_addresses=127.0.0.1 -c max_connections=200" +
        (durability == Durability::kThrowaway ? " -c fsync=off" : "");
    cluster->running_ = RunTool({cluster->bin_dir_ + "/pg_ctl", "-D", (dir / "data").string(), "-l",
                                 (dir / "server.log").string(), "-w", "-t", "60", "-s", "-o",
                                 server_options, "start"},
                                dir, tool_log, account) == 0;
  }
  if (!cluster->running_) {
    *failure = "pg_ctl start failed:\n" + Tail(tool_log) + "\n" + Tail(dir / "server.log");
    return nullptr;
  }
  return cluster;
}

PgCluster::~PgCluster() {
  if (!running_) return;
  std::string ignored;
  RunTool({bin_dir_ + "/pg_ctl", "-D", (dir() / "data").string(), "-m", "immediate", "-w", "-s",
           "stop"},
          dir(), dir() / "tools.log", ToolAccount(&ignored));
}

std::string PgCluster::Url(std::string_view database) const {
  return "postgresql://patchcast@127.0.0.1:" + std::to_string(port_) + "/" + std::string(database);
}

PgCluster* SharedPgCluster(std::string* failure) {
  static std::string start_failure;
  static const std::unique_ptr<PgCluster> cluster = PgCluster::Start(&start_failure);
  *failure = start_failure;
  return cluster.get();
}

}  // namespace patchcast::testing
