"""Settings come from the environment with safe defaults (README.md, Configuration)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(code, tmp_path, **env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DATABASE", "REDIS", "CELERY"))
    }
    clean.update({"HAVEBURY_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


BASE = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.base'; django.setup(); from django.conf import settings as s; "


def test_embedded_defaults_need_no_server(tmp_path):
    result = _run(
        BASE + "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.TIME_ZONE)", tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.db.backends.sqlite3",
        "filesystem://localhost/",
        "Europe/London",
    ]


def test_embedded_broker_takes_a_message_without_kombu_warning(tmp_path):
    # A bare filesystem:// has no host, and kombu then warned "No hostname was supplied" on every
    # connection: in rundemo's terminal and at the top of the worker's and beat's logs.
    result = _run(
        BASE
        + "from havebury_social.celery_app import app; app.send_task('moderation.tasks.demo', queue='poll')",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "broker" / "out").iterdir())) == 1  # the message is in the folder
    assert "No hostname" not in result.stderr, result.stderr


def test_environment_switches_to_postgres_and_redis(tmp_path):
    result = _run(
        BASE + "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.FACEBOOK_GRAPH_URL)",
        tmp_path,
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        REDIS_URL="redis://127.0.0.1:6379/3",
        FACEBOOK_GRAPH_URL="http://127.0.0.1:8900/facebook",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/3",
        "http://127.0.0.1:8900/facebook",
    ]


def test_laptop_secret_is_shared_between_processes(tmp_path):
    first = _run(BASE + "print(s.SECRET_KEY)", tmp_path)
    second = _run(BASE + "print(s.SECRET_KEY)", tmp_path)
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) > 40


@pytest.mark.parametrize(
    "env",
    [{}, {"DATABASE_URL": "sqlite:///x.db", "REDIS_URL": "redis://127.0.0.1:6379/15"}],
)
def test_test_settings_refuse_without_postgres_and_redis(tmp_path, env):
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.test'; import django; django.setup()"
    result = _run(code, tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "127.0.0.1:5432" in result.stderr


def test_deploy_checks_report_each_embedded_default(tmp_path):
    result = _run(
        "import os, sys; sys.argv=['manage.py','check','--deploy'];"
        "os.environ['DJANGO_SETTINGS_MODULE']='havebury_social.settings.base';"
        "from django.core.management import execute_from_command_line; execute_from_command_line(sys.argv)",
        tmp_path,
    )
    assert result.returncode != 0
    for check_id in ("moderation.E001", "moderation.E002", "moderation.E003", "moderation.E004"):
        assert check_id in result.stderr
    assert "HINT: Set DATABASE_URL" in result.stderr
