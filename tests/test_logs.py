"""Structured logs: JSON lines with request and task ids, and nothing but ids and short values."""

import io
import json
import logging

import pytest
from celery.signals import before_task_publish, task_postrun, task_prerun

from havebury_social.logs import ContextFilter, JsonFormatter, current_request_id
from moderation.tasks import item_classify


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("havebury")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_a_record_is_one_json_object_with_short_extras_only(json_lines):
    logging.getLogger("havebury.test").info(
        "item %s classified",
        42,
        extra={"item_id": 42, "ok": True, "note": "short", "blob": "x" * 500, "obj": object()},
    )
    (line,) = json_lines()
    assert line["msg"] == "item 42 classified"
    assert line["level"] == "INFO"
    assert line["logger"] == "havebury.test"
    assert line["item_id"] == 42
    assert line["ok"] is True
    assert line["note"] == "short"
    assert "blob" not in line  # long strings (e.g. a comment's text passed by mistake) are dropped
    assert "obj" not in line
    assert "request_id" not in line  # outside a request or task


@pytest.mark.django_db
def test_each_request_gets_an_id_in_its_log_line_and_response(client, json_lines):
    response = client.get("/healthz?code=secret-oauth-code")
    rid = response["X-Request-ID"]
    assert len(rid) == 32
    (line,) = [x for x in json_lines() if x["logger"] == "havebury.request"]
    assert line["request_id"] == rid
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert "secret-oauth-code" not in json.dumps(line)  # query strings are never logged


@pytest.mark.django_db
def test_a_proxys_request_id_is_kept_but_free_text_is_not(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == "proxy-1234abcd"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="hello <script> world")["X-Request-ID"]
    assert replaced != "hello <script> world"
    assert len(replaced) == 32


def test_tasks_log_their_id_and_the_request_id_that_enqueued_them(json_lines):
    headers = {}
    token = current_request_id.set("req-abcdef12")
    try:
        before_task_publish.send(sender="moderation.tasks.item_classify", headers=headers, body=())
    finally:
        current_request_id.reset(token)
    assert headers == {"request_id": "req-abcdef12"}

    item_classify.push_request(id="task-0001", request_id=headers["request_id"])
    try:
        task_prerun.send(sender=item_classify, task_id="task-0001", task=item_classify, args=(1,), kwargs={})
        logging.getLogger("havebury.test").info("inside the task")
        task_postrun.send(sender=item_classify, task_id="task-0001", task=item_classify)
        logging.getLogger("havebury.test").info("after the task")
    finally:
        item_classify.pop_request()
    inside, after = json_lines()
    assert inside["task_id"] == "task-0001"
    assert inside["task"] == "moderation.tasks.item_classify"
    assert inside["request_id"] == "req-abcdef12"
    assert "task_id" not in after
    assert "request_id" not in after


@pytest.mark.django_db
def test_the_request_line_is_the_record_log_info_would_make(client):
    """RequestIdMiddleware makes its record itself (no stack walk): the same record as log.info,
    and the same line as json.dumps wrote."""
    import inspect

    from havebury_social import logs

    seen = []

    class Keep(logging.Handler):
        def emit(self, record):
            seen.append((record, self.format(record)))

    handler = Keep()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("havebury.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        response = client.get("/healthz")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    ((record, line),) = seen
    assert (record.pathname, record.funcName, record.module) == (logs.__file__, "__call__", "logs")
    source, first = inspect.getsourcelines(logs.RequestIdMiddleware.__call__)
    assert first < record.lineno < first + len(source)  # a line of the middleware's __call__
    assert record.levelno == logging.INFO
    assert record.exc_info is None
    expected = {
        "ts": line[8:37],
        "level": "INFO",
        "logger": "havebury.request",
        "msg": "GET /healthz 200",
        "request_id": response["X-Request-ID"],
        "method": "GET",
        "path": "/healthz",
        "status": 200,
        "duration_ms": record.duration_ms,
    }
    assert line == json.dumps(expected, default=str)  # byte for byte
