from django.apps import AppConfig


class PolicyLabConfig(AppConfig):
    """Dev-only: adds `manage.py train_classifier` and `manage.py evaluate_policy`."""

    name = "policy_lab"
    verbose_name = "Policy lab (development only)"
