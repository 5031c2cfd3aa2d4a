"""`make audit` never passes by accident (scripts/audit.py; the audit itself runs in production CI)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit.py")
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)


def test_a_package_that_could_not_be_audited_fails_the_audit():
    """pip-audit's own exit status is 0 here, with "No known vulnerabilities found"."""
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "requests", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        ]
    }
    status, lines = audit.verdict(report)
    assert status == 2
    assert any("could NOT be audited" in line for line in lines)
    assert any("requests" in line for line in lines)
    assert not any("No known vulnerabilities" in line for line in lines)


def test_no_report_or_an_empty_one_is_not_a_pass():
    assert audit.verdict(None, "ConnectionError")[0] == 2
    assert audit.verdict({"dependencies": []})[0] == 2


def test_vulnerability_fails_and_clean_report_passes():
    vulnerable = {
        "dependencies": [
            {"name": "django", "version": "5.2.1", "vulns": [{"id": "PYSEC-1", "fix_versions": ["5.2.2"]}]}
        ]
    }
    status, lines = audit.verdict(vulnerable)
    assert status == 1
    assert any("PYSEC-1" in line and "5.2.2" in line for line in lines)
    assert audit.verdict({"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]})[0] == 0


def test_latest_patch_stays_in_the_pinned_series():
    available = ["6.0.1", "6.0", "5.2.21", "5.2.20", "5.2.19", "5.2.20rc1", "4.2.30"]
    assert audit.latest_patch("5.2.19", available) == "5.2.21"
    assert audit.latest_patch("5.2.21", available) is None
    assert audit.latest_patch("4.0", ["4.0.1", "4.1"]) == "4.0.1"


def test_every_pin_in_the_requirements_is_read():
    pins = audit.pins(audit.REQUIREMENTS)
    assert pins["django"].startswith("5.2.")
    assert "pip-audit" in pins
    assert "celery" in pins  # celery[redis]==… keeps its name without the extra


def test_make_audit_is_not_part_of_make_test():
    makefile = (ROOT / "Makefile").read_text()
    assert "audit:" in makefile
    test_recipe = makefile.split("test:", 1)[1].split("\n\n", 1)[0]
    assert "audit" not in test_recipe
    assert "audit" not in (ROOT / "scripts" / "test.sh").read_text()


def test_main_fails_loudly_and_lists_pins_behind_their_patch(monkeypatch, capsys):
    """The whole run as `make audit` does it, with pip-audit and the index answering as here."""
    skipped = {"dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI"}]}
    monkeypatch.setattr(audit, "run_pip_audit", lambda paths: (skipped, ""))
    pinned = audit.pins(audit.REQUIREMENTS)["django"]
    newer = ".".join([*pinned.split(".")[:2], str(int(pinned.split(".")[2]) + 1)])
    monkeypatch.setattr(audit, "index_versions", lambda name: [newer, pinned] if name == "django" else None)
    assert audit.main(["--only", "django", "requests"]) == 2
    out = capsys.readouterr().out
    assert "AUDIT INCOMPLETE" in out
    assert f"django=={pinned} -> {newer}" in out
    assert "Could not ask the index about: requests" in out
    assert "No known vulnerabilities" not in out
