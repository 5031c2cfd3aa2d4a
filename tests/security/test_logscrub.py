"""The logging filter scrubs token-shaped values from messages and tracebacks (issue 13)."""

import logging
import sys

import pytest
import requests

from havebury_social.logscrub import REDACTED, TokenScrubFilter, scrub
from tests.helpers import run_python
from tests.log_leak_plugin import TOKENS_USED

PAGE_TOKEN = "EAAPdemo" + "x7Kq9Zr2Lm4Np6Qs8Tu0Vw1Xy3Za5Bc7"
PROOF = "3f" * 32  # appsecret_proof: 64 hex characters
TOKENS_USED.update({PAGE_TOKEN, PROOF})


@pytest.mark.parametrize(
    "text",
    [
        f"GET https://graph.facebook.com/v26.0/me/accounts?access_token={PAGE_TOKEN}&appsecret_proof={PROOF}",
        f"Authorization: Bearer {PAGE_TOKEN}",
        f'{{"access_token": "{PAGE_TOKEN}", "token_type": "bearer"}}',
        f"client_secret={PROOF}&fb_exchange_token={PAGE_TOKEN}",
        f"the token {PAGE_TOKEN} was refused",
        f"proof {PROOF}",
    ],
)
def test_scrub_removes_every_token_shape(text):
    cleaned = scrub(text)
    assert PAGE_TOKEN not in cleaned
    assert PROOF not in cleaned
    assert REDACTED in cleaned


def test_scrub_keeps_ids_and_plain_words():
    text = "poll channel_id=4 item 1029384756_0000000001 failed: (code 190) Error validating"
    assert scrub(text) == text


def _record_with_connection_error():
    url = f"http://127.0.0.1:9/v26.0/me?access_token={PAGE_TOKEN}&appsecret_proof={PROOF}"
    try:
        # Port 9 (discard) is closed on loopback: requests raises with the URL in its message.
        requests.get(url, timeout=2)
    except requests.ConnectionError:
        exc_info = sys.exc_info()
    return logging.LogRecord(
        "celery.app.trace", logging.ERROR, __file__, 1, "Task %s raised: %r", ("poll", exc_info[1]), exc_info
    )


def test_filter_scrubs_message_args_and_traceback():
    record = _record_with_connection_error()
    assert TokenScrubFilter().filter(record) is True
    line = logging.Formatter("%(message)s").format(record)
    assert "Traceback" in line
    assert "ConnectionError" in line
    assert PAGE_TOKEN not in line
    assert PROOF not in line


def test_without_the_filter_the_same_record_leaks():
    """The failure the filter exists for: proves the test above can fail."""
    line = logging.Formatter("%(message)s").format(_record_with_connection_error())
    assert PAGE_TOKEN in line


def _run(code, tmp_path):
    return run_python(code, tmp_path)


LOG_A_TOKEN = (
    "import logging; log = logging.getLogger('moderation.tasks');\n"
    "try:\n"
    f"    raise ConnectionError('GET /me?access_token={PAGE_TOKEN}&appsecret_proof={PROOF}')\n"
    "except ConnectionError:\n"
    f"    log.exception('poll failed for %s', 'Bearer {PAGE_TOKEN}')\n"
)


def test_django_logging_config_scrubs_what_manage_py_and_web_print(tmp_path):
    result = _run(
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.base'; django.setup()\n"
        + LOG_A_TOKEN,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "poll failed" in result.stderr
    assert "Traceback" in result.stderr
    assert PAGE_TOKEN not in result.stderr
    assert PROOF not in result.stderr


def test_celery_worker_logging_scrubs_task_tracebacks(tmp_path):
    """A worker replaces the root handlers with its own; the signal puts the filter back."""
    result = _run(
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.base'; django.setup()\n"
        "from havebury_social.celery_app import app\n"
        "app.log.setup(loglevel='INFO', redirect_stdouts=False, hostname='test')\n" + LOG_A_TOKEN,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "poll failed" in result.stderr
    assert PAGE_TOKEN not in result.stderr
    assert PROOF not in result.stderr


def test_a_clean_string_is_searched_once_and_a_secret_is_never_kept(monkeypatch):
    from havebury_social import logscrub

    searched = []
    bare = logscrub._BARE

    class Counting:
        def sub(self, replacement, text):
            searched.append(text)
            return bare.sub(replacement, text)

    monkeypatch.setattr(logscrub, "_BARE", Counting())
    logscrub._clean.clear()
    for _ in range(3):
        assert scrub("GET /api/v1/items/ 200") == "GET /api/v1/items/ 200"
        assert PAGE_TOKEN not in scrub(f"the token {PAGE_TOKEN} was refused")
    assert searched.count("GET /api/v1/items/ 200") == 1
    assert len([text for text in searched if "was refused" in text]) == 3  # searched every time
    assert not any(PAGE_TOKEN in text for text in logscrub._clean)
