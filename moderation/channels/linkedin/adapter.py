"""LinkedIn adapter: comments on the organisation's posts (docs/channels.md, "LinkedIn").

A poll is a sweep: the organisation's recent posts (up to `max_posts`), then
each post's comments through socialActions with start/count paging, then the
replies of comments that have any. A post is "complete" once its comments and
replies are all listed, so comments missing from a complete listing were deleted.
Every request sends `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`; a
sunset version answers 426 and is reported as a settings problem.

LinkedIn has no API to hide a comment or to ban a member: declared, not faked.
Delete works on comments on the organisation's own posts where LinkedIn allows it
(certainly the organisation's own; for members' comments a refusal is reported
with the alternative).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from moderation.channels.base import (
    DELETE,
    KIND_COMMENT,
    KIND_POST,
    KIND_REPLY,
    REPLY,
    ActionNotSupported,
    ChannelError,
    ChannelNotFound,
    ChannelPermanentError,
    ChannelPermissionError,
    ChannelUnavailable,
    FetchPage,
    LimitsInput,
    RemoteItem,
)
from moderation.channels.linkedin.parse import (
    comment_item,
    comment_urn,
    enc,
    epoch_ms,
    next_start,
    org_urn,
    post_item,
    reply_count,
    split_comment_urn,
)
from moderation.channels.rest import DEFAULT_TIMEOUT, Json, RestClient, http_error

DEFAULT_VERSION = "202609"


def seconds_to_utc_midnight(now: float) -> float:
    moment = datetime.fromtimestamp(now, tz=UTC)
    midnight = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return max(60.0, (midnight - moment).total_seconds())


class LinkedInAdapter:
    platform: ClassVar[str] = "linkedin"
    capabilities: ClassVar[frozenset[str]] = frozenset({DELETE, REPLY})
    item_kinds: ClassVar[frozenset[str]] = frozenset({KIND_POST, KIND_COMMENT, KIND_REPLY})
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]] = {KIND_POST: frozenset()}
    block_restriction: ClassVar[str] = "block"  # required by the protocol; LinkedIn cannot block

    @staticmethod
    def own_author_ids(account_id: str) -> frozenset[str]:
        """The organisation writes as its URN (`urn:li:organization:<id>`), not as the bare id."""
        return frozenset({account_id, org_urn(account_id)})

    unsupported: ClassVar[Mapping[str, str]] = {
        "hide": "LinkedIn has no API to hide a comment. Delete it, or report it to LinkedIn.",
        "block": "LinkedIn has no API to block a member from a Page. Report the member to LinkedIn.",
    }
    action_notes: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        account_id: str,
        version: str = DEFAULT_VERSION,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        page_size: int = 50,  # LinkedIn's default is 10; fewer calls for the same listing
        max_posts: int = 25,
        clock: Callable[[], float] = time.time,
        history_since: float | None = None,
        **_options: Any,
    ) -> None:
        self.account_id = account_id
        # Backfill (manage.py backfill): every post published since this moment (epoch seconds)
        # instead of the newest max_posts; posts are listed by last change, newest first, so the
        # first one last changed before it ends the listing.
        self.history_since = history_since
        self.org = org_urn(account_id)
        self.version = version
        self.page_size = page_size
        self.max_posts = max_posts
        self.clock = clock
        self.rest = RestClient(
            base_url=base_url,
            token=token,
            label="LinkedIn",
            classify=self._classify,
            timeout=timeout,
            headers={"LinkedIn-Version": version, "X-Restli-Protocol-Version": "2.0.0"},
            clock=clock,
        )
        self.usage: dict[str, Any] = {}

    @property
    def api_calls(self) -> int:
        return self.rest.api_calls

    @property
    def units_spent(self) -> int:
        return self.rest.api_calls

    @classmethod
    def describe_limits(cls, facts: LimitsInput) -> list[str]:
        """LinkedIn publishes no limits: only a throttle it answered, until midnight UTC."""
        until = facts.state.get("throttled_until")
        if isinstance(until, int | float) and until > facts.now:
            return [
                f"Throttled by LinkedIn for {(until - facts.now) / 3600:.1f} h more (daily limits reset at midnight UTC)."
            ]
        return ["No published limits; a daily throttle (429) waits for midnight UTC."]

    def _classify(self, status: int, body: Any, headers: Mapping[str, str]) -> ChannelError | None:
        if status < 400:
            return None
        error: Json = body if isinstance(body, dict) else {}
        service_code = error.get("serviceErrorCode")
        code = str(error.get("code") or service_code or status)
        text = f"LinkedIn answered HTTP {status} ({code}): {error.get('message') or 'no message'}"
        if status == 426:
            return ChannelPermanentError(
                text
                + f" LinkedIn-Version {self.version} is sunset; set LINKEDIN_VERSION to a current YYYYMM.",
                code="version_sunset",
                payload=body,
            )
        wait = 0.0
        if status == 429:
            wait = seconds_to_utc_midnight(self.clock())
            self.usage = {"throttled_until": self.clock() + wait, "message": str(error.get("message", ""))}
        return http_error(
            status,
            text,
            payload=body,
            code=code,
            reconnect="Reconnect the LinkedIn Page.",
            retry_after=wait,
            forbidden_hint="The member needs the ADMINISTRATOR role on the Page.",
        )

    def _get(self, path: str, params: Mapping[str, Any]) -> Json:
        _, body, _ = self.rest.request("GET", path, params=params)
        if not isinstance(body, dict) or not isinstance(body.get("elements"), list):
            raise ChannelUnavailable("LinkedIn returned a list without 'elements'; will retry.")
        return body

    # -- reading -------------------------------------------------------------------
    def fetch_page(self, *, cursor: Mapping[str, Any]) -> FetchPage:
        queue = [list(map(str, entry)) for entry in cursor.get("queue", [])]
        start = int(cursor.get("start", 0))
        if cursor.get("phase", "posts") == "posts":
            params = {
                "author": self.org,
                "q": "author",
                "count": self.page_size,
                "start": start,
                "sortBy": "LAST_MODIFIED",
            }
            body = self._get("rest/posts", params)
            posts = [p for p in body["elements"] if isinstance(p, dict) and p.get("id")]
            skipped = len(body["elements"]) - len(posts)
            items = [post_item(p) for p in posts]
            reached = False
            if self.history_since is not None:
                since = self.history_since
                changed = [epoch_ms(p.get("lastModifiedAt")) for p in posts]
                reached = any(at is not None and at.timestamp() < since for at in changed)
                items = [i for i in items if i.created_at is None or i.created_at.timestamp() >= since]
            queue += [[p.platform_id, p.platform_id] for p in items]
            following = next_start(body, start, len(body["elements"]))
            deeper = self.history_since is not None or (following or 0) < self.max_posts
            if following is not None and not reached and deeper:
                return FetchPage(
                    items, {"phase": "posts", "start": following, "queue": queue}, False, [], skipped
                )
            return FetchPage(items, {"phase": "comments", "queue": queue}, not queue, [], skipped)
        if not queue:
            return FetchPage([], {}, True)
        target, root = queue[0]
        try:
            body = self._get(
                f"rest/socialActions/{enc(target)}/comments", {"start": start, "count": self.page_size}
            )
        except ChannelNotFound:
            body = {"elements": [], "paging": {}}  # the post or comment was deleted meanwhile
        comments = [c for c in body["elements"] if isinstance(c, dict) and comment_urn(c)]
        skipped = len(body["elements"]) - len(comments)
        items = [comment_item(c, post_urn=root) for c in comments]
        nested = [
            [comment_urn(c), root] for c in comments if reply_count(c) > 0 and not c.get("parentComment")
        ]
        rest = queue[:1] + nested + queue[1:]
        following = next_start(body, start, len(body["elements"]))
        if following is not None:
            return FetchPage(
                items, {"phase": "comments", "queue": rest, "start": following}, False, [], skipped
            )
        remaining = rest[1:]
        complete = [root] if not remaining or remaining[0][1] != root else []
        if not remaining:
            return FetchPage(items, {}, True, complete, skipped)
        return FetchPage(items, {"phase": "comments", "queue": remaining}, False, complete, skipped)

    def get_item(self, *, platform_id: str) -> RemoteItem:
        try:
            obj, ident = split_comment_urn(platform_id)
        except ValueError as exc:
            raise ChannelNotFound(str(exc)) from exc
        _, body, _ = self.rest.request("GET", f"rest/socialActions/{enc(obj)}/comments/{ident}")
        if not isinstance(body, dict):
            raise ChannelUnavailable("LinkedIn returned an empty comment; will retry.")
        return comment_item(body, post_urn=obj)

    def get_mention(self, *, ref: Mapping[str, str]) -> RemoteItem:
        raise ActionNotSupported("LinkedIn mentions are not read yet.")

    # -- acting --------------------------------------------------------------------------
    def hide(self, *, platform_id: str) -> None:
        raise ActionNotSupported(self.unsupported["hide"], code="unsupported")

    def unhide(self, *, platform_id: str) -> None:
        raise ActionNotSupported(self.unsupported["hide"], code="unsupported")

    def delete(self, *, platform_id: str) -> None:
        try:
            obj, ident = split_comment_urn(platform_id)
        except ValueError as exc:
            raise ChannelPermanentError(f"LinkedIn can delete comments only, not {platform_id}.") from exc
        try:
            # 404 means already gone: the goal of a delete is reached, so a retry is done.
            with contextlib.suppress(ChannelNotFound):
                self.rest.request(
                    "DELETE", f"rest/socialActions/{enc(obj)}/comments/{ident}", params={"actor": self.org}
                )
        except ChannelPermissionError as exc:
            raise ChannelPermanentError(
                f"{exc.message} LinkedIn did not let the Page delete this comment; report it to LinkedIn "
                "from the post's comment menu.",
                code=exc.code,
                payload=exc.payload,
            ) from exc

    def reply(self, *, platform_id: str, text: str, kind: str = KIND_COMMENT) -> str:
        """Comment as the organisation under a post, or under a comment (one level deep)."""
        body: Json = {"actor": self.org, "message": {"text": text}}
        if platform_id.startswith("urn:li:comment:"):
            obj, _ = split_comment_urn(platform_id)
            body.update({"object": obj, "parentComment": platform_id})
        else:
            body["object"] = platform_id
        _, answer, headers = self.rest.request(
            "POST", f"rest/socialActions/{enc(platform_id)}/comments", json_body=body
        )
        urn = (answer or {}).get("commentUrn") if isinstance(answer, dict) else None
        urn = urn or headers.get("x-restli-id")
        if not urn:
            raise ChannelUnavailable("LinkedIn answered the reply without an id; check before retrying.")
        return str(urn)

    def block(self, *, author_id: str) -> None:
        raise ActionNotSupported(self.unsupported["block"], code="unsupported")

    def unblock(self, *, author_id: str) -> None:
        raise ActionNotSupported(self.unsupported["block"], code="unsupported")

    def subscribe_webhooks(self) -> bool:
        return False  # organisation webhooks need an approved use case; not built: we poll
