#!/usr/bin/env python3
"""Prints one closing line for all suites: 'N passed, N failed, N skipped' (cargo log + JUnit XML)."""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

cargo_log, junit_dir = sys.argv[1], sys.argv[2]
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
print(f"rust: {rust[0]} passed, {rust[1]} failed, {rust[2]} skipped")
print(f"jvm: {passed - rust[0]} passed, {failed - rust[1]} failed, {skipped - rust[2]} skipped")
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
