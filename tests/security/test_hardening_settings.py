"""HTTPS, cookies, sessions, CSP, private data folder and `check --deploy` (issue 13)."""

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from tests.helpers import run_python

ROOT = Path(__file__).resolve().parents[2]
BASE = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.base'; django.setup();"
    " from django.conf import settings as s; "
)
SHOW = BASE + (
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
    " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
)
SECRET = "k" * 20 + "Zq7-Rw2_Lp9xVb4Nc6Md8Tf1Hg3Js5Ay0Ek2Ou4Iw6"
# The production environment docs/security.md and the README document (docker-compose.yml).
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": SECRET,
    "DATABASE_URL": "postgres://havebury:pw@127.0.0.1:5432/havebury",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "FIELD_ENCRYPTION_KEYS": "6f3fQJ8b0m4n8c1sX2e3r4t5y6u7i8o9p0a1s2d3f4g=",
    "DJANGO_ALLOWED_HOSTS": "social.havebury.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://social.havebury.com",
}


def _run(code, tmp_path, **env):
    return run_python(code, tmp_path / "data", **env)


def test_https_is_enforced_when_debug_is_off_and_a_real_secret_is_set(tmp_path):
    result = _run(SHOW, tmp_path, DJANGO_SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True", "True", "True"]


@pytest.mark.parametrize("env", [{}, {"DJANGO_SECRET_KEY": SECRET, "DJANGO_DEBUG": "1"}])
def test_laptop_and_debug_stay_on_plain_http(tmp_path, env):
    result = _run(SHOW, tmp_path, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "0", "False", "False", "False"]


def test_sessions_end_after_eight_idle_hours_and_at_browser_close(tmp_path):
    result = _run(
        BASE + "print(s.SESSION_COOKIE_AGE, s.SESSION_EXPIRE_AT_BROWSER_CLOSE)",
        tmp_path,
    )
    assert result.stdout.split() == ["28800", "True"]


@pytest.mark.django_db
def test_a_session_ends_after_eight_idle_hours_but_not_while_in_use(client):
    import time_machine

    from tests.factories import officer

    home = reverse("moderation:home")
    with time_machine.travel(0, tick=False) as clock:
        clock.move_to("2026-03-02 09:00Z")
        client.force_login(officer())
        for _ in range(3):  # a working day and more of activity keeps it alive
            clock.shift(timedelta(hours=5))
            assert client.get(home).status_code == 200
        clock.shift(timedelta(hours=8, minutes=1))
        response = client.get(home)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.base';"
        "sys.argv=['manage.py','check','--deploy','--fail-level','WARNING'];"
        "from django.core.management import execute_from_command_line; execute_from_command_line(sys.argv)"
    )
    result = _run(code, tmp_path, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_on_a_warning(tmp_path):
    """Without HSTS (a warning, not an error) the compose start-up check must still stop."""
    code = (
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.base';"
        "sys.argv=['manage.py','check','--deploy','--fail-level','WARNING'];"
        "from django.core.management import execute_from_command_line; execute_from_command_line(sys.argv)"
    )
    result = _run(code, tmp_path, **PRODUCTION_ENV, DJANGO_SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_compose_start_up_check_fails_on_warnings():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "check --deploy --fail-level WARNING" in compose
    assert "--fail-level ERROR" not in compose


def test_embedded_database_and_data_folder_are_private(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    old_db = data / "havebury.sqlite3"
    old_db.touch()
    old_db.chmod(0o644)  # left world-readable by an older version
    result = _run(
        BASE  # noqa: S608  (a fixed table in a throwaway database)
        + "import os, stat; from django.db import connection; c = connection.cursor();"
        " c.execute('create table t (x int)'); c.execute('insert into t values (1)');"
        " wal = s.DATABASES['default']['NAME'] + '-wal'; print(oct(stat.S_IMODE(os.stat(wal).st_mode)))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0o600"  # SQLite gives the WAL file the database's mode
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE(old_db.stat().st_mode) == 0o600


def test_new_embedded_database_is_created_private(tmp_path):
    result = _run(
        BASE + "from django.db import connection; connection.cursor().execute('select 1')", tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / "havebury.sqlite3").stat().st_mode) == 0o600


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in directives["default-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_cookie_is_not_persistent_and_http_only(client):
    from tests.factories import officer

    user = officer()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""  # no Max-Age/Expires: gone when the browser closes
    assert cookie["expires"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
