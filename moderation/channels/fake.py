"""In-memory channel for tests of the layers above, like Django's locmem mail backend.

State is shared per account id across instances (the registry builds a new
adapter per call), so a test can do::

    fake = FakeChannel.account("page-1")
    fake.add(RemoteItem(...))
    ... run the service ...
    assert fake.actions == [("hide", "c1")]

and `fake.raise_next(ChannelRateLimited("slow down", retry_after=60))` makes the
next call fail once.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, ClassVar

from moderation.channels.base import (
    ALL_CAPABILITIES,
    BLOCK,
    DELETE,
    HIDE,
    KIND_COMMENT,
    KIND_MENTION,
    KIND_POST,
    KIND_REPLY,
    REPLY,
    RESTRICTION_BLOCK,
    ActionNotSupported,
    ChannelError,
    ChannelNotFound,
    FetchPage,
    RemoteAuthor,
    RemoteItem,
)

_ids = itertools.count(1)


class _Account:
    def __init__(self) -> None:
        self.items: dict[str, RemoteItem] = {}
        self.deleted: set[str] = set()
        self.blocked: set[str] = set()
        self.actions: list[tuple[str, ...]] = []
        self.pending_errors: list[ChannelError] = []
        self.calls = 0


class FakeChannel:
    platform: ClassVar[str] = "fake"
    capabilities: ClassVar[frozenset[str]] = ALL_CAPABILITIES
    item_kinds: ClassVar[frozenset[str]] = frozenset({KIND_POST, KIND_COMMENT, KIND_REPLY, KIND_MENTION})
    capabilities_by_kind: ClassVar[Mapping[str, frozenset[str]]] = {}
    block_restriction: ClassVar[str] = RESTRICTION_BLOCK
    unsupported: ClassVar[Mapping[str, str]] = {}
    action_notes: ClassVar[Mapping[str, str]] = {}
    _accounts: ClassVar[dict[str, _Account]] = {}

    def __init__(
        self,
        *,
        base_url: str = "",
        token: str = "",
        account_id: str = "fake",
        page_size: int = 25,
        capabilities: frozenset[str] | None = None,
        **_options: Any,
    ) -> None:
        self.account_id = account_id
        self.page_size = page_size
        self.state = self._accounts.setdefault(account_id, _Account())
        self.usage: dict[str, Any] = {}
        self.api_calls = 0
        if capabilities is not None:
            self.capabilities = capabilities  # type: ignore[misc]  # per-instance override for tests

    # -- test helpers ------------------------------------------------------------
    @classmethod
    def account(cls, account_id: str = "fake", **options: Any) -> FakeChannel:
        return cls(account_id=account_id, **options)

    @classmethod
    def reset(cls) -> None:
        cls._accounts.clear()

    @property
    def actions(self) -> list[tuple[str, ...]]:
        return self.state.actions

    def add(self, item: RemoteItem) -> RemoteItem:
        self.state.items[item.platform_id] = item
        return item

    def add_comment(
        self, text: str, *, post_id: str = "post-1", author_id: str = "user-1", parent_id: str | None = None
    ) -> RemoteItem:
        if post_id not in self.state.items:
            self.add(RemoteItem(post_id, KIND_POST, "A post", None, None, raw={"id": post_id}))
        platform_id = f"{post_id}_{next(_ids)}"
        return self.add(
            RemoteItem(
                platform_id=platform_id,
                kind=KIND_REPLY if parent_id else KIND_COMMENT,
                text=text,
                created_at=None,
                author=RemoteAuthor(author_id, handle=author_id, display_name=author_id),
                parent_id=parent_id or post_id,
                thread_root_id=post_id,
                raw={"id": platform_id, "message": text},
            )
        )

    def edit(self, platform_id: str, text: str) -> None:
        self.state.items[platform_id] = replace(self.state.items[platform_id], text=text)

    def remove(self, platform_id: str) -> None:
        """Delete on the 'platform' (as if the author deleted it), without recording an action."""
        self.state.items.pop(platform_id, None)
        self.state.deleted.add(platform_id)

    def raise_next(self, error: ChannelError) -> None:
        self.state.pending_errors.append(error)

    def _call(self) -> None:
        self.api_calls += 1
        self.state.calls += 1
        if self.state.pending_errors:
            raise self.state.pending_errors.pop(0)

    def _require(self, capability: str) -> None:
        if capability not in self.capabilities:
            raise ActionNotSupported(f"The fake channel was built without '{capability}'.")

    # -- the protocol ------------------------------------------------------------------
    def fetch_page(self, *, cursor: Mapping[str, Any]) -> FetchPage:
        self._call()
        ordered = sorted(self.state.items.values(), key=lambda i: (i.kind != KIND_POST, i.platform_id))
        offset = int(cursor.get("offset", 0))
        chunk = ordered[offset : offset + self.page_size]
        end = offset + len(chunk)
        if end >= len(ordered):
            roots = sorted({i.platform_id for i in ordered if i.kind == KIND_POST})
            return FetchPage(list(chunk), {}, True, roots)
        return FetchPage(list(chunk), {"offset": end}, False)

    def get_item(self, *, platform_id: str) -> RemoteItem:
        self._call()
        if platform_id not in self.state.items:
            raise ChannelNotFound(f"Fake item {platform_id} does not exist.")
        return self.state.items[platform_id]

    def get_mention(self, *, ref: Mapping[str, str]) -> RemoteItem:
        platform_id = ref.get("comment_id") or ref.get("post_id") or ref.get("media_id") or ref.get("id", "")
        return self.get_item(platform_id=platform_id)

    def hide(self, *, platform_id: str) -> None:
        self._require(HIDE)
        self._call()
        item = self.get_item(platform_id=platform_id)
        self.state.items[platform_id] = replace(item, hidden=True)
        self.state.actions.append(("hide", platform_id))

    def unhide(self, *, platform_id: str) -> None:
        self._require(HIDE)
        self._call()
        item = self.get_item(platform_id=platform_id)
        self.state.items[platform_id] = replace(item, hidden=False)
        self.state.actions.append(("unhide", platform_id))

    def delete(self, *, platform_id: str) -> None:
        self._require(DELETE)
        self._call()
        self.state.items.pop(platform_id, None)  # already gone counts as done, as on the real platforms
        self.state.deleted.add(platform_id)
        self.state.actions.append(("delete", platform_id))

    def reply(self, *, platform_id: str, text: str, kind: str = KIND_COMMENT) -> str:
        self._require(REPLY)
        self._call()
        parent = self.get_item(platform_id=platform_id)
        root = parent.thread_root_id or parent.platform_id
        new_id = f"{root}_{next(_ids)}"
        self.state.items[new_id] = RemoteItem(
            new_id,
            KIND_REPLY,
            text,
            None,
            None,
            parent_id=platform_id,
            thread_root_id=root,
            raw={"id": new_id},
        )
        self.state.actions.append(("reply", platform_id, text))
        return new_id

    def subscribe_webhooks(self) -> bool:
        return False

    def block(self, *, author_id: str) -> None:
        self._require(BLOCK)
        self._call()
        self.state.blocked.add(author_id)
        self.state.actions.append(("block", author_id))

    def unblock(self, *, author_id: str) -> None:
        self._require(BLOCK)
        self._call()
        self.state.blocked.discard(author_id)
        self.state.actions.append(("unblock", author_id))
