#include "bench/nginx_static.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "tests/support/free_port.h"

namespace patchcast::bench {
namespace {

constexpr const char* kNginx = "/usr/sbin/nginx";

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A tuned static server: what an operator would put in front of files that pollers fetch.
std::string NginxConfig(const std::string& dir, int port, int workers) {
  return "worker_processes " + std::to_string(workers) +
         ";\n"
         "daemon off;\n"
         "pid " +
         dir +
         "/nginx.pid;\n"
         "error_log " +
         dir +
         "/error.log warn;\n"
         "events { worker_connections 1024; }\n"
         "http {\n"
         "  include /etc/nginx/mime.types;\n"
         "  default_type application/json;\n"
         "  access_log off;\n"
         "  sendfile on;\n"
         "  tcp_nopush on;\n"
         "  tcp_nodelay on;\n"
         "  keepalive_timeout 65;\n"
         "  client_body_temp_path " +
         dir +
         "/client_body;\n"
         "  proxy_temp_path " +
         dir +
         "/proxy;\n"
         "  fastcgi_temp_path " +
         dir +
         "/fastcgi;\n"
         "  uwsgi_temp_path " +
         dir +
         "/uwsgi;\n"
         "  scgi_temp_path " +
         dir +
         "/scgi;\n"
         "  server {\n"
         "    listen 127.0.0.1:" +
         std::to_string(port) +
         ";\n"
         "    root " +
         dir +
         "/root;\n"
         "  }\n"
         "}\n";
}

}  // namespace

bool Accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(port);
  const bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

StaticNginx StartStaticNginx(const std::string& dir, int workers) {
  if (!std::filesystem::exists(kNginx)) return {};
  StaticNginx nginx;
  const int port = testing::FreeLoopbackPort();
  nginx.config_text = NginxConfig(dir, port, workers);
  const std::string config_path = dir + "/nginx.conf";
  std::ofstream(config_path) << nginx.config_text;
  nginx.pid = ::fork();
  if (nginx.pid == 0) {
    std::vector<std::string> args = {kNginx, "-p",       dir, "-e", dir + "/error.log",
                                     "-c",   config_path};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Accepts(port)) {
      nginx.port = port;
      return nginx;
    }
    if (::waitpid(nginx.pid, nullptr, WNOHANG) == nginx.pid) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return nginx;
}

void StopStaticNginx(const StaticNginx& nginx) {
  if (nginx.pid <= 0) return;
  ::kill(nginx.pid, SIGQUIT);
  ::waitpid(nginx.pid, nullptr, 0);
}

}  // namespace patchcast::bench
