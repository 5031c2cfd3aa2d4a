"""YouTube adapter: comments across the channel's videos (docs/channels.md, "YouTube").

YouTube has no push for comments, so a poll is a sweep: comment threads across
the channel's videos (`allThreadsRelatedToChannelId`, newest first), once for
published comments and once for those held for review, stopping at the first page
older than the last sweep's high-water mark (every `deep_every`-th sweep reads
`max_pages` regardless, to catch late replies on older threads); then, for threads
whose inline `replies` hold fewer than `totalReplyCount` and whose count changed,
the rest of the replies (comments.list?parentId).

Every call spends quota units (list 1, writes 50). The adapter counts them
(`units_spent`) and refuses up front what would overrun the day's budget, given the
units already used today (`units_used_today`, from the usage ledger) and a reserve kept for officers' actions.

Moderation maps onto setModerationStatus: hide = heldForReview, unhide = published,
delete = rejected (YouTube deletes only comments the channel wrote itself), block =
rejected with banAuthor (no unban call exists).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from moderation.channels.base import (
    BLOCK,
    DELETE,
    HIDE,
    KIND_COMMENT,
    KIND_REPLY,
    REPLY,
    ActionNotSupported,
    ChannelError,
    ChannelNotFound,
    ChannelRateLimited,
    ChannelUnavailable,
    FetchPage,
    LimitsInput,
    RemoteItem,
)
from moderation.channels.rest import DEFAULT_TIMEOUT, Json, RestClient, http_error
from moderation.channels.youtube.parse import comment_item, error_reason, thread_items
from moderation.channels.youtube.quota import (
    COSTS,
    DEFAULT_ACTION_RESERVE,
    DEFAULT_DAILY_UNITS,
    QuotaPlan,
    quota_day,
    seconds_until_reset,
)

STATUSES = ("published", "heldForReview")
MAX_SEEN = 500  # reply counts remembered between sweeps (most recent threads)


class YouTubeAdapter:
    platform: ClassVar[str] = "youtube"
    capabilities: ClassVar[frozenset[str]] = frozenset({HIDE, DELETE, REPLY, BLOCK})
    item_kinds: ClassVar[frozenset[str]] = frozenset({KIND_COMMENT, KIND_REPLY})
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]] = {}
    block_restriction: ClassVar[str] = "ban"
    # `block` needs the comment it is done through: the ban is a flag on a rejection.
    block_needs_item: ClassVar[bool] = True
    unsupported: ClassVar[Mapping[str, str]] = {
        "unblock": "YouTube has no API to lift a ban; unhide the user in YouTube Studio (Settings > Community).",
    }
    action_notes: ClassVar[Mapping[str, str]] = {
        "hide": "held for review (setModerationStatus heldForReview)",
        "delete": "rejected: YouTube deletes only the channel's own comments",
        "block": "rejected with banAuthor; no unban through the API",
    }

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        account_id: str,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        page_size: int = 100,
        max_pages: int = 3,
        deep_every: int = 24,
        daily_quota: int = DEFAULT_DAILY_UNITS,
        action_reserve: int = DEFAULT_ACTION_RESERVE,
        clock: Callable[[], float] = time.time,
        history_since: float | None = None,
        **_options: Any,
    ) -> None:
        self.account_id = account_id
        # Backfill (manage.py backfill): every thread started since this moment (epoch seconds)
        # instead of max_pages; threads come newest first, so the first older one ends the listing.
        self.history_since = history_since
        self.page_size = page_size
        self.max_pages = max_pages
        self.deep_every = deep_every
        self.daily_quota = daily_quota
        self.action_reserve = action_reserve
        # What the channel already spent today (set from the usage ledger before any call).
        self.units_used_today = 0
        self.units_used_month = 0
        self.units_recorded = 0  # units the ledger has counted (services/usage.py)
        self.clock = clock
        self.units = 0
        self.rest = RestClient(
            base_url=base_url,
            token=token,
            label="YouTube",
            classify=self._classify,
            timeout=timeout,
            clock=clock,
        )

    @property
    def usage(self) -> dict[str, Any]:
        plan = self._plan()
        return {
            "quota_units": self.units,
            "quota_used": plan.used,
            "quota_left": plan.left,
            "quota_daily": self.daily_quota,
            "actions_left": plan.actions_left(),
        }

    @property
    def api_calls(self) -> int:
        return self.rest.api_calls

    @property
    def units_spent(self) -> int:
        return self.units

    @staticmethod
    def usage_day(now: float) -> str:
        """YouTube's quota day: the Pacific date."""
        return quota_day(datetime.fromtimestamp(now, tz=UTC))

    @classmethod
    def describe_limits(cls, facts: LimitsInput) -> list[str]:
        """Plain sentences for the capability matrix: today's quota and what waits for the reset."""
        plan = QuotaPlan(
            int(facts.options.get("daily_quota", DEFAULT_DAILY_UNITS)),
            facts.used_today,
            int(facts.options.get("action_reserve", DEFAULT_ACTION_RESERVE)),
        )
        hours = seconds_until_reset(datetime.fromtimestamp(facts.now, tz=UTC)) / 3600
        line = (
            f"Quota: {plan.left:,} of {plan.daily_units:,} units left today ({plan.actions_left()} moderation "
            f"actions at 50 each); resets at midnight Pacific, in {hours:.1f} h."
        )
        if not plan.can_poll(1):
            line += " Polls wait for the reset; the rest is kept for officers' actions."
        return [line]

    def _plan(self) -> QuotaPlan:
        return QuotaPlan(self.daily_quota, self.units_used_today + self.units, self.action_reserve)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), tz=UTC)

    def _call(self, method: str, path: str, *, what: str, params: Any = None, body: Any = None) -> Json:
        cost = COSTS[what]
        plan = self._plan()
        fits = plan.can_poll(cost) if method == "GET" else plan.can_act(cost)
        if not fits:
            wait = seconds_until_reset(self._now())
            raise ChannelRateLimited(
                f"YouTube quota: {plan.left} of {self.daily_quota} units left today; {what} costs {cost}"
                + (" and polls keep a reserve for officers' actions" if method == "GET" else "")
                + ". It waits for the reset at midnight Pacific time.",
                retry_after=wait,
                code="quotaPlanned",
                waits_for_reset=True,
            )
        self.units += cost  # charged even when the call fails
        _, decoded, _ = self.rest.request(method, f"youtube/v3/{path}", params=params, json_body=body)
        return decoded if isinstance(decoded, dict) else {}

    def _classify(self, status: int, body: Any, headers: Mapping[str, str]) -> ChannelError | None:
        if status < 400:
            return None
        reason, message = error_reason(body)
        text = f"YouTube answered HTTP {status} ({reason or 'error'}): {message or 'no message'}"
        auth = reason in ("authError", "invalid_grant")
        if reason == "quotaExceeded" and status != 401:
            return ChannelRateLimited(
                text + " Waiting for the daily reset.",
                retry_after=seconds_until_reset(self._now()),
                code=reason,
                payload=body,
                waits_for_reset=True,
            )
        return http_error(
            status,
            text,
            payload=body,
            code=reason or status,
            reconnect="Reconnect the YouTube channel.",
            auth=auth,
            retry_after=60.0,
            rate_limited=reason in ("rateLimitExceeded", "userRateLimitExceeded"),
            not_found=reason.endswith("NotFound"),
            forbidden=reason in ("insufficientPermissions", "channelNotFound", "accountDelegationForbidden"),
            forbidden_hint="Reconnect as the channel's owner.",
        )

    # -- reading -------------------------------------------------------------------
    def fetch_page(self, *, cursor: Mapping[str, Any]) -> FetchPage:
        status_index = int(cursor.get("status", 0))
        seen = {str(k): int(v) for k, v in (cursor.get("seen") or {}).items()}
        queue = [str(t) for t in cursor.get("queue", [])]
        carry = {
            "mark": str(cursor.get("mark", "")),
            "next_mark": str(cursor.get("next_mark", "")),
            "sweeps": int(cursor.get("sweeps", 0)),
        }
        if cursor.get("phase", "threads") == "threads" and status_index < len(STATUSES):
            return self._threads_page(cursor, status_index, seen, queue, carry)
        return self._replies_page(cursor, seen, queue, carry)

    def _threads_page(
        self,
        cursor: Mapping[str, Any],
        status_index: int,
        seen: dict[str, int],
        queue: list[str],
        carry: Json,
    ) -> FetchPage:
        params: dict[str, Any] = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": self.account_id,
            "maxResults": self.page_size,
            "order": "time",
            "textFormat": "plainText",
            "moderationStatus": STATUSES[status_index],
        }
        if cursor.get("page_token"):
            params["pageToken"] = cursor["page_token"]
        body = self._call("GET", "commentThreads", what="commentThreads.list", params=params)
        threads = body.get("items")
        if not isinstance(threads, list):
            raise ChannelUnavailable("YouTube returned a thread list without 'items'; will retry.")
        items: list[RemoteItem] = []
        skipped, oldest, reached = 0, "", False
        for thread in threads:
            if not isinstance(thread, dict) or not thread.get("id"):
                skipped += 1
                continue
            found, total, inline = thread_items(thread)
            started = found[0].created_at if found else None
            if self.history_since is not None and started and started.timestamp() < self.history_since:
                reached = True  # older than the backfill's cut-off: neither stored nor its replies read
                continue
            items += found
            thread_id = str(thread["id"])
            if total > inline and seen.get(thread_id) != total and thread_id not in queue:
                queue.append(thread_id)
            seen[thread_id] = total
            published = str(found[0].raw.get("snippet", {}).get("publishedAt", "")) if found else ""
            oldest = min(oldest, published) if oldest and published else (published or oldest)
            carry["next_mark"] = max(carry["next_mark"], published)
        pages = int(cursor.get("pages", 0)) + 1
        deep = carry["sweeps"] % max(1, self.deep_every) == 0
        token = body.get("nextPageToken")
        caught_up = bool(carry["mark"]) and bool(oldest) and oldest <= carry["mark"] and not deep
        base = {**carry, "seen": seen, "queue": queue, "phase": "threads"}
        if self.history_since is not None:
            more = bool(token) and not reached
        else:
            more = bool(token) and pages < self.max_pages and not caught_up
        if more:
            return FetchPage(
                items,
                {**base, "status": status_index, "page_token": token, "pages": pages},
                False,
                [],
                skipped,
            )
        return FetchPage(items, {**base, "status": status_index + 1}, False, [], skipped)

    def _replies_page(
        self, cursor: Mapping[str, Any], seen: dict[str, int], queue: list[str], carry: Json
    ) -> FetchPage:
        if not queue:
            recent = dict(list(seen.items())[-MAX_SEEN:])
            mark = max(carry["mark"], carry["next_mark"])
            return FetchPage([], {"mark": mark, "sweeps": carry["sweeps"] + 1, "seen": recent}, True)
        thread_id = queue[0]
        params: dict[str, Any] = {
            "part": "snippet",
            "parentId": thread_id,
            "maxResults": self.page_size,
            "textFormat": "plainText",
        }
        if cursor.get("page_token"):
            params["pageToken"] = cursor["page_token"]
        try:
            body = self._call("GET", "comments", what="comments.list", params=params)
        except ChannelNotFound:
            body = {"items": []}  # the thread was deleted meanwhile
        replies = [c for c in body.get("items") or [] if isinstance(c, dict) and c.get("id")]
        items = [comment_item(c) for c in replies]
        base = {**carry, "seen": seen, "phase": "replies", "status": len(STATUSES)}
        token = body.get("nextPageToken")
        if token:
            return FetchPage(items, {**base, "queue": queue, "page_token": token}, False)
        return FetchPage(items, {**base, "queue": queue[1:]}, False)

    def get_item(self, *, platform_id: str) -> RemoteItem:
        params = {"part": "snippet", "id": platform_id, "textFormat": "plainText"}
        body = self._call("GET", "comments", what="comments.list", params=params)
        found = [c for c in body.get("items") or [] if isinstance(c, dict) and c.get("id")]
        if not found:
            raise ChannelNotFound(f"YouTube has no comment {platform_id}.", code="commentNotFound")
        return comment_item(found[0])

    def get_mention(self, *, ref: Mapping[str, str]) -> RemoteItem:
        raise ActionNotSupported("YouTube has no mentions to read.")

    # -- acting (moderation status changes are idempotent) ------------------------------
    def _moderate(self, platform_id: str, status: str, *, ban: bool = False) -> None:
        params = [("id", platform_id), ("moderationStatus", status)]
        if ban:
            params.append(("banAuthor", "true"))
        self._call("POST", "comments/setModerationStatus", what="comments.setModerationStatus", params=params)

    def hide(self, *, platform_id: str) -> None:
        self._moderate(platform_id, "heldForReview")

    def unhide(self, *, platform_id: str) -> None:
        self._moderate(platform_id, "published")

    def delete(self, *, platform_id: str) -> None:
        # "Remove" on someone else's comment is a rejection: YouTube deletes only our own.
        self._moderate(platform_id, "rejected")

    def reply(self, *, platform_id: str, text: str, kind: str = KIND_COMMENT) -> str:
        # Replies go one level deep: answering a reply answers its top-level comment.
        parent = platform_id.split(".", 1)[0]
        body = self._call(
            "POST",
            "comments",
            what="comments.insert",
            params={"part": "snippet"},
            body={"snippet": {"parentId": parent, "textOriginal": text}},
        )
        if not body.get("id"):
            raise ChannelUnavailable(
                "YouTube answered the reply without an id; check before retrying.", payload=body
            )
        return str(body["id"])

    def block(self, *, author_id: str, platform_id: str = "") -> None:
        """Reject `platform_id` and ban its author: YouTube bans only through one of their comments."""
        if not platform_id:
            raise ActionNotSupported(
                "YouTube bans an author only while rejecting one of their comments; ban from the item.",
                code="ban_needs_comment",
            )
        self._moderate(platform_id, "rejected", ban=True)

    def unblock(self, *, author_id: str) -> None:
        raise ActionNotSupported(self.unsupported["unblock"], code="unsupported")

    def subscribe_webhooks(self) -> bool:
        return False  # YouTube has no push for comments (WebSub covers new videos only): we poll
