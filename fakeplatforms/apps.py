from django.apps import AppConfig


class FakePlatformsConfig(AppConfig):
    """Dev-only app: it exists to give `manage.py fakeplatforms`; it has no models."""

    name = "fakeplatforms"
    verbose_name = "Fake platforms (demo and tests only)"
