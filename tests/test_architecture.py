"""Import rules (docs/architecture.md): pure policy, model-free adapters, known task queues."""

import ast
import re
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
    tasks = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.decorator_list]
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
        assert queues[0] in {"poll", "classify", "actions", "webhooks"}, fn.name


def test_runtime_app_does_not_import_the_dev_only_fake_server():
    """fakeplatforms/ is left out of the production image; only the demo launcher may use it."""
    allowed = {ROOT / "moderation" / "management" / "commands" / "rundemo.py"}
    bad = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "moderation").rglob("*.py"))
        if path not in allowed and any(m.split(".")[0] == "fakeplatforms" for m in _imports(path))
    ]
    assert not bad, f"runtime modules import the fake server: {bad}"


# --- the platform seam (docs/architecture.md) --------------------------------------------
CHANNELS = ROOT / "moderation" / "channels"
SEAM_MODULES = {"moderation.channels", "moderation.channels.base", "moderation.channels.registry"}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _channel_modules():
    return {_module_name(p): p for p in sorted(CHANNELS.rglob("*.py"))}


def _imported_modules(path, known):
    """Modules of `known` that a file imports (`from pkg import mod` counts as importing pkg.mod)."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module in known:
                found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in known}
    return found


def test_only_channels_imports_a_platform_module():
    """Services, views, tasks and settings reach platforms only through the registry."""
    modules = _channel_modules()
    platform_modules = {m for m in modules if m not in SEAM_MODULES and m != "moderation.channels.fake"}
    assert "moderation.channels.meta.facebook" in platform_modules
    outside = [
        p
        for top in ("moderation", "havebury_social", "accounts")
        for p in sorted((ROOT / top).rglob("*.py"))
        if CHANNELS not in p.parents and "migrations" not in p.parts
    ]
    bad = {
        str(p.relative_to(ROOT)): sorted(_imported_modules(p, platform_modules))
        for p in outside
        if _imported_modules(p, platform_modules)
    }
    assert not bad, f"platform modules imported outside moderation/channels/: {bad}"


def test_no_import_cycle_inside_channels():
    modules = _channel_modules()
    graph = {m: _imported_modules(p, modules) - {m} for m, p in modules.items()}
    state, stack = {}, []

    def visit(m):
        state[m] = "open"
        stack.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == "open":
                cycle = [*stack[stack.index(n) :], n]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m)


TRAINING_ONLY = {"sklearn", "scipy", "joblib", "torch", "transformers", "policy_lab"}


@pytest.mark.parametrize(
    "path", sorted((ROOT / "moderation").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_runtime_app_imports_no_training_code(path):
    """Issue 7 item 6: training and evaluation live in the dev-only policy_lab package."""
    bad = [m for m in _imports(path) if m.split(".")[0] in TRAINING_ONLY]
    assert not bad, f"{path.name} imports {bad}"


def test_the_demo_worker_consumes_every_task_queue():
    tree = ast.parse((ROOT / "moderation" / "tasks.py").read_text())
    named = {
        kw.value.value
        for fn in tree.body
        if isinstance(fn, ast.FunctionDef)
        for dec in fn.decorator_list
        if isinstance(dec, ast.Call)
        for kw in dec.keywords
        if kw.arg == "queue"
    }
    rundemo = (ROOT / "moderation" / "management" / "commands" / "rundemo.py").read_text()
    consumed = re.search(r'"-Q", "([^"]+)"', rundemo)
    assert consumed, "rundemo starts no worker with -Q"
    assert set(consumed.group(1).split(",")) == named


# Paths that act, connect, read and receive through the seam, and the pages that describe it.
# What only some platforms can do is declared in channels/base.py (ReadsBackReplies,
# BlocksThroughAnItem, RefreshesTokens, HasBudgetDay, HasDailyQuota, DescribesLimits) and checked
# with isinstance; a platform is never recognised by probing for a name or by its own.
SEAM_CALLERS = sorted(
    [
        *(ROOT / "moderation" / "services").rglob("*.py"),
        *(ROOT / "moderation" / "views").glob("*.py"),
        ROOT / "moderation" / "tasks.py",
        ROOT / "moderation" / "selectors.py",
        ROOT / "moderation" / "capability_matrix.py",
    ]
)
PLATFORM_NAMES = {"facebook", "instagram", "x", "youtube", "linkedin"}


def _guesses(path):
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and node.args
            # a name (adapter) or an expression that makes one (registry.adapter_class(...))
            and re.search(r"adapter|connector|handler", ast.unparse(node.args[0]))
        ):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
        if isinstance(node, ast.Compare):
            named = {
                n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and n.value in PLATFORM_NAMES
            }
            named |= {
                n.attr.lower()
                for n in ast.walk(node)
                if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "Platform"
            }
            if named:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    found += [
        f"{n}: {line.strip()}"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "type: ignore" in line and re.search(r"adapter|connector", line)
    ]
    return found


@pytest.mark.parametrize("path", SEAM_CALLERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_services_and_views_neither_probe_adapters_by_name_nor_branch_on_a_platform(path):
    """Issue 7's done-when: adding a network is its package plus a registry entry, nothing else."""
    assert _guesses(path) == []


def test_the_probe_finds_what_it_forbids(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(adapter, channel):\n"
        "    if getattr(adapter, 'block_needs_item', False): pass\n"
        "    if channel.platform == 'youtube': pass\n"
        "    if channel.platform in (Platform.X,): pass\n"
        "    adapter.block(author_id='a', platform_id='b')  # type: ignore[call-arg]\n"
        "    if getattr(registry.adapter_class(channel.platform, {}), 'block_needs_item', False): pass\n"
    )
    assert [g.split(":")[0] for g in _guesses(sample)] == ["2", "3", "4", "6", "5"]
