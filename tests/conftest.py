import pytest
from django.core.cache import cache

pytest_plugins = ["tests.fakeplatform_fixtures", "tests.log_leak_plugin"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counts and policy config caches must not leak between tests."""
    cache.clear()
    yield
    cache.clear()
