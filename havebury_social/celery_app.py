"""The Celery app (docs/architecture.md §4): settings under the CELERY_ namespace."""

import logging
import os
from typing import Any

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from havebury_social import logscrub
from havebury_social.logs import connect_celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "havebury_social.settings.base")

app = Celery("havebury_social")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task ids in every log line, and the web request's id carried into the tasks it enqueues.
connect_celery_signals()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _scrub_worker_logs(logger: logging.Logger, **kwargs: Any) -> None:
    """If Celery sets up its own handlers (worker_hijack_root_logger), scrub those too (issue 13:
    a task that gave up on a connection error logged a Page token in its traceback)."""
    logscrub.install(logger)
