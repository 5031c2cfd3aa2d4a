"""X adapter: what @Havebury can see and do through API v2 (docs/channels.md, "X (API v2)").

A poll is a sweep in three phases, each incremental with `since_id`:
1. `posts`: our own recent posts (last 7 days), so we know which conversations are ours;
2. `mentions`: posts that @mention us;
3. `replies`: recent search on `conversation_id:` for our conversations, several ids per
   query (`(A OR B ...) -@us`, up to the query length limit), so replies that do not
   mention us are found too, and those that do (already read in phase 2) are not read twice. Each conversation keeps its own `since_id`, so a conversation added
   between two searches is searched from its first post.
The cursor returned with `done` carries the since-markers into the next sweep.

What X does not allow is declared, not faked: deleting other people's posts (hide
replies in our conversations instead), block (Enterprise only; mute is offered) and,
on self-serve plans, replying to a post whose author did not mention, reply to or quote
us (`summoned`). Hiding works only on replies in conversations we started.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from moderation.channels.base import (
    BLOCK,
    HIDE,
    KIND_MENTION,
    KIND_POST,
    KIND_REPLY,
    REPLY,
    ActionNotSupported,
    ChannelPermanentError,
    ChannelRateLimited,
    ChannelUnavailable,
    FetchPage,
    LimitsInput,
    RemoteItem,
)
from moderation.channels.rest import DEFAULT_TIMEOUT, Json
from moderation.channels.x.budget import ReadBudget
from moderation.channels.x.client import XClient
from moderation.channels.x.parse import (
    EXPANSIONS,
    TWEET_FIELDS,
    USER_FIELDS,
    newest,
    summoned,
    tweet_item,
    tweets,
    users_by_id,
)

SEARCH_WINDOW_SECONDS = 7 * 86400
CARRY = (
    "own",
    "since",
    "next_since",
    "username",
)  # what every cursor of a sweep hands on  # recent search sees the last 7 days only
CONVERSATION_TERM = "conversation_id:"
LIST_PARAMS = {"tweet.fields": TWEET_FIELDS, "expansions": EXPANSIONS, "user.fields": USER_FIELDS}


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def conversation_batches(conversations: Mapping[str, Json], query_limit: int) -> Iterator[list[str]]:
    """Conversation ids grouped so `conversation_id:A OR conversation_id:B ...` fits the query limit."""
    batch: list[str] = []
    length = 0
    for conv in sorted(conversations, key=int):
        term = len(CONVERSATION_TERM) + len(conv) + (4 if batch else 0)
        if batch and length + term > query_limit:
            yield batch
            batch, length = [], 0
            term -= 4
        batch.append(conv)
        length += term
    if batch:
        yield batch


class XAdapter:
    platform: ClassVar[str] = "x"
    # "block" on X is a mute: blocking through the API needs an Enterprise plan.
    capabilities: ClassVar[frozenset[str]] = frozenset({HIDE, REPLY, BLOCK})
    block_restriction: ClassVar[str] = "mute"
    item_kinds: ClassVar[frozenset[str]] = frozenset({KIND_POST, KIND_REPLY, KIND_MENTION})
    # Hiding works only on replies in conversations we started; our own posts are context.
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]] = {
        KIND_POST: frozenset(),
        KIND_REPLY: frozenset({HIDE, REPLY, BLOCK}),
        KIND_MENTION: frozenset({REPLY, BLOCK}),
    }
    unsupported: ClassVar[Mapping[str, str]] = {
        "delete": "X lets an account delete only its own posts. Hide the reply instead, or report the post to X.",
        "reply": "X accepts an API reply only where the post's author mentioned, replied to or quoted this "
        "account; reply in the X app instead.",
        "block": "Blocking through the X API needs an Enterprise plan, so this mutes the author; block in the X "
        "app if a mute is not enough.",
    }
    action_notes: ClassVar[Mapping[str, str]] = {}

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        account_id: str,
        username: str = "",
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        page_size: int = 100,
        query_limit: int = 512,
        monthly_read_budget: int = 0,
        clock: Callable[[], float] = time.time,
        **_options: Any,
    ) -> None:
        self.account_id = account_id
        self.username = username
        self.page_size = page_size
        self.query_limit = query_limit
        self.monthly_read_budget = monthly_read_budget
        # What the channel already read today and this month (set from the usage ledger).
        self.units_used_today = 0
        self.units_used_month = 0
        self.units_recorded = 0  # reads the ledger has counted (services/usage.py)
        self.clock = clock
        self.client = XClient(base_url=base_url, token=token, timeout=timeout, clock=clock)

    @property
    def usage(self) -> dict[str, Any]:
        plan = self.budget()
        return {"rate_limits": dict(self.client.limits), "reads": self.client.reads, **plan.as_dict()}

    @staticmethod
    def usage_day(now: float) -> str:
        return datetime.fromtimestamp(now, tz=UTC).date().isoformat()

    def budget(self) -> ReadBudget:
        return ReadBudget(
            monthly=self.monthly_read_budget,
            used_month=self.units_used_month + self.client.reads,
            used_today=self.units_used_today + self.client.reads,
            now=self.clock(),
        )

    @classmethod
    def describe_limits(cls, facts: LimitsInput) -> list[str]:
        """Plain sentences for the capability matrix: the read budget and the rate-limit windows."""
        plan = ReadBudget(
            monthly=int(facts.options.get("monthly_read_budget", 0)),
            used_month=facts.used_month,
            used_today=facts.used_today,
            now=facts.now,
        )
        lines = []
        if plan.monthly:
            lines.append(
                f"Read budget: {plan.month_left:,} of {plan.monthly:,} posts left this month; "
                f"today's share {plan.daily_share:,.0f}, {max(0, plan.today_left):,.0f} left."
            )
        for endpoint, window in sorted((facts.state.get("rate_limits") or {}).items()):
            if isinstance(window, dict) and "remaining" in window:
                lines.append(
                    f"Rate limit {endpoint}: {window['remaining']} of {window.get('limit', '?')} left this 15 minutes."
                )
        return lines

    def _within_budget(self) -> None:
        plan = self.budget()
        if plan.monthly and plan.today_left <= 0:
            raise ChannelRateLimited(
                f"X read budget: today's share ({plan.daily_share:,.0f} of {plan.monthly:,} posts this month) "
                "is read; polling resumes after midnight UTC, picking up where it stopped.",
                retry_after=plan.seconds_to_tomorrow,
                code="read_budget",
                waits_for_reset=True,
            )

    @property
    def api_calls(self) -> int:
        return self.client.api_calls

    @property
    def units_spent(self) -> int:
        """Posts read: what X bills (pay-per-use) and caps (monthly plans)."""
        return self.client.reads

    # -- reading -------------------------------------------------------------------
    def fetch_page(self, *, cursor: Mapping[str, Any]) -> FetchPage:
        state: Json = {
            "phase": cursor.get("phase", "posts"),
            "own": {str(k): dict(v) for k, v in (cursor.get("own") or {}).items()},
            "since": dict(cursor.get("since") or {}),
            "next_since": dict(cursor.get("next_since") or {}),
            "username": str(cursor.get("username") or self.username),
        }
        if not state["username"]:  # once per channel: the cursor carries it from then on
            me = self.client.call("GET", "2/users/me", bucket="me").get("data")
            state["username"] = str(me.get("username", "")) if isinstance(me, dict) else ""
        cutoff = self.clock() - SEARCH_WINDOW_SECONDS
        state["own"] = {k: v for k, v in state["own"].items() if float(v.get("t", 0)) >= cutoff}
        if state["phase"] == "posts":
            return self._timeline(state, cursor, "posts")
        if state["phase"] == "mentions":
            return self._timeline(state, cursor, "mentions")
        return self._replies(state, cursor)

    def _timeline(self, state: Json, cursor: Mapping[str, Any], phase: str) -> FetchPage:
        params: dict[str, Any] = {**LIST_PARAMS, "max_results": self.page_size}
        since = state["since"].get(phase)
        if since:
            params["since_id"] = since
        else:  # first sweep: look back as far as recent search can follow
            params["start_time"] = iso(self.clock() - SEARCH_WINDOW_SECONDS + 60)
        if phase == "posts":
            params["exclude"] = "retweets,replies"
        if cursor.get("token"):
            params["pagination_token"] = cursor["token"]
        path = f"2/users/{self.account_id}/{'tweets' if phase == 'posts' else 'mentions'}"
        self._within_budget()
        body = self.client.call("GET", path, bucket=phase, params=params)
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        assert isinstance(meta, dict)  # noqa: S101 - narrowed above, for mypy
        if not cursor.get("token"):  # the first page carries the newest id of the whole listing
            state["next_since"][phase] = newest(since, meta.get("newest_id")) or ""
        items, skipped = self._items(body, state)
        if phase == "posts":
            for item in items:
                created = item.created_at.timestamp() if item.created_at else self.clock()
                state["own"].setdefault(item.platform_id, {"t": created})
        token = meta.get("next_token")
        out = {k: state[k] for k in CARRY}
        if token:
            return FetchPage(items, {**out, "phase": phase, "token": token}, False, [], skipped)
        return FetchPage(
            items, {**out, "phase": "mentions" if phase == "posts" else "replies"}, False, [], skipped
        )

    def _replies(self, state: Json, cursor: Mapping[str, Any]) -> FetchPage:
        searched = [str(c) for c in cursor.get("searched", [])]
        pending = {k: v for k, v in state["own"].items() if k not in searched}
        # Replies that @mention us came with the mentions phase; search finds the rest.
        skip_mentions = f" -@{state['username']}" if state["username"] else ""
        batch = next(conversation_batches(pending, self.query_limit - len(skip_mentions) - 2), [])
        if not batch:
            carry = {
                "own": state["own"],
                "since": {**state["since"], **{k: v for k, v in state["next_since"].items() if v}},
                "username": state["username"],
            }
            return FetchPage([], carry, True)
        since = min((str(state["own"][c].get("since") or c) for c in batch), key=int)
        params: dict[str, Any] = {
            **LIST_PARAMS,
            "query": "(" + " OR ".join(CONVERSATION_TERM + c for c in batch) + ")" + skip_mentions,
            "max_results": max(10, self.page_size),
            "sort_order": "recency",
            "since_id": since,
        }
        if cursor.get("token"):
            params["next_token"] = cursor["token"]
        self._within_budget()
        body = self.client.call("GET", "2/tweets/search/recent", bucket="search", params=params)
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        assert isinstance(meta, dict)  # noqa: S101
        batch_newest = cursor.get("batch_newest") or meta.get("newest_id")
        items, skipped = self._items(body, state)
        items = [i for i in items if i.kind != KIND_POST]  # our own replies and roots are not queued
        token = meta.get("next_token")
        out = {**{k: state[k] for k in CARRY}, "phase": "replies"}
        if token:
            return FetchPage(
                items,
                {**out, "searched": searched, "token": token, "batch_newest": batch_newest},
                False,
                [],
                skipped,
            )
        for conv in batch:  # the whole batch was listed up to batch_newest
            if batch_newest:
                state["own"][conv]["since"] = newest(state["own"][conv].get("since"), batch_newest)
        return FetchPage(items, {**out, "searched": searched + batch}, False, [], skipped)

    def _items(self, body: Json, state: Json) -> tuple[list[RemoteItem], int]:
        users = users_by_id(body)
        items, skipped = [], 0
        for tweet in tweets(body):
            if not tweet.get("id"):
                skipped += 1
                continue
            items.append(tweet_item(tweet, users, account_id=self.account_id, own_conversations=state["own"]))
        return items, skipped

    def get_item(self, *, platform_id: str) -> RemoteItem:
        body = self.client.get_one(f"2/tweets/{platform_id}", bucket="lookup", params=LIST_PARAMS)
        [tweet] = tweets(body)[:1]
        return tweet_item(tweet, users_by_id(body), account_id=self.account_id)

    def get_mention(self, *, ref: Mapping[str, str]) -> RemoteItem:
        return self.get_item(platform_id=ref.get("id", ""))

    @classmethod
    def narrow_for_item(
        cls, allowed: frozenset[str], *, raw: Mapping[str, Any], account_id: str
    ) -> frozenset[str]:
        """No reply button where X would refuse the reply (not summoned by the post's author)."""
        if REPLY in allowed and not summoned(raw, account_id=account_id):
            return allowed - {REPLY}
        return allowed

    def can_reply(self, raw: Mapping[str, Any]) -> bool:
        """Whether X will accept our reply to this post (pure: uses the stored payload)."""
        return summoned(raw, account_id=self.account_id, username=self.username)

    # -- acting ------------------------------------------------------------------------
    def hide(self, *, platform_id: str) -> None:
        # X answers 200 when re-hiding a hidden reply, so retries stay idempotent.
        self.client.call("PUT", f"2/tweets/{platform_id}/hidden", bucket="hidden", body={"hidden": True})

    def unhide(self, *, platform_id: str) -> None:
        self.client.call("PUT", f"2/tweets/{platform_id}/hidden", bucket="hidden", body={"hidden": False})

    def delete(self, *, platform_id: str) -> None:
        raise ActionNotSupported(self.unsupported["delete"], code="unsupported")

    def reply(self, *, platform_id: str, text: str, kind: str = KIND_REPLY) -> str:
        try:
            body = self.client.call(
                "POST",
                "2/tweets",
                bucket="post",
                body={"text": text, "reply": {"in_reply_to_tweet_id": platform_id}},
            )
        except ChannelPermanentError as exc:
            raise ChannelPermanentError(
                f"{exc.message} X accepts API replies only to posts whose author mentioned, replied "
                "to or quoted this account; reply in the X app instead.",
                code=exc.code,
                payload=exc.payload,
            ) from exc
        data = body.get("data")
        if not isinstance(data, dict) or not data.get("id"):
            raise ChannelUnavailable(
                "X answered the reply without an id; check X before retrying.", payload=body
            )
        return str(data["id"])

    def mute(self, *, author_id: str) -> None:
        self.client.call(
            "POST", f"2/users/{self.account_id}/muting", bucket="muting", body={"target_user_id": author_id}
        )

    def unmute(self, *, author_id: str) -> None:
        self.client.call("DELETE", f"2/users/{self.account_id}/muting/{author_id}", bucket="muting")

    def block(self, *, author_id: str) -> None:
        """Mute: X's block endpoints are Enterprise only (docs/channels.md, "X (API v2)"); a mute is safe to repeat."""
        self.mute(author_id=author_id)

    def unblock(self, *, author_id: str) -> None:
        self.unmute(author_id=author_id)

    def subscribe_webhooks(self) -> bool:
        return False  # X webhooks (Account Activity / XAA) are paid per event and not built: we poll
