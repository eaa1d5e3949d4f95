#!/usr/bin/env python3
"""The iCalendar feeds, read back by a real RFC 5545 parser (python3-icalendar).

Starts `patchcast serve` on a free loopback port with a temporary database, fetches the JSON events
and the .ics feed of the same range, and checks that every JSON event appears exactly once in the
feed with the same UID, DTSTART (UTC), SUMMARY and DESCRIPTION content, that the feed uses CRLF and
folds at 75 octets, and that nothing else is in it.

Then starts it again with --demo, makes a capacity plan and reads its ?format=ics the same way:
the scale windows, recomputed here from the plan's JSON (runs of buckets above the resting level,
api/plan_ics.h), must be the calendar's events, with their times, UIDs, DTSTAMP and actions.

Usage: ics_roundtrip_test.py PATH_TO_PATCHCAST. Exits 77 (skipped) when icalendar is missing.
"""
import datetime
import json
import sys

from e2e_service import DEMO_END, Failures, fetch, import_or_skip, serving

icalendar = import_or_skip("icalendar", "python3-icalendar")

FAILURES = Failures()
check = FAILURES.check


def check_lines(raw_ics):
    """Line discipline: CRLF only, 75 octets at most per physical line."""
    check(raw_ics.endswith(b"\r\n"), "the feed does not end with CRLF")
    for number, line in enumerate(raw_ics.split(b"\r\n")[:-1], 1):
        check(b"\n" not in line and b"\r" not in line, f"line {number} has a bare CR or LF")
        check(len(line) <= 75, f"line {number} is {len(line)} octets")
        line.decode("utf-8")  # never split inside a character


def check_feed(base, query, json_path, ics_path):
    _, _, raw_json = fetch(base, json_path + query)
    events = json.loads(raw_json)["events"]
    status, headers, raw_ics = fetch(base, ics_path + query)
    content_type = headers.get("Content-Type")
    check(status == 200, f"{ics_path}: status {status}")
    check(content_type == "text/calendar; charset=utf-8", f"content type {content_type}")
    check_lines(raw_ics)

    calendar = icalendar.Calendar.from_ical(raw_ics)
    check(str(calendar.get("VERSION")) == "2.0", "VERSION is not 2.0")
    check(calendar.get("PRODID") is not None, "PRODID is missing")
    vevents = [c for c in calendar.walk() if c.name == "VEVENT"]
    by_uid = {}
    for vevent in vevents:
        uid = str(vevent["UID"])
        check(uid not in by_uid, f"UID {uid} appears twice")
        by_uid[uid] = vevent
        check(vevent.get("DTSTAMP") is not None, f"{uid} has no DTSTAMP")
    check(len(vevents) == len(events), f"{len(vevents)} VEVENTs for {len(events)} JSON events")

    for event in events:
        uid = event["id"] + "@patchcast"
        vevent = by_uid.get(uid)
        if vevent is None:
            FAILURES.fail(f"{uid} is missing from {ics_path}")
            continue
        start = vevent.decoded("DTSTART")
        check(start.tzinfo is not None and start.utcoffset() == datetime.timedelta(0),
              f"{uid}: DTSTART is not UTC")
        check(start.strftime("%Y-%m-%dT%H:%M:%SZ") == event["start"],
              f"{uid}: DTSTART {start} != {event['start']}")
        if "end" in event:
            end = vevent.decoded("DTEND")
            check(end.strftime("%Y-%m-%dT%H:%M:%SZ") == event["end"], f"{uid}: DTEND {end}")
        summary = str(vevent["SUMMARY"])
        check(summary == event["calendar"] + " " + event["kind"].replace("_", " "),
              f"{uid}: SUMMARY {summary!r}")
        description = str(vevent["DESCRIPTION"])
        expected_lines = [
            "Kind: " + event["kind"].replace("_", " "),
            f"Local start: {event['local_start']} {event['timezone']}",
            "Source: " + event["source"],
        ]
        if "bulletins" in event:
            expected_lines.append(f"Bulletins: {event['bulletins']}")
        if "max_severity" in event:
            expected_lines.append("Max severity: " + event["max_severity"])
        if "restart_required" in event:
            expected_lines.append("Restart required: " + ("yes" if event["restart_required"] else "no"))
        if "notes" in event:
            expected_lines.append("Notes: " + event["notes"])
        check(description == "\n".join(expected_lines),
              f"{uid}: DESCRIPTION {description!r} != {expected_lines!r}")
        check(str(vevent["CLASS"]) == ("PUBLIC" if event["public"] else "PRIVATE"), f"{uid}: CLASS")
    return len(events)


