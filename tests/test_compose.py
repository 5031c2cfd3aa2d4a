"""No Docker engine runs here, so the compose file is checked against settings and README."""

import re
from pathlib import Path

import yaml

from moderation.schedule import SCHEDULE

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SETTINGS_SRC = (ROOT / "havebury_social" / "settings" / "base.py").read_text()
README = (ROOT / "README.md").read_text()


def test_services_present_with_healthchecks():
    expected = {
        "db",
        "redis",
        "web",
        "worker-poll",
        "worker-classify",
        "worker-actions",
        "worker-webhooks",
        "beat",
    }
    assert expected <= set(SERVICES)
    for name in expected:
        assert "healthcheck" in SERVICES[name], name


def test_workers_cover_every_queue_used_by_tasks_and_schedule():
    queues = set()
    for name, service in SERVICES.items():
        command = service.get("command", "")
        if " worker " in f" {command} ":
            assert "-A havebury_social.celery_app" in command, name
            queues |= set(re.search(r"-Q (\S+)", command).group(1).split(","))
    assert queues == {"poll", "classify", "actions", "webhooks"}
    assert {p.queue for p in SCHEDULE} <= queues


def test_web_runs_deploy_checks_migrations_and_schedule():
    command = SERVICES["web"]["command"]
    assert "check --deploy" in command
    assert "migrate" in command
    assert "setup_periodic_tasks" in command
    assert "granian --interface wsgi" in command
    assert command.rstrip().endswith('havebury_social.wsgi:application"')


def test_app_environment_names_are_read_by_settings_and_documented():
    env = SERVICES["web"]["environment"]
    for name in env:
        assert f'"{name}"' in SETTINGS_SRC, f"{name} is not read by settings/base.py"
        assert f"`{name}`" in README, f"{name} is not documented in README.md"
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert env["DATABASE_URL"].startswith("postgres://")


def test_ports_bind_to_loopback_and_no_secret_is_hard_coded():
    for name, service in SERVICES.items():
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), name
        for key, value in (service.get("environment") or {}).items():
            if any(word in key for word in ("SECRET", "PASSWORD", "KEYS", "TOKEN")):
                assert str(value).startswith("${"), f"{name}.{key} must come from the environment"


def test_every_settings_env_var_is_documented():
    names = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', SETTINGS_SRC))
    missing = sorted(n for n in names if f"`{n}`" not in README)
    assert not missing, f"README.md configuration table lacks: {missing}"
