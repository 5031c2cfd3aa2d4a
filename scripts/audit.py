"""`make audit`: pip-audit over the pinned requirements that never passes by accident (issue 13).

pip-audit says "No known vulnerabilities found" even when it could not look a single package
up (no route to the advisory service, a name it could not resolve) and lists those only as
"skipped". This wrapper audits the exact pins (no resolution: --no-deps --disable-pip), then
fails loudly, exit 2, if any pin could not be audited, and exit 1 on any known vulnerability.
It also lists pins behind the newest patch release of their own minor series (Django 5.2.x),
asking the package index with `pip index versions`; a pin it could not check is named too.

It runs in production CI, where the advisory service is reachable; not in `make test`.
Usage: python scripts/audit.py [--skip-patch-check] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==([^\s;#]+)")


def pins(paths: list[Path]) -> dict[str, str]:
    """name -> pinned version, from `name==version` lines (includes and comments skipped)."""
    found: dict[str, str] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            match = PIN.match(line.strip())
            if match:
                found[match.group(1).lower()] = match.group(3)
    return found


def _release(version: str) -> tuple[int, ...] | None:
    parts = re.match(r"^(\d+(?:\.\d+)*)$", version)
    return tuple(int(p) for p in parts.group(1).split(".")) if parts else None


def latest_patch(pinned: str, available: list[str]) -> str | None:
    """The newest final release with the same major.minor as `pinned`, if newer than it."""
    mine = _release(pinned)
    if mine is None:
        return None
    series = mine[:2]
    newer = [(r, v) for v in available if (r := _release(v)) is not None and r[:2] == series and r > mine]
    return max(newer)[1] if newer else None


def audit_report(report: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(lines for packages that could not be audited, lines for known vulnerabilities)."""
    skipped, vulnerable = [], []
    for dep in report.get("dependencies", []):
        if dep.get("skip_reason"):
            skipped.append(f"  {dep['name']}: {dep['skip_reason']}")
        for vuln in dep.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            vulnerable.append(f"  {dep['name']} {dep.get('version', '')}: {vuln['id']} (fixed in {fixed})")
    return skipped, vulnerable


def verdict(report: dict[str, Any] | None, errors: str = "") -> tuple[int, list[str]]:
    """Exit status and message: 2 if anything could not be audited, 1 on a vulnerability, else 0."""
    if report is None:
        return 2, ["AUDIT FAILED: pip-audit gave no report, so NOTHING was audited.", errors.strip()[-2000:]]
    skipped, vulnerable = audit_report(report)
    audited = len(report.get("dependencies", [])) - len(skipped)
    lines = [f"pip-audit: {audited} pinned packages audited, {len(skipped)} could not be audited."]
    status = 0
    if vulnerable:
        lines += ["KNOWN VULNERABILITIES:", *vulnerable]
        status = 1
    if skipped or not report.get("dependencies"):
        lines += ["AUDIT INCOMPLETE: these pins could NOT be audited (this is not a pass):", *skipped]
        lines.append("Is the advisory service reachable from here? `make audit` is meant for production CI.")
        status = 2
    if status == 0:
        lines.append("No known vulnerabilities in any pinned package.")
    return status, lines


def run_pip_audit(paths: list[Path]) -> tuple[dict[str, Any] | None, str]:
    command = [sys.executable, "-m", "pip_audit", "--no-deps", "--disable-pip", "--format", "json"]
    command += ["--progress-spinner", "off"]
    for path in paths:
        command += ["-r", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)  # noqa: S603
    try:
        return json.loads(result.stdout), result.stderr
    except json.JSONDecodeError:
        return None, result.stderr + result.stdout


def index_versions(name: str) -> list[str] | None:
    command = [sys.executable, "-m", "pip", "index", "versions", name, "--disable-pip-version-check"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603
    match = re.search(r"Available versions: (.+)", result.stdout)
    return [v.strip() for v in match.group(1).split(",")] if match else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-patch-check", action="store_true", help="do not ask the index for newer patches"
    )
    parser.add_argument("--only", nargs="*", default=None, help="check only these pins for newer patches")
    args = parser.parse_args(argv)

    report, errors = run_pip_audit(REQUIREMENTS)
    status, lines = verdict(report, errors)
    print("\n".join(lines))

    if not args.skip_patch_check:
        wanted = pins(REQUIREMENTS)
        names = [n.lower() for n in args.only] if args.only is not None else sorted(wanted)
        behind, unknown = [], []
        for name in names:
            available = index_versions(name)
            if available is None:
                unknown.append(name)
            elif newer := latest_patch(wanted[name], available):
                behind.append(f"  {name}=={wanted[name]} -> {newer}")
        print(f"Patch releases: {len(behind)} of {len(names)} checked pins are behind their series' latest.")
        if behind:
            print("\n".join(behind))
        if unknown:
            print("Could not ask the index about: " + ", ".join(unknown))
    return status


if __name__ == "__main__":
    sys.exit(main())
