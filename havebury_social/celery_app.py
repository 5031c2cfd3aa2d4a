"""The Celery app (conventions §4): settings under the CELERY_ namespace."""

import os

from celery import Celery

from havebury_social.logs import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")

app = Celery("havebury_social")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task ids in every log line, and the web request's id carried into the tasks it enqueues.
connect_celery_signals()
