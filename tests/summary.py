#!/usr/bin/env python3
"""Prints one closing line for all suites: 'N passed, N failed, N skipped' (cargo log, JUnit XML,
and the PASS/FAIL lines of the server tests' logs)."""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

cargo_log, junit_dir = sys.argv[1], sys.argv[2]
server_logs = sys.argv[3:]
passed = failed = skipped = 0
with open(cargo_log, errors="replace") as f:
    for m in re.finditer(r"test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored", f.read()):
        passed += int(m.group(1))
        failed += int(m.group(2))
        skipped += int(m.group(3))
rust = (passed, failed, skipped)
for path in glob.glob(os.path.join(junit_dir, "*.xml")):
    suite = ET.parse(path).getroot()
    tests, fail, err, skip = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    passed += tests - fail - err - skip
    failed += fail + err
    skipped += skip
    for case in suite.iter("testcase"):
        for problem in list(case.iter("failure")) + list(case.iter("error")):
            # name what failed and why, so a CI log alone is enough to start on it
            detail = (problem.text or problem.get("message") or "").strip().splitlines()
            print(f"FAILED {case.get('classname')}.{case.get('name')}")
            for line in detail[:25]:
                print(f"    {line}")
jvm = (passed - rust[0], failed - rust[1], skipped - rust[2])
server_passed = server_failed = 0
for path in server_logs:
    with open(path, errors="replace") as f:
        for line in f:
            server_passed += line.startswith("PASS ")
            server_failed += line.startswith("FAIL ")
    if not os.path.getsize(path):
        server_failed += 1  # a server test that printed nothing did not run
passed += server_passed
failed += server_failed
print(f"rust: {rust[0]} passed, {rust[1]} failed, {rust[2]} skipped")
print(f"jvm: {jvm[0]} passed, {jvm[1]} failed, {jvm[2]} skipped")
print(f"server: {server_passed} passed, {server_failed} failed, 0 skipped")
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
