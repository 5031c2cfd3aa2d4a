"""HTTP for X API v2: problem-JSON errors, `x-rate-limit-*` headers, read counting.

Every response carries `x-rate-limit-limit/remaining/reset` per endpoint. When
`remaining` reaches 0 the client stops calling that endpoint until `reset`
instead of collecting a 429. A 429 whose type is `usage-capped` means the
monthly cap or the credits ran out: retrying before the next cycle only wastes calls.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import requests

from moderation.channels.base import (
    ChannelError,
    ChannelNotFound,
    ChannelRateLimited,
)
from moderation.channels.rest import DEFAULT_TIMEOUT, Json, RestClient, http_error
from moderation.channels.x.parse import partial_errors, tweets

DEFAULT_WINDOW_SECONDS = 900.0  # X's limits are per 15 minutes


def seconds_to_next_month(now: float) -> float:
    moment = datetime.fromtimestamp(now, tz=UTC)
    days = calendar.monthrange(moment.year, moment.month)[1]
    start_next = datetime(moment.year, moment.month, days, tzinfo=UTC).timestamp() + 86400
    return max(60.0, start_next - now)


class XClient:
    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.time,
        session: requests.Session | None = None,
    ) -> None:
        self.clock = clock
        self.rest = RestClient(
            base_url=base_url,
            token=token,
            label="X",
            classify=self._classify,
            timeout=timeout,
            clock=clock,
            session=session,
        )
        self.limits: dict[str, Json] = {}  # endpoint -> {"limit", "remaining", "reset"}
        self.reads = 0  # posts returned, the unit X bills and caps
        self._bucket = ""

    @property
    def api_calls(self) -> int:
        return self.rest.api_calls

    def call(
        self,
        method: str,
        path: str,
        *,
        bucket: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> Json:
        state = self.limits.get(bucket, {})
        now = self.clock()
        if state.get("remaining") == 0 and float(state.get("reset", 0)) > now:
            raise ChannelRateLimited(
                f"X rate limit for {bucket} is used up until the window resets; not calling.",
                retry_after=float(state["reset"]) - now,
                code="rate-limit",
            )
        self._bucket = bucket
        _, decoded, _ = self.rest.request(method, path, params=params, json_body=body)
        result: Json = decoded if isinstance(decoded, dict) else {}
        if method == "GET":
            self.reads += len(tweets(result))
        return result

    def get_one(self, path: str, *, bucket: str, params: Mapping[str, Any]) -> Json:
        """A single post: X answers 200 with only `errors` when it is deleted or withheld."""
        body = self.call("GET", path, bucket=bucket, params=params)
        if not tweets(body):
            errors = partial_errors(body)
            detail = str(errors[0].get("detail", "not found")) if errors else "no data"
            raise ChannelNotFound(
                f"X has no post at {path}: {detail}", code="resource-not-found", payload=body
            )
        return body

    def _note_limits(self, headers: Mapping[str, str]) -> None:
        try:
            limit = int(headers["x-rate-limit-limit"])
            remaining = int(headers["x-rate-limit-remaining"])
            reset = float(headers["x-rate-limit-reset"])
        except (KeyError, ValueError):
            return
        self.limits[self._bucket] = {"limit": limit, "remaining": remaining, "reset": reset}

    def _classify(self, status: int, body: Any, headers: Mapping[str, str]) -> ChannelError | None:
        self._note_limits(headers)
        if status < 400:
            return None
        problem: Json = body if isinstance(body, dict) else {}
        kind = str(problem.get("type", ""))
        detail = str(problem.get("detail") or problem.get("title") or f"HTTP {status}")
        text = f"X answered HTTP {status} ({kind.rsplit('/', 1)[-1] or 'error'}): {detail}"
        if status == 429 and kind.endswith("usage-capped"):
            return ChannelRateLimited(
                text + " The monthly cap or the credits are used up; reads resume next cycle.",
                retry_after=seconds_to_next_month(self.clock()),
                code="usage-capped",
                payload=body,
                waits_for_reset=True,
            )
        wait = DEFAULT_WINDOW_SECONDS
        if status == 429 and (reset := self.limits.get(self._bucket, {}).get("reset")):
            wait = float(reset) - self.clock()
        return http_error(
            status,
            text,
            payload=body,
            code=status,
            reconnect="Reconnect the X account on the Channels page.",
            retry_after=max(1.0, wait),
            not_found=kind.endswith("resource-not-found"),
            forbidden=status == 403 and kind.endswith("client-forbidden"),
            forbidden_hint="The X app's access level does not include this endpoint.",
            codes={ChannelRateLimited: "rate-limit", ChannelNotFound: "resource-not-found"},
        )
