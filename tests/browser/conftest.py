"""Playwright against live_server with Debian's chromium (docs/architecture.md §7)."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses that
# unless told it is safe, and it is here because tests touch the DB from one thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_path():
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise RuntimeError(
            f"No chromium at {path}. Install Debian's package (`apt-get install chromium`) or set CHROMIUM_PATH; "
            "`make test` installs it."
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": _chromium_path(),
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-gpu",
            "--disable-component-update",
        ],
    }


@pytest.fixture
def context(context, live_server):
    """Abort anything that is not loopback: the app must work with no internet."""

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "about:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    return context