def utc(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def scale_windows(plan):
    """The plan's scale windows as api/plan_ics.h defines them, from its JSON alone."""
    buckets = plan["buckets"]
    routine = [a["units"] for a in plan["actions"]
               if a["kind"] == "scale_out" and a["event_id"] is None]
    rest = max(routine) if routine else min(b["units"] for b in buckets)
    step = datetime.timedelta(seconds=plan["step_seconds"])
    windows = []
    i = 0
    while i < len(buckets):
        if buckets[i]["units"] <= rest:
            i += 1
            continue
        j = i
        while j < len(buckets) and buckets[j]["units"] > rest:
            j += 1
        first = utc(buckets[i]["ts"])
        end = utc(buckets[j]["ts"]) if j < len(buckets) else utc(buckets[-1]["ts"]) + step
        actions = [a for a in plan["actions"] if first <= utc(a["ready"]) <= end]
        start = min([first] + [utc(a["at"]) for a in actions if a["kind"] == "scale_out"])
        windows.append({"first": first, "start": start, "end": end, "actions": actions,
                        "peak": max(b["units"] for b in buckets[i:j])})
        i = j
    return windows


def check_plan(base):
    _, _, raw_series = fetch(base, "/v1/series/demo-login")
    series = json.loads(raw_series)
    _, _, raw_events = fetch(base, "/v1/events?calendar=microsoft&from=" + series["first"][:10] +
                             "&to=" + series["last"][:10])
    events = json.loads(raw_events)["events"]
    # The last release of the demo data, and the advance notice that announces it (paired by
    # `announces`, never by position).
    release = [e for e in events if e["kind"] == "release"][-1]
    notices = [e["start"] for e in events
               if e["kind"] == "advance_notice" and e.get("announces") == release["local_start"][:10]]
    check(len(notices) == 1, f"plan: {len(notices)} advance notices announce {release['id']}")
    body = json.dumps({"horizon_hours": 168, "as_of": notices[0], "unit_capacity": 0.5,
                       "lead_time_minutes": 20}).encode()
    status, _, raw_plan = fetch(base, "/v1/series/demo-login/plan", body)
    check(status == 200, f"plan: status {status}")
    plan = json.loads(raw_plan)
    status, headers, raw_ics = fetch(base, f"/v1/plans/{plan['id']}?format=ics")
    content_type = headers.get("Content-Type")
    check(status == 200, f"plan ics: status {status}")
    check(content_type == "text/calendar; charset=utf-8", f"plan ics: content type {content_type}")
    check_lines(raw_ics)

    calendar = icalendar.Calendar.from_ical(raw_ics)
    check(str(calendar.get("VERSION")) == "2.0", "plan ics: VERSION is not 2.0")
    vevents = [c for c in calendar.walk() if c.name == "VEVENT"]
    windows = scale_windows(plan)
    check(len(windows) >= 1, "the release week's plan has no scale window")
    check(len(vevents) == len(windows), f"{len(vevents)} VEVENTs for {len(windows)} windows")
    generated_at = utc(plan["generated_at"])
    for vevent, window in zip(vevents, windows):
        uid = str(vevent["UID"])
        expected_uid = plan["id"] + "-" + window["first"].strftime("%Y%m%dT%H%M%SZ") + "@patchcast"
        check(uid == expected_uid, f"UID {uid} != {expected_uid}")
        check(vevent.decoded("DTSTAMP") == generated_at, f"{uid}: DTSTAMP")
        check(vevent.decoded("DTSTART") == window["start"],
              f"{uid}: DTSTART {vevent.decoded('DTSTART')} != {window['start']}")
        check(vevent.decoded("DTEND") == window["end"],
              f"{uid}: DTEND {vevent.decoded('DTEND')} != {window['end']}")
        summary = str(vevent["SUMMARY"])
        check(summary.startswith(f"Pre-scale demo-login to {window['peak']} units ("),
              f"{uid}: SUMMARY {summary!r}")
        description = str(vevent["DESCRIPTION"])
        for action in window["actions"]:
            check(f"- {action['at']} " in description and action["reason"] in description,
                  f"{uid}: action {action} missing from {description!r}")
        check(description.count("\n- ") == len(window["actions"]),
              f"{uid}: {len(window['actions'])} actions expected in {description!r}")
        check(f"Plan {plan['id']} of demo-login" in description, f"{uid}: no plan id")
    check(any("release)" in str(v["SUMMARY"]) for v in vevents), "no window names the release")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    with serving(sys.argv[1]) as base:
        # Text that needs every kind of escaping and folding, in an override's notes.
        notes = "Exchange; SharePoint, IIS\\Edge\nsecond line: naïve café ✓ " + "€" * 40
        body = json.dumps({"date": "2026-11-10", "action": "annotate", "bulletins": 12,
                           "max_severity": "critical", "restart_required": True,
                           "notes": notes}).encode()
        status, _, _ = fetch(base, "/v1/calendars/microsoft/overrides", body)
        check(status == 201, f"override: status {status}")
        count = check_feed(base, "?from=2026-01-01&to=2026-12-31", "/v1/events", "/v1/events.ics")
        check(count > 50, f"only {count} events in 2026")
        check_feed(base, "?from=2007-01-01&to=2008-12-31", "/v1/calendars/microsoft/events",
                   "/v1/calendars/microsoft/events.ics")
        check_feed(base, "?from=2007-01-01&to=2008-12-31&calendar=adobe,oracle",
                   "/v1/events", "/v1/events.ics")
    # The demo data ends at a fixed instant, so the plan is the same whatever the date.
    with serving(sys.argv[1], ["--demo", "--demo-end", DEMO_END]) as base:
        check_plan(base)
    return FAILURES.report("ics round trip")


if __name__ == "__main__":
    sys.exit(main())
