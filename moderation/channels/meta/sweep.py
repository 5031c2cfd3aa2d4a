"""What the Facebook Page and Instagram adapters share: one Graph client and the sweep.

A poll is a sweep in phases: the account's recent roots (posts or media,
newest first, up to `max_posts`), then, where the platform lists them, the
posts by others that mention the account (`mention_edge`, newest first, up to
`max_mentions`), then each root's comments page by page. The cursor records
where the sweep is, so a crash resumes after the last committed page.
Subclasses say which edges list roots and mentions and how a root's comments
are read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from moderation.channels.base import (
    RESTRICTION_BLOCK,
    ChannelAuthError,
    ChannelError,
    ChannelNotFound,
    ChannelPermissionError,
    ChannelRateLimited,
    FetchPage,
    RemoteItem,
    SweepFailure,
)
from moderation.channels.meta.client import DEFAULT_TIMEOUT, GraphClient, Json, cursor_params


class GraphAdapter:
    platform: ClassVar[str]
    block_restriction: ClassVar[str] = RESTRICTION_BLOCK
    unsupported: ClassVar[Mapping[str, str]] = {}  # each Graph action is what its name says
    action_notes: ClassVar[Mapping[str, str]] = {}
    label: ClassVar[str]  # the platform's name in error messages
    root_edge: ClassVar[str]  # "posts" or "media"
    root_fields: ClassVar[str]
    hide_param: ClassVar[str]  # Graph's name for the hidden flag on a comment
    default_comment_limit: ClassVar[int]
    # Edge listing others' posts that tag the account (Facebook `tagged`); None: webhook only.
    mention_edge: ClassVar[str | None] = None
    mention_fields: ClassVar[str] = ""

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        account_id: str,
        version: str = "v26.0",
        app_secret: str = "",
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        post_limit: int = 25,
        comment_limit: int | None = None,
        max_posts: int = 25,
        max_mentions: int | None = None,
        backoff_percent: float = 90.0,
        history_since: float | None = None,
    ) -> None:
        self.account_id = account_id
        # Backfill (manage.py backfill): list every root and mention created since this moment
        # (epoch seconds) instead of the newest max_posts, and stop paging at the first older one.
        self.history_since = history_since
        self.post_limit = post_limit
        self.comment_limit = comment_limit or self.default_comment_limit
        self.max_posts = max_posts
        self.max_mentions = max_posts if max_mentions is None else max_mentions
        self.client = GraphClient(
            base_url=base_url,
            version=version,
            token=token,
            app_secret=app_secret,
            timeout=timeout,
            backoff_percent=backoff_percent,
            label=self.label,
        )

    @property
    def usage(self) -> dict[str, Any]:
        return self.client.usage

    @property
    def api_calls(self) -> int:
        return self.client.api_calls

    # -- subclass hooks ------------------------------------------------------------
    def parse_root(self, data: Json) -> RemoteItem:
        raise NotImplementedError

    def comments_page(self, root_id: str, after: str | None) -> tuple[list[RemoteItem], str | None, int]:
        """One page of a root's comments: (items, next cursor or None, entries skipped)."""
        raise NotImplementedError

    def parse_mention(self, data: Json) -> RemoteItem:
        raise NotImplementedError

    # -- reading -------------------------------------------------------------------
    def fetch_page(self, *, cursor: Mapping[str, Any]) -> FetchPage:
        phase = cursor.get("phase", self.root_edge)
        queue = [str(p) for p in cursor.get("queue", [])]
        if phase == self.root_edge:
            params: dict[str, Any] = {"fields": self.root_fields, "limit": self.post_limit}
            params.update(cursor_params(cursor.get("after")))
            data, after, _ = self.client.pages(f"{self.account_id}/{self.root_edge}", params)
            roots, skipped = parse_all(data, self.parse_root)
            roots, reached = self._within_history(roots)
            queue += [r.platform_id for r in roots]
            seen = int(cursor.get("seen", 0)) + len(roots)
            if after and not reached and (self.history_since is not None or seen < self.max_posts):
                next_cursor = {"phase": self.root_edge, "after": after, "queue": queue, "seen": seen}
                return FetchPage(roots, next_cursor, False, [], skipped)
            if self.mention_edge:
                return FetchPage(roots, {"phase": "mentions", "queue": queue}, False, [], skipped)
            return FetchPage(roots, {"phase": "comments", "queue": queue}, not queue, [], skipped)
        if phase == "mentions":
            return self._mentions_page(cursor, queue)
        if not queue:
            return FetchPage([], {}, True)
        root_id = queue[0]
        errors: list[SweepFailure] = []
        try:
            items, after, skipped = self.comments_page(root_id, cursor.get("after"))
        except ChannelNotFound:
            items, after, skipped = [], None, 0  # the root was deleted; its comments went with it
        except (ChannelAuthError, ChannelPermissionError, ChannelRateLimited):
            raise  # the whole account is affected: stop the sweep
        except ChannelError as exc:
            # One post's failure must not stop the sweep: note it, move on to the next post,
            # and do not count this post as fully listed (nothing under it is inferred deleted).
            items, after, skipped = [], None, 0
            errors.append(failure("comments", root_id, exc))
        incomplete = bool(cursor.get("incomplete")) or skipped > 0 or bool(errors)
        if after:
            next_cursor = {"phase": "comments", "queue": queue, "after": after, "incomplete": incomplete}
            return FetchPage(items, next_cursor, False, [], skipped, errors)
        rest = queue[1:]
        completed = [] if incomplete else [root_id]
        return FetchPage(
            items, {"phase": "comments", "queue": rest} if rest else {}, not rest, completed, skipped, errors
        )

    def _within_history(self, listed: list[RemoteItem]) -> tuple[list[RemoteItem], bool]:
        """(the entries to keep, whether the listing reached back past history_since).

        Graph lists roots and mentions newest first, so the first older entry ends the listing.
        Without history_since (a normal poll) everything is kept and max_posts decides.
        """
        if self.history_since is None:
            return listed, False
        kept = [i for i in listed if i.created_at is None or i.created_at.timestamp() >= self.history_since]
        return kept, len(kept) < len(listed)

    def _mentions_page(self, cursor: Mapping[str, Any], queue: list[str]) -> FetchPage:
        """One page of others' posts tagging the account; their comments are not swept (docs/channels.md)."""
        assert self.mention_edge is not None  # noqa: S101 - only reached when the edge is set
        params: dict[str, Any] = {"fields": self.mention_fields, "limit": self.post_limit}
        params.update(cursor_params(cursor.get("after")))
        try:
            data, after, _ = self.client.pages(f"{self.account_id}/{self.mention_edge}", params)
        except (ChannelAuthError, ChannelRateLimited):
            raise  # the token or the whole account's budget: stop the sweep
        except ChannelError as exc:
            # The mentions listing failing (even for a permission only it needs) must not stop
            # the sweep: note it and go on to the posts' comments; webhooks still bring mentions.
            rest = {"phase": "comments", "queue": queue} if queue else {}
            return FetchPage([], rest, not queue, [], 0, [failure("mentions", self.account_id, exc)])
        mentions, skipped = parse_all(data, self.parse_mention)
        mentions, reached = self._within_history(mentions)
        seen = int(cursor.get("seen", 0)) + len(mentions)
        if after and not reached and (self.history_since is not None or seen < self.max_mentions):
            next_cursor = {"phase": "mentions", "after": after, "queue": queue, "seen": seen}
            return FetchPage(mentions, next_cursor, False, [], skipped)
        return FetchPage(
            mentions, {"phase": "comments", "queue": queue} if queue else {}, not queue, [], skipped
        )

    def subscribe_webhooks(self) -> bool:
        """Most Meta objects are subscribed app-wide in Meta's dashboard: nothing to do per account."""
        return False

    # -- acting (every call safe to repeat, except reply) ---------------------------
    def hide(self, *, platform_id: str) -> None:
        # Graph answers success when re-hiding a hidden comment, so retries stay idempotent.
        self.client.request("POST", platform_id, params={self.hide_param: "true"})

    def unhide(self, *, platform_id: str) -> None:
        self.client.request("POST", platform_id, params={self.hide_param: "false"})

    def delete(self, *, platform_id: str) -> None:
        # Code 100/33 means already gone: the goal of a delete is reached, so a retry is done.
        with contextlib.suppress(ChannelNotFound):
            self.client.request("DELETE", platform_id)


def failure(part: str, platform_id: str, exc: ChannelError) -> SweepFailure:
    return SweepFailure(part=part, platform_id=platform_id, error=type(exc).__name__, message=str(exc)[:500])


def parse_all(data: list[Json], parse: Callable[[Json], RemoteItem]) -> tuple[list[RemoteItem], int]:
    items, skipped = [], 0
    for entry in data:
        if not entry.get("id"):
            skipped += 1  # without an id we cannot store it idempotently; count and move on
            continue
        items.append(parse(entry))
    return items, skipped
