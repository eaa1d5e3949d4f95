// Debian's nginx as the static-file peer of a load test: a non-daemon child with its own
// configuration, pid, log and temp paths under one directory, serving that directory's `root/`.
#pragma once

#include <sys/types.h>

#include <string>

namespace patchcast::bench {

struct StaticNginx {
  pid_t pid = -1;
  int port = 0;             // 0: it did not start
  std::string config_text;  // the configuration it runs with, to print beside the figures
};

// Starts `/usr/sbin/nginx` on a free loopback port serving `dir`/root with `workers` worker
// processes, keep-alive on, no access log, sendfile and strong-enough ETags (nginx's own, from
// the file's mtime and size). Waits up to 5 s for the port to accept. Returns a server with port 0
// when nginx is missing or does not start (its error log is `dir`/error.log).
StaticNginx StartStaticNginx(const std::string& dir, int workers);

// Stops nginx with SIGQUIT (graceful) and waits for it.
void StopStaticNginx(const StaticNginx& nginx);

// True once 127.0.0.1:`port` accepts a connection.
bool Accepts(int port);

}  // namespace patchcast::bench
