"""The fake platforms' state: objects, users, tokens, codes, what was done to them.

Plain JSON-able dicts behind one lock, so `--state-file` can persist it and the
admin endpoint can read it back. Times are Unix seconds from `time.time()`
(time-machine moves them in tests).
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LONG_LIVED_SECONDS = 5183944  # ~60 days, as Meta's fb_exchange_token answer says
SHORT_LIVED_SECONDS = 5400  # 1.5 h, a short-lived user token
CODE_SECONDS = 600

Obj = dict[str, Any]


class World:
    def __init__(self, *, app_id: str, app_secret: str, rate_limit_per_hour: int = 4800) -> None:
        self.lock = threading.RLock()
        self.app_id = app_id
        self.app_secret = app_secret
        self.rate_limit_per_hour = rate_limit_per_hour
        self.fail_rate = 0.0
        self.state_file: Path | None = None
        self.data: Obj = self.empty()

    @staticmethod
    def empty() -> Obj:
        return {
            "seq": 1000,
            "objects": {},  # id -> object (posts, comments, media)
            "pages": {},  # page id -> {"id","name","ig_user_id","blocked":[]}
            "ig_users": {},  # ig user id -> {"id","username","page_id"}
            "users": {},  # user id -> {"id","name","pages":[...]}
            "tokens": {},  # token -> {"type","user_id","page_id","expires","revoked","subcode"}
            "codes": {},  # auth code -> {"user_id","redirect_uri","expires","used"}
            "log": [],  # every moderation action received: hide/unhide/delete/reply/block/unblock
            "calls": {},  # usage key -> [call times] within the last hour
            "usage_override": {},  # usage key -> {"percent", "regain_minutes"} set by the admin
            "failures": [],  # injected failures for the next Graph requests
            # Recorded-shape responses to send back as they are (tests/fixtures/meta/): each
            # {"platform","method","path","status","body"} answers the next matching request once.
            "replays": [],
            "replayed": [],  # {"path","query"} of each request a replay answered
            "webhooks_sent": 0,
        }

    # -- persistence -------------------------------------------------------------
    def load(self, path: Path) -> None:
        self.state_file = path
        if path.exists():
            self.data = json.loads(path.read_text())

    def save(self) -> None:
        if self.state_file is not None:
            tmp = self.state_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.data))
            tmp.replace(self.state_file)

    @contextmanager
    def changing(self) -> Iterator[Obj]:
        with self.lock:
            yield self.data
            self.save()

    # -- ids and objects -----------------------------------------------------------------
    def next_number(self) -> int:
        with self.lock:
            self.data["seq"] += 1
            return int(self.data["seq"])

    def obj(self, object_id: str) -> Obj | None:
        found = self.data["objects"].get(object_id)
        return found if found and not found.get("deleted") else None

    def children(self, object_id: str, *, direct_only: bool, kind: str) -> list[Obj]:
        """Live comments under a post/media (all, or top-level only) or under a comment."""
        out = []
        for o in self.data["objects"].values():
            if o["kind"] != kind or o.get("deleted"):
                continue
            if (o.get("root") == object_id and (not direct_only or not o.get("parent"))) or o.get(
                "parent"
            ) == object_id:
                out.append(o)
        return sorted(out, key=lambda o: (o["created"], o["id"]))

    def owner_page(self, obj: Obj) -> str:
        owner = str(obj.get("owner", ""))
        if owner in self.data["ig_users"]:
            return str(self.data["ig_users"][owner]["page_id"])
        return owner

    def record(self, action: str, **fields: Any) -> None:
        self.data["log"].append({"action": action, "at": time.time(), **fields})

    # -- tokens -------------------------------------------------------------------------
    def issue_token(self, *, kind: str, user_id: str, page_id: str = "", lifetime: int | None) -> str:
        prefix = {"user": "EAAU", "page": "EAAP"}[kind]
        token = prefix + secrets.token_urlsafe(24)
        with self.changing() as d:
            d["tokens"][token] = {
                "type": kind,
                "user_id": user_id,
                "page_id": page_id,
                "expires": time.time() + lifetime if lifetime else None,
                "revoked": False,
                "subcode": None,
            }
        return token

    def issue_code(self, *, user_id: str, redirect_uri: str) -> str:
        code = "AQ" + secrets.token_urlsafe(32)
        with self.changing() as d:
            d["codes"][code] = {
                "user_id": user_id,
                "redirect_uri": redirect_uri,
                "expires": time.time() + CODE_SECONDS,
                "used": False,
            }
        return code

    def revoke_user(self, user_id: str, *, subcode: int = 458) -> int:
        """The user removed the app (or we called DELETE /me/permissions): every token dies."""
        count = 0
        with self.changing() as d:
            for info in d["tokens"].values():
                if info["user_id"] == user_id and not info["revoked"]:
                    info["revoked"], info["subcode"] = True, subcode
                    count += 1
        return count

    def expire_tokens(self, *, token: str = "", page_id: str = "") -> int:
        count = 0
        with self.changing() as d:
            for value, info in d["tokens"].items():
                if (token and value != token) or (page_id and info["page_id"] != page_id):
                    continue
                info["expires"] = time.time() - 1
                count += 1
        return count

    # -- usage / rate limits ---------------------------------------------------------------
    def count_call(self, key: str) -> tuple[int, float]:
        """Record one call for `key`; return (calls in the last hour, seconds until the oldest ages out)."""
        now = time.time()
        with self.lock:
            calls = [t for t in self.data["calls"].get(key, []) if t > now - 3600]
            calls.append(now)
            self.data["calls"][key] = calls
            return len(calls), max(0.0, calls[0] + 3600 - now)
