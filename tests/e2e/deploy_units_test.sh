#!/usr/bin/env bash
# deploy/systemd's service and timer checked by systemd's own tools, and the crontab's job run as
# its line runs it:
#  - `systemd-analyze verify` on both units, with ExecStart pointed at the built binary (verify
#    checks that the program exists);
#  - the timer's OnCalendar expressions, whose next elapses from fixed instants (never today) must
#    be the mornings, the advance-notice Thursdays and the Patch Tuesdays of the real calendar;
#  - the command the service and the crontab run, on a fresh database: exit 0 with no series.
# Skipped (exit 77) where systemd-analyze is not installed.
# Usage: deploy_units_test.sh PATCHCAST_BINARY
set -euo pipefail
binary=$(realpath "$1")
cd "$(dirname "$0")/../.."
command -v systemd-analyze > /dev/null || { echo "systemd-analyze not installed: skipped"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s|/usr/local/bin/patchcast|$binary|; s|/var/lib/patchcast/patchcast.db|$work/p.db|" \
  deploy/systemd/patchcast-plans.service > "$work/patchcast-plans.service"
cp deploy/systemd/patchcast-plans.timer "$work/"
# `verify` also warns about the host's own units; only lines about ours count.
out=$(systemd-analyze verify --man=no "$work/patchcast-plans.service" "$work/patchcast-plans.timer" 2>&1) || {
  echo "$out"; echo "systemd-analyze verify failed"; exit 1; }
if grep -F "patchcast-plans" <<< "$out"; then echo "systemd-analyze complained about the units"; exit 1; fi
echo "systemd-analyze verify: ok"

# The next elapse of the timer's expression `n` (1-based) after `base` (UTC).
next_elapse() {
  local expression
  expression=$(grep '^OnCalendar=' deploy/systemd/patchcast-plans.timer | sed -n "$1p" | cut -d= -f2-)
  TZ=UTC systemd-analyze calendar --base-time="$2 UTC" "$expression" |
    sed -n 's/^ *Next elapse: //p'
}
expect() {
  local got
  got=$(next_elapse "$1" "$2")
  if [[ $got != "$3" ]]; then
    echo "OnCalendar #$1 after $2: got '$got', expected '$3'"; exit 1
  fi
  echo "OnCalendar #$1 after $2: $got"
}
expect 1 "2026-12-05 07:00:00" "Sun 2026-12-06 06:00:00 UTC"
# Advance notices: 2026-12-03 (Thursday before the 8th), 2027-03-04 (US daylight time not yet on:
# 18:00Z), 2027-04-08 (daylight time: 17:00Z).
expect 2 "2026-11-20 00:00:00" "Thu 2026-12-03 18:00:00 UTC"
expect 2 "2027-02-20 00:00:00" "Thu 2027-03-04 18:00:00 UTC"
expect 2 "2027-04-01 00:00:00" "Thu 2027-04-08 17:00:00 UTC"
# Patch Tuesdays: 2026-12-08, 2027-06-08, and 2026-09-08 when the 1st is a Tuesday (second Tuesday
# on the 8th, not the 1st).
expect 3 "2026-12-01 00:00:00" "Tue 2026-12-08 18:00:00 UTC"
expect 3 "2027-06-01 00:00:00" "Tue 2027-06-08 17:00:00 UTC"
expect 3 "2026-08-31 00:00:00" "Tue 2026-09-08 17:00:00 UTC"

# The job itself on an empty database: nothing to do, exit 0.
"$binary" forecast --all --plan --db "$work/p.db" > "$work/out" 2> "$work/err" || {
  echo "the job failed on an empty database: $(cat "$work/err")"; exit 1; }
[[ ! -s $work/out ]] || { echo "unexpected output: $(cat "$work/out")"; exit 1; }
grep -q 'forecast --all --plan --db /var/lib/patchcast/patchcast.db' deploy/cron/patchcast
echo "ok"
