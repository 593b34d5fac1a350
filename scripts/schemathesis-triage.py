"""Sums up one schemathesis run (its NDJSON report) and fails on findings not explained.

usage: schemathesis-triage.py ALLOWLIST VERSION HOST REPORT.ndjson

A finding is (check code, operation, response status); ALLOWLIST holds one a line,
`CODE METHOD PATH STATUS`, optionally with `@v1.XX` to limit it to one version; `#` starts a
comment. Prints operations, test cases and findings, each finding marked `explained` or `NEW`.
"""
import collections, json, sys

allow_path, version, host, report = sys.argv[1:5]
allowed = set()
for line in open(allow_path):
    words = line.split("#", 1)[0].split()
    if not words:
        continue
    only = [w for w in words if w.startswith("@")]
    key = tuple(w for w in words if not w.startswith("@"))
    if not only or f"@{version}" in only:
        allowed.add(key)

operations, cases = set(), 0
found = collections.Counter()
for line in open(report):
    event = json.loads(line).get("ScenarioFinished")
    if not event:
        continue
    rec = event["recorder"]
    operations.add(rec["label"])
    cases += len(rec.get("cases", {}))
    for case_id, checks in rec.get("checks", {}).items():
        for check in checks:
            if check["status"] != "failure":
                continue
            failure = check["failure_info"]["failure"]
            response = rec.get("interactions", {}).get(case_id, {}).get("response") or {}
            method, path = failure["operation"].split(" ", 1)
            found[(failure["code"], method, path, str(response.get("status_code")))] += 1

new = [k for k in found if k not in allowed]
print(f"{version} on {host}: {len(operations)} operations, {cases} test cases, "
      f"{len(found)} distinct findings ({len(found) - len(new)} explained, {len(new)} new)")
for key, n in sorted(found.items()):
    print(f"  {'explained' if key in allowed else 'NEW      '} {' '.join(key)} ({n} cases)")
sys.exit(1 if new else 0)
