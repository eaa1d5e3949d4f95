#!/usr/bin/env python3
"""The AWS export of plans, checked against AWS's own model of the calls (Debian's python3-botocore).

Starts `patchcast serve --demo` on a free loopback port with a temporary database and demo data
ending at a fixed instant, makes two different week-long plans as of the same instant, and fetches,
as of a fixed instant `at` inside them (never today's date), every page of each plan's
?format=aws-scheduled-actions and of the second plan's ?format=aws-delete-scheduled-actions, the
way an operator's loop does (Patchcast-Page-Count), and the same with ?page=all.

Each call input must pass botocore's ParamValidator against the autoscaling model's input shape of
BatchPutScheduledUpdateGroupAction / BatchDeleteScheduledAction, and the model's limits that the
validator leaves to the server: string lengths and patterns, and "The maximum number allowed is
50" in the lists' documentation. Across the pages: at most 125 actions (the scheduled actions an
Auto Scaling group holds), no StartTime at or before `at`, names unique and derived from the start
time alone, so the two plans give the same name at the same time. The delete list must hold every
name the first plan's put leaves behind within the second plan's span and none the second put uses,
so that, replayed on a simulated group, put A then delete B then put B leaves exactly B's actions.
Group names of 255 characters pass, longer ones are 400s naming 'group', as are bad pages.

Usage: aws_export_test.py PATH_TO_PATCHCAST. Exits 77 (skipped) when botocore is missing.
"""
import datetime
import json
import re
import sys
import urllib.parse

from e2e_service import DEMO_END, Failures, fetch_json, import_or_skip, serving

botocore_session = import_or_skip("botocore.session", "python3-botocore")
botocore_validate = import_or_skip("botocore.validate", "python3-botocore")

FAILURES = Failures()
check = FAILURES.check
GROUP = "login-asg"
# The scheduled actions one Auto Scaling group holds (EC2 Auto Scaling quotas; not in the model).
MAX_PER_GROUP = 125
MODEL = botocore_session.get_session().get_service_model("autoscaling")
PUT = MODEL.operation_model("BatchPutScheduledUpdateGroupAction").input_shape
DELETE = MODEL.operation_model("BatchDeleteScheduledAction").input_shape



