from tests.fakeplatform_fixtures import fake_platforms, meta_settings  # noqa: F401
