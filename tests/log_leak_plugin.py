"""Greps every log line the test suite produces for the tokens it used (issue 13).

A capture handler sits on the root logger for the whole session with the same filters as
the configured console handler (settings.LOGGING), so it sees exactly what production would
print. Every token the fake platform server issues has a fixed shape (EAAU…/EAAP… access
tokens, AQ… OAuth codes); so does each secret in TOKENS_USED. At the end of the session any
line holding one fails the run, naming the line.
"""

from __future__ import annotations

import io
import logging
import re

import pytest

from havebury_social.logscrub import TokenScrubFilter

# Shapes of what the fake server issues (fakeplatforms world.issue_token / issue_code).
TOKEN_SHAPES = re.compile(r"EAA[UP][A-Za-z0-9_-]{32}|AQ[A-Za-z0-9_-]{43}")
# Secrets tests log on purpose to prove they are scrubbed (tests/security/test_logscrub.py).
TOKENS_USED: set[str] = set()

_buffer = io.StringIO()
_handler = logging.StreamHandler(_buffer)
_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))


def leaked_lines(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        if TOKEN_SHAPES.search(line) or any(token in line for token in TOKENS_USED):
            lines.append(line)
    return lines


def pytest_sessionstart(session: pytest.Session) -> None:
    root = logging.getLogger()
    console = [h for h in root.handlers if any(isinstance(f, TokenScrubFilter) for f in h.filters)]
    # Mirror the configured handler's filters; with none configured the scan still runs,
    # and fails on the first token that reaches a log line.
    for handler in console[:1]:
        for log_filter in handler.filters:
            _handler.addFilter(log_filter)
    root.addHandler(_handler)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    logging.getLogger().removeHandler(_handler)
    text = _buffer.getvalue()
    leaks = leaked_lines(text)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if leaks:
        if reporter:
            reporter.write_line(f"TOKEN LEAK: {len(leaks)} log line(s) carry a token:", red=True)
            for line in leaks[:20]:
                reporter.write_line(f"  {line[:300]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter:
        count = len(text.splitlines())
        reporter.write_line(f"log scan: {count} log lines checked, no token found")
