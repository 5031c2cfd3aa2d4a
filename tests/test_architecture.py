"""Import rules (conventions §5): pure policy, model-free adapters, known task queues."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def _modules(package):
    files = sorted((ROOT / "moderation" / package).rglob("*.py"))
    assert files, f"moderation/{package} has no modules"
    return files


@pytest.mark.parametrize("path", _modules("policy"), ids=lambda p: p.name)
def test_policy_imports_no_django(path):
    bad = [m for m in _imports(path) if m.split(".")[0] in {"django", "rest_framework", "celery"}]
    bad += [
        m for m in _imports(path) if m.startswith("moderation.") and not m.startswith("moderation.policy")
    ]
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", _modules("channels"), ids=lambda p: p.name)
def test_channels_import_no_models_settings_or_celery(path):
    forbidden = ("moderation.models", "moderation.services", "django.conf", "django.db", "celery")
    bad = [m for m in _imports(path) if m.startswith(forbidden)]
    assert not bad, f"{path.name} imports {bad}"


def test_every_task_names_a_known_queue():
    tree = ast.parse((ROOT / "moderation" / "tasks.py").read_text())
    tasks = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert tasks, "moderation/tasks.py defines no tasks"
    for fn in tasks:
        queues = [
            kw.value.value
            for dec in fn.decorator_list
            if isinstance(dec, ast.Call)
            for kw in dec.keywords
            if kw.arg == "queue"
        ]
        assert queues, f"{fn.name} names no queue"
        assert queues[0] in {"poll", "classify", "actions"}, fn.name


def test_runtime_app_does_not_import_the_dev_only_fake_server():
    """fakeplatforms/ is left out of the production image; only the demo launcher may use it."""
    allowed = {ROOT / "moderation" / "management" / "commands" / "rundemo.py"}
    bad = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "moderation").rglob("*.py"))
        if path not in allowed and any(m.split(".")[0] == "fakeplatforms" for m in _imports(path))
    ]
    assert not bad, f"runtime modules import the fake server: {bad}"
