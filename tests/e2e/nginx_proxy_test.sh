#!/usr/bin/env bash
# End-to-end test of deploy/nginx/patchcast.conf: Debian's nginx in front of the real service, both
# on loopback, driven with curl over HTTPS.
#
# Usage: tests/e2e/nginx_proxy_test.sh PATH_TO_PATCHCAST_BINARY
# Exits 0 when every check passes, 1 on the first failure (with the reason), 77 (skipped) when
# nginx, openssl or curl is missing.
#
# The nginx configuration is deploy/nginx/patchcast.conf itself, with only its site-specific values
# replaced (upstream address, ports, certificate and log paths, and a smaller rate limit so a burst
# hits it quickly); the test fails if one of those values is no longer found, so the file and the
# test cannot drift apart. Only the process-wide wrapper (pid, temp paths, one worker) is the
# test's own. Everything runs in a temporary directory removed on exit.
set -uo pipefail

readonly kCurlMaxSeconds=10
readonly kTestRate=10r/s
readonly kTestBurst=20

# shellcheck source=tests/e2e/service.sh
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"
note() { echo "-- $*"; }

[[ $# -eq 1 ]] || { echo "usage: $0 PATH_TO_PATCHCAST_BINARY" >&2; exit 1; }
binary=$1
[[ -x $binary ]] || fail "'$binary' is not an executable file"

nginx_bin=$(command -v nginx || true)
[[ -z $nginx_bin && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
[[ -n $nginx_bin ]] || skip "nginx is not installed (apt-get install nginx)"
command -v openssl >/dev/null || skip "openssl is not installed"
command -v curl >/dev/null || skip "curl is not installed"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
site_conf=$repo/deploy/nginx/patchcast.conf
[[ -r $site_conf ]] || fail "$site_conf not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/patchcast-nginx-test.XXXXXX") || fail "mktemp failed"
service_pid=
cleanup() {
  local status=$?
  if [[ -s $tmp/nginx/nginx.pid ]]; then
    local nginx_pid
    nginx_pid=$(cat "$tmp/nginx/nginx.pid")
    kill -TERM "$nginx_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nginx_pid" 2>/dev/null
  fi
  stop_service
  if [[ $status -ne 0 && $status -ne 77 ]]; then
    for log in "$tmp/service.log" "$tmp/log/error.log" "$tmp/log/patchcast.access.log"; do
      [[ -s $log ]] && { echo "--- last lines of $log:" >&2; tail -n 15 "$log" >&2; }
    done
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# nginx's workers run as an unprivileged user when the test runs as root: let them reach their
# temporary directories. The private key stays in a directory only its owner can read.
chmod 0755 "$tmp"
mkdir -p "$tmp/nginx" "$tmp/log" "$tmp/temp" "$tmp/tls"
chmod 0700 "$tmp/tls"

# --- The service, on a free loopback port it picks itself.
start_service "$binary" "$tmp/service.log" --db "$tmp/p.db"
direct=http://127.0.0.1:$service_port
note "service on 127.0.0.1:$service_port"

# --- A throwaway self-signed certificate.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -keyout "$tmp/tls/privkey.pem" -out "$tmp/tls/fullchain.pem" >/dev/null 2>&1 ||
  fail "openssl could not make a self-signed certificate"

# Writes the test's nginx configuration for the given ports: the site file with its site-specific
# values replaced, checked value by value, inside a process-wide wrapper of the test's own.
write_nginx_conf() {
  local http_port=$1 https_port=$2 conf=$tmp/nginx/patchcast.conf
  sed -e '/^[[:space:]]*#/d' \
      -e "s|server patchcast:8080;|server 127.0.0.1:$service_port;|" \
      -e "s|listen 80 |listen 127.0.0.1:$http_port |" \
      -e "s|listen 443 |listen 127.0.0.1:$https_port |" \
      -e '/listen \[::\]:/d' \
      -e "s|/etc/nginx/tls/|$tmp/tls/|g" \
      -e "s|/var/log/nginx/|$tmp/log/|g" \
      -e "s|rate=20r/s;|rate=$kTestRate;|" \
      -e "s|burst=40 |burst=$kTestBurst |" \
      "$site_conf" >"$conf" || fail "sed failed"
  local expected
  for expected in "server 127.0.0.1:$service_port;" "listen 127.0.0.1:$http_port " \
                  "listen 127.0.0.1:$https_port " "ssl_certificate     $tmp/tls/fullchain.pem;" \
                  "ssl_certificate_key $tmp/tls/privkey.pem;" "$tmp/log/patchcast.access.log" \
                  "rate=$kTestRate;" "burst=$kTestBurst "; do
    grep -qF -- "$expected" "$conf" ||
      fail "deploy/nginx/patchcast.conf changed: the test could not substitute '$expected'"
  done
  if grep -nE 'patchcast:8080|/etc/nginx/|/var/log/nginx/|listen (80|443)[ ;]|\[::\]' "$conf"; then
    fail "deploy/nginx/patchcast.conf has a site-specific value the test does not substitute (above)"
  fi
  cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/log/error.log warn;
events { worker_connections 256; }
http {
  client_body_temp_path $tmp/temp/body;
  proxy_temp_path $tmp/temp/proxy;
  fastcgi_temp_path $tmp/temp/fastcgi;
  uwsgi_temp_path $tmp/temp/uwsgi;
  scgi_temp_path $tmp/temp/scgi;
  default_type application/octet-stream;
  include $conf;
}
EOF
}

# Prints a random port in 20000-60999 that nothing on loopback accepts connections on.
random_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 41000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# --- nginx, daemonized, on two free loopback ports. Another process may take a port between the
# probe and nginx's bind: then try other ports.
started=
for _ in 1 2 3 4 5; do
  http_port=$(random_free_port)
  https_port=$(random_free_port)
  [[ $http_port == "$https_port" ]] && continue
  write_nginx_conf "$http_port" "$https_port"
  : >"$tmp/log/error.log"
  if "$nginx_bin" -p "$tmp/nginx/" -e "$tmp/log/error.log" -c "$tmp/nginx/nginx.conf" \
       >"$tmp/nginx/start.out" 2>&1; then
    started=yes
    break
  fi
  grep -q "Address already in use" "$tmp/nginx/start.out" "$tmp/log/error.log" ||
    fail "nginx did not start: $(cat "$tmp/nginx/start.out")"
done
[[ -n $started ]] || fail "nginx found no free ports in 5 tries"
proxy=https://127.0.0.1:$https_port
note "nginx on 127.0.0.1:$http_port (http) and :$https_port (https), $("$nginx_bin" -v 2>&1)"

# curl_status ARGS...: prints the status code; headers go to $tmp/headers, the body to $tmp/body.
curl_status() {
  curl -sk --max-time "$kCurlMaxSeconds" -o "$tmp/body" -D "$tmp/headers" -w '%{http_code}' "$@"
}
header() {  # header NAME: the value of NAME in $tmp/headers (last one if repeated)
  tr -d '\r' <"$tmp/headers" | sed -n "s/^$1: //Ip" | tail -n 1
}
expect_status() {  # expect_status WANT GOT WHAT
  [[ $2 == "$1" ]] || fail "$3: expected HTTP $1, got $2; body: $(head -c 300 "$tmp/body" 2>/dev/null)"
}
service_requests() { grep -c '"msg":"request"' "$tmp/service.log"; }

# 1. /healthz through the proxy, over HTTP/1.1 and HTTP/2.
status=$(curl_status --http1.1 "$proxy/healthz")
expect_status 200 "$status" "GET /healthz through nginx"
grep -q '"status":"ok"' "$tmp/body" || fail "GET /healthz through nginx: body $(cat "$tmp/body")"
[[ $(header X-Content-Type-Options) == nosniff ]] || fail "the service's security headers did not pass through"
[[ $(header Strict-Transport-Security) == max-age=* ]] || fail "nginx sent no Strict-Transport-Security"
[[ $(header Server) == nginx ]] || fail "Server header '$(header Server)' should be 'nginx' with no version"
status=$(curl -sk --max-time "$kCurlMaxSeconds" --http2 -o /dev/null -w '%{http_code} %{http_version}' \
         "$proxy/healthz")
[[ $status == "200 2" ]] || fail "GET /healthz over HTTP/2: got status and version '$status'"
note "ok: /healthz through nginx (HTTP/1.1 and HTTP/2), headers of both"

# 2. The request id: made by nginx, used and echoed by the service, logged by both. A client's own
#    X-Request-Id is replaced.
status=$(curl_status --http1.1 -H 'X-Request-Id: chosen-by-the-client' "$proxy/readyz")
expect_status 200 "$status" "GET /readyz through nginx"
request_id=$(header X-Request-Id)
[[ $request_id =~ ^[0-9a-f]{32}$ ]] || fail "X-Request-Id '$request_id' is not nginx's \$request_id"
[[ $(grep -ci '^X-Request-Id:' "$tmp/headers") == 1 ]] || fail "X-Request-Id is sent more than once"
grep -q "\"request_id\":\"$request_id\"" "$tmp/service.log" ||
  fail "the service did not log nginx's request id $request_id"
grep -q "request_id=$request_id" "$tmp/log/patchcast.access.log" ||
  fail "nginx's access log has no request_id=$request_id"
note "ok: X-Request-Id $request_id went nginx -> service -> client, in both logs"

# 3. Bodies over 32 MiB: refused by nginx with a JSON 413, never reaching the service; both with a
#    Content-Length (refused before the body is read) and chunked (refused as it passes the limit).
head -c $((32 * 1024 * 1024 + 1)) /dev/zero >"$tmp/big"
before=$(service_requests)
status=$(curl_status --http1.1 -H 'Content-Type: application/json' --data-binary @"$tmp/big" "$proxy/v1")
expect_status 413 "$status" "POST of 32 MiB + 1 byte with Content-Length"
grep -q '"code":"payload_too_large"' "$tmp/body" || fail "413 body is not the JSON error: $(head -c 300 "$tmp/body")"
grep -q "\"request_id\":\"$(header X-Request-Id)\"" "$tmp/body" || fail "413 body lacks the request id"
status=$(curl_status --http1.1 -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
         --data-binary @"$tmp/big" "$proxy/v1")
expect_status 413 "$status" "chunked POST of 32 MiB + 1 byte"
[[ $(service_requests) == "$before" ]] || fail "an over-large body reached the service"
note "ok: bodies over 32 MiB get nginx's JSON 413 and never reach the service"

# 4. Header bounds the service lacks: one header over 8 KiB, 40 headers of 1 KiB (over 4 x 8 KiB
#    in all), a request line over 8 KiB. nginx answers them itself, with the JSON error; over
#    HTTP/2 it ends the connection (GOAWAY). None reaches the service.
before=$(service_requests)
kib=$(head -c 1024 /dev/zero | tr '\0' a)
status=$(curl_status --http1.1 -H "X-Big: $(printf '%s' "$kib"{1..9})" "$proxy/healthz")
expect_status 400 "$status" "a 9 KiB header"
grep -q '"code":"bad_request"' "$tmp/body" || fail "400 body is not the JSON error: $(head -c 300 "$tmp/body")"
many=()
for i in $(seq 40); do many+=(-H "X-Many-$i: $kib"); done
status=$(curl_status --http1.1 "${many[@]}" "$proxy/healthz")
expect_status 400 "$status" "40 headers of 1 KiB"
status=$(curl_status --http1.1 "$proxy/healthz?q=$(printf '%s' "$kib"{1..9})")
expect_status 414 "$status" "a 9 KiB request line"
grep -q '"code":"uri_too_long"' "$tmp/body" || fail "414 body is not the JSON error: $(head -c 300 "$tmp/body")"
status=$(curl_status --http2 "${many[@]}" "$proxy/healthz")
[[ $status == 000 || $status == 400 ]] || fail "40 headers of 1 KiB over HTTP/2: got HTTP $status"
[[ $(service_requests) == "$before" ]] || fail "a request with over-large headers reached the service"
status=$(curl_status --http1.1 "${many[@]:0:20}" "$proxy/healthz")
expect_status 200 "$status" "10 headers of 1 KiB (within bounds)"
note "ok: a header over 8 KiB, headers over 32 KiB in all, a request line over 8 KiB: refused by nginx"

# 5. Plain HTTP redirects to HTTPS, keeping the method (308).
status=$(curl_status "http://127.0.0.1:$http_port/healthz?x=1")
expect_status 308 "$status" "GET over plain HTTP"
[[ $(header Location) == "https://127.0.0.1/healthz?x=1" ]] ||
  fail "plain HTTP redirects to '$(header Location)'"
note "ok: plain HTTP answers 308 to https://"

# 6. nginx de-chunks uploads. Sent directly, a chunked body gets the service's 411; through nginx it
#    arrives with a Content-Length, so the service gets past framing to its next check: GET /healthz
#    takes no body, 415.
status=$(curl_status --http1.1 -X GET -H 'Transfer-Encoding: chunked' --data-binary hello "$direct/healthz")
expect_status 411 "$status" "chunked GET /healthz sent directly to the service"
status=$(curl_status --http1.1 -X GET -H 'Transfer-Encoding: chunked' --data-binary hello "$proxy/healthz")
expect_status 415 "$status" "chunked GET /healthz through nginx"
grep -q 'takes no body' "$tmp/body" || fail "415 through nginx is not the service's: $(cat "$tmp/body")"
note "ok: a chunked upload reaches the service with a Content-Length (415 through nginx, 411 direct)"

# 7. Rate limit: $kTestRate with a burst of $kTestBurst. 60 requests on one connection take well
#    under a second, so the first ones get 200 and most past the burst 429, the last one included
#    (its body is kept to check nginx's JSON error).
args=()
for i in $(seq 59); do args+=(-o /dev/null "$proxy/healthz?n=$i"); done
args+=(-o "$tmp/body" "$proxy/healthz?n=60")
codes=$(curl -sk --http1.1 --max-time 30 -w '%{http_code}\n' "${args[@]}")
ok=$(grep -c '^200$' <<<"$codes")
limited=$(grep -c '^429$' <<<"$codes")
[[ $ok -ge 1 && $limited -ge 20 && $((ok + limited)) -eq 60 && $(tail -n 1 <<<"$codes") == 429 ]] ||
  fail "a burst of 60 requests got $ok x 200 and $limited x 429, the last $(tail -n 1 <<<"$codes") (want 200s, then at least 20 x 429, the last included)"
grep -q '"code":"too_many_requests"' "$tmp/body" || fail "429 body is not the JSON error: $(cat "$tmp/body")"
note "ok: a burst of 60 got $ok x 200 and $limited x 429"

# 8. With the service gone, nginx answers a JSON 502. Killed rather than stopped: a graceful stop
#    waits for nginx to close its idle keep-alive connection (up to 4 s), which is not tested here.
#    The bucket refills at $kTestRate: poll, bounded, until the limiter lets a request through.
kill -KILL "$service_pid"
wait "$service_pid" 2>/dev/null
service_pid=
for _ in $(seq 50); do
  status=$(curl_status --http1.1 "$proxy/healthz")
  [[ $status == 429 ]] || break
  sleep 0.1
done
expect_status 502 "$status" "GET /healthz with the service stopped"
grep -q '"code":"unavailable"' "$tmp/body" || fail "502 body is not the JSON error: $(cat "$tmp/body")"
note "ok: with the service stopped nginx answers a JSON 502"

echo "PASS: nginx_proxy_test"
