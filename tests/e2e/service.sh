# Shared by the shell end-to-end tests (source it): failing and skipping with CTest's codes, and the
# real service started on a free loopback port. Not executable on its own.

fail() { echo "FAIL: $*" >&2; exit 1; }
# 77: CTest's SKIP_RETURN_CODE for these tests.
skip() { echo "SKIP: $*" >&2; exit 77; }

# Starts `BINARY serve --listen 127.0.0.1:0 ARGS...` in the background with its stderr in LOG, and
# waits up to 30 s for its "listening" line. Sets service_pid and service_port; fails the test if
# the service exits first or never listens. The caller stops it (stop_service, e.g. in a trap).
start_service() {
  local binary=$1 log=$2
  shift 2
  "$binary" serve --listen 127.0.0.1:0 "$@" 2>"$log" &
  service_pid=$!
  service_port=
  for _ in $(seq 300); do
    service_port=$(grep -m 1 '"msg":"listening"' "$log" |
                   sed -n 's/.*"address":"127\.0\.0\.1:\([0-9]*\)".*/\1/p')
    [[ -n $service_port ]] && return 0
    kill -0 "$service_pid" 2>/dev/null || fail "the service exited at start: $(tail -n 5 "$log")"
    sleep 0.1
  done
  fail "the service did not log its listening address within 30 s"
}

# start_service_at CLOCK_START LIBFAKETIME BINARY LOG ARGS...: start_service with the service's
# wall clock starting at CLOCK_START ("2026-11-14 01:00:00", UTC) through the preloaded
# LIBFAKETIME, the monotonic clock left real. Under AddressSanitizer, as in
# tests/support/server_process.cpp: libfaketime comes before ASan's runtime in the preload list,
# which ASan refuses unless told it is fine; and ASan's allocator must not read the clock when it
# first maps a size class (release_to_os's timestamp), for that call can come before libfaketime
# has initialised, which then calls dlsym, which allocates inside the allocator's lock: the
# process hangs.
start_service_at() {
  local clock_start=$1 libfaketime=$2
  shift 2
  local asan=verify_asan_link_order=0:allocator_release_to_os_interval_ms=-1
  TZ=UTC LD_PRELOAD=$libfaketime FAKETIME="@$clock_start" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}$asan" start_service "$@"
}

# SIGTERM to the service started by start_service, bounded: SIGKILL after 5 s.
stop_service() {
  [[ -n ${service_pid:-} ]] || return 0
  kill -TERM "$service_pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$service_pid" 2>/dev/null
  wait "$service_pid" 2>/dev/null
  service_pid=
}
