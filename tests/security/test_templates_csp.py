"""No template may need 'unsafe-inline' for scripts (docs/security.md, "Templates and CSP").

The Content-Security-Policy allows scripts only from our own static files, so an inline
<script> block, an on*= event handler, hx-on (htmx evaluates it as code) or a javascript:
URL would silently not run in the browser. This test names the file and line instead.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=\s*["']""", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
DATA_TYPES = re.compile(r"""type\s*=\s*["'](application/(ld\+)?json|text/template)["']""", re.IGNORECASE)


def _templates():
    for folder in TEMPLATE_DIRS:
        if ".venv" in folder.parts:
            continue
        yield from sorted(folder.rglob("*.html"))


def problems_in(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in SCRIPT_TAG.finditer(line):
            attrs = match.group(1)
            if "src=" not in attrs and not DATA_TYPES.search(attrs):
                found.append(f"line {number}: inline <script> (put the code in a static .js file)")
        for match in HANDLER.finditer(line):
            found.append(f"line {number}: {match.group(1)}= handler (bind it from a static .js file)")
        if JS_URL.search(line):
            found.append(f"line {number}: javascript: URL")
    return found


def test_templates_are_found():
    names = {p.name for p in _templates()}
    assert {"base.html", "login.html"} <= names


def test_no_template_has_inline_script_or_event_handler():
    report = []
    for path in _templates():
        report += [f"{path.relative_to(ROOT)} {problem}" for problem in problems_in(path.read_text())]
    assert not report, "CSP forbids inline script:\n" + "\n".join(report)


def test_the_scanner_catches_each_forbidden_form():
    bad = (
        '<script>alert(1)</script>\n<button onclick="go()">\n<div hx-on:click="x()">\n'
        "<a href=\"javascript:go()\">\n<img src=x onerror='y'>"
    )
    assert len(problems_in(bad)) == 5
    good = '<script src="/static/app.js" defer></script>\n<script type="application/json" id="d">{}</script>'
    assert problems_in(good) == []