def utc(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def documented_max(shape):
    """The limit a list's documentation states ("The maximum number allowed is 50."), or None."""
    found = re.search(r"maximum number allowed is (\d+)", shape.documentation or "")
    return int(found.group(1)) if found else None


def pattern_regex(pattern):
    """The model's pattern for Python's re: it writes U+10000..U+10FFFF as UTF-16 surrogate pairs."""
    return re.compile(pattern.replace(r"\uD800\uDC00-\uDBFF\uDFFF", r"\U00010000-\U0010FFFF"))


def check_limits(value, shape, where):
    """The model's limits that ParamValidator leaves to the server: max lengths, patterns and the
    documented list maxima."""
    metadata = shape.metadata
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            if name in value:
                check_limits(value[name], member, f"{where}.{name}")
    elif shape.type_name == "list":
        limit = metadata.get("max", documented_max(shape))
        check(limit is None or len(value) <= limit, f"{where}: {len(value)} items, limit {limit}")
        for i, item in enumerate(value):
            check_limits(item, shape.member, f"{where}[{i}]")
    elif shape.type_name == "string":
        check(metadata.get("min", 0) <= len(value) <= metadata.get("max", len(value)),
              f"{where}: {len(value)} characters, not within {metadata}")
        if "pattern" in metadata:
            check(pattern_regex(metadata["pattern"]).fullmatch(value) is not None,
                  f"{where}: {value!r} does not match {metadata['pattern']}")


def validate_call(call, shape, where):
    report = botocore_validate.ParamValidator().validate(call, shape)
    check(not report.has_errors(), f"{where}: {report.generate_report()}")
    check_limits(call, shape, where)


def fetch_pages(base, path, query):
    """Every page as an operator's loop fetches them: page 1, then up to Patchcast-Page-Count."""
    calls = []
    page, count = 1, 1
    while page <= count:
        status, headers, body = fetch_json(base, f"{path}?{query}&page={page}")
        if not check(status == 200, f"{path}?{query}&page={page}: status {status} {body}"):
            return calls
        count = int(headers["Patchcast-Page-Count"])
        check(headers["Patchcast-Page"] == str(page), f"page {page}: {headers['Patchcast-Page']}")
        calls.append(body)
        page += 1
    status, headers, every = fetch_json(base, f"{path}?{query}&page=all")
    check(status == 200 and every == calls, f"{path}?{query}&page=all differs from the pages")
    return calls


def export(base, plan_id, at, fmt, group=GROUP):
    query = urllib.parse.urlencode({"format": fmt, "group": group, "at": at})
    calls = fetch_pages(base, f"/v1/plans/{plan_id}", query)
    shape = PUT if fmt == "aws-scheduled-actions" else DELETE
    for i, call in enumerate(calls):
        validate_call(call, shape, f"{plan_id} {fmt} page {i + 1}")
        check(call["AutoScalingGroupName"] == group, f"{plan_id}: group {call['AutoScalingGroupName']}")
    return calls


def put_actions(base, plan, at):
    calls = export(base, plan["id"], at, "aws-scheduled-actions")
    actions = [a for call in calls for a in call["ScheduledUpdateGroupActions"]]
    where = plan["id"]
    check(len(calls) == (len(actions) + 49) // 50, f"{where}: {len(calls)} calls for {len(actions)}")
    check(0 < len(actions) <= MAX_PER_GROUP, f"{where}: {len(actions)} actions in all")
    names = [a["ScheduledActionName"] for a in actions]
    check(len(set(names)) == len(names), f"{where}: repeated names")
    for action in actions:
        start = action["StartTime"]
        check(utc(start) > utc(at), f"{where}: StartTime {start} is not after {at}")
        check(action["ScheduledActionName"] == "patchcast-" + start.replace("-", "").replace(":", ""),
              f"{where}: name {action['ScheduledActionName']} for {start}")
        check(action["MinSize"] == action["DesiredCapacity"], f"{where}: MinSize != Desired at {start}")
    # Merging never runs fewer units than the plan asks, at any action of the plan after `at`.
    starts = [utc(a["StartTime"]) for a in actions]
    for planned in plan["actions"]:
        when = utc(planned["at"])
        if when <= starts[0]:
            continue
        in_force = [a["DesiredCapacity"] for a, s in zip(actions, starts) if s <= when][-1]
        check(in_force >= planned["units"],
              f"{where}: {in_force} units at {planned['at']}, the plan asks {planned['units']}")
    return actions


def make_plan(base, body):
    status, _, plan = fetch_json(base, "/v1/series/demo-login/plan", json.dumps(body).encode())
    check(status == 200, f"plan: status {status} {plan}")
    return plan


def check_exports(base):
    # Two different week-long plans as of the demo data's end; at a fixed instant 6 h in, some of
    # their actions are past.
    common = {"horizon_hours": 168, "as_of": DEMO_END, "lead_time_minutes": 20,
              "min_action_interval_minutes": 10}
    plan_a = make_plan(base, {**common, "unit_capacity": 0.5})
    plan_b = make_plan(base, {**common, "unit_capacity": 0.45, "headroom": 0.25})
    at = (utc(DEMO_END) + datetime.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M:%SZ")
    check(len(plan_a["actions"]) > MAX_PER_GROUP,
          f"plan A has only {len(plan_a['actions'])} actions: merging is not exercised")
    check(any(utc(a["at"]) <= utc(at) for a in plan_a["actions"]),
          "no action of plan A is before `at`: dropping the past is not exercised")

    actions_a = put_actions(base, plan_a, at)
    actions_b = put_actions(base, plan_b, at)
    check(len(actions_a) == MAX_PER_GROUP, f"plan A exports {len(actions_a)} actions, not 125")
    # The same start time gives the same name whichever plan schedules it.
    by_time_a = {a["StartTime"]: a["ScheduledActionName"] for a in actions_a}
    shared = [a for a in actions_b if a["StartTime"] in by_time_a]
    check(len(shared) > 0, "the two plans share no start time")
    for action in shared:
        check(action["ScheduledActionName"] == by_time_a[action["StartTime"]],
              f"{action['StartTime']}: {action['ScheduledActionName']} != "
              f"{by_time_a[action['StartTime']]}")

    deletes = export(base, plan_b["id"], at, "aws-delete-scheduled-actions")
    names_b = {a["ScheduledActionName"] for a in actions_b}
    to_delete = [n for call in deletes for n in call["ScheduledActionNames"]]
    check(len(set(to_delete)) == len(to_delete), "the delete list repeats names")
    check(not names_b & set(to_delete), "the delete list holds names the put uses")
    span_end = utc(plan_b["buckets"][-1]["ts"]) + datetime.timedelta(seconds=plan_b["step_seconds"])
    for action in actions_a:
        if utc(action["StartTime"]) < span_end and action["ScheduledActionName"] not in names_b:
            check(action["ScheduledActionName"] in to_delete,
                  f"{action['ScheduledActionName']} of plan A is neither replaced nor deleted")

    # An operator's sequence on a simulated group: put A; later delete B's list, then put B.
    group = {a["ScheduledActionName"]: a for a in actions_a}
    for name in to_delete:
        group.pop(name, None)
    check(len(group) + len(names_b - group.keys()) <= MAX_PER_GROUP,
          "putting B after its deletes would exceed 125 actions")
    group.update({a["ScheduledActionName"]: a for a in actions_b})
    check(sorted(group.values(), key=lambda a: a["StartTime"]) == actions_b,
          "after delete and put the group does not hold exactly plan B's actions")
    return plan_b, at


def check_errors(base, plan, at):
    path = f"/v1/plans/{plan['id']}"
    for group, status in (("g" * 255, 200), ("é" * 255, 200), ("g" * 256, 400), ("g" * 300, 400)):
        query = urllib.parse.urlencode({"format": "aws-scheduled-actions", "group": group, "at": at})
        code, _, body = fetch_json(base, f"{path}?{query}")
        check(code == status, f"group of {len(group)} characters: status {code}")
        if code == 200:
            validate_call(body, PUT, f"group of {len(group)} {group[0]!r}")
            check(len(body["AutoScalingGroupName"]) == 255, "the group name came back changed")
        else:
            check(body["error"]["code"] == "invalid_argument" and "'group'" in body["error"]["message"],
                  f"group of {len(group)}: {body}")
    for page in ("0", "-1", "x", "99"):
        query = urllib.parse.urlencode({"format": "aws-delete-scheduled-actions", "group": GROUP,
                                        "at": at, "page": page})
        code, _, body = fetch_json(base, f"{path}?{query}")
        check(code == 400 and "'page'" in body["error"]["message"], f"page {page}: {code} {body}")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    with serving(sys.argv[1], ["--demo", "--demo-end", DEMO_END]) as base:
        plan, at = check_exports(base)
        check_errors(base, plan, at)
    return FAILURES.report("aws export")


if __name__ == "__main__":
    sys.exit(main())
