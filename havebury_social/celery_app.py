"""The Celery app (conventions §4): settings under the CELERY_ namespace."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")

app = Celery("havebury_social")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
