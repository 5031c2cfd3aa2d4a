"""The fake platform server: one WSGI app, one path prefix per platform.

    /facebook/v26.0/...   Graph API for Pages, the Login dialog and token endpoints
    /instagram/v26.0/...  Graph API for Instagram professional accounts
    /_admin/...           JSON: inject comments, expire tokens, read back actions

New platforms (X, YouTube, LinkedIn) register another handler in `handlers`
with the same `(request, path) -> Response` signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import queue
import random
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests
from werkzeug.wrappers import Request, Response

from fakeplatforms.graph import MetaGraph, ok
from fakeplatforms.linkedin import FakeLinkedIn
from fakeplatforms.mentions import MENTION_KINDS, create_mention, webhook_value
from fakeplatforms.seed import (
    DEMO_IG_USER_ID,
    DEMO_PAGE_ID,
    CommentWriter,
    seed_accounts,
    seed_demo,
)
from fakeplatforms.seed_networks import seed_accounts as seed_network_accounts
from fakeplatforms.seed_networks import seed_networks, trickle_network
from fakeplatforms.world import Obj, World
from fakeplatforms.x import FakeX
from fakeplatforms.youtube import FakeYouTube

log = logging.getLogger(__name__)

DEFAULT_APP_ID = "1000000000000001"
DEFAULT_APP_SECRET = "fake-app-secret"  # noqa: S105 - the fake server's own demo secret, not a real one
NETWORKS = ("x", "youtube", "linkedin")  # polled, so the trickle adds to them without a webhook


def attached_photo(body: Obj, *, host_url: str) -> str:
    """The photo of an injected comment, given as Facebook sends one: `photo` (a feed webhook's
    URL) or `attachment` (a Graph read's `{"type": "photo", "media": {"image": {"src"}}}`).
    A path such as /_media/damp.png is served by this server (any name: a placeholder PNG)."""
    attachment = body.get("attachment")
    photo = body.get("photo", "")
    if isinstance(attachment, dict):
        if attachment.get("type", "photo") != "photo":
            raise ValueError(f"Only photo attachments can be injected, not {attachment.get('type')!r}.")
        photo = ((attachment.get("media") or {}).get("image") or {}).get("src", "")
    if not isinstance(photo, str) or (photo and not photo.startswith(("/", "http://", "https://"))):
        raise ValueError("A photo is a URL or a /_media/<name>.png path on this server.")
    return host_url.rstrip("/") + photo if photo.startswith("/") else photo


def _placeholder_png(width: int = 320, height: int = 240) -> bytes:
    """A plain grey PNG: the picture behind demo photos, nothing upsetting. PNG rather than SVG,
    because the app fetches only raster images (an SVG can carry script; moderation/media.py)."""
    row = b"\x00" + bytes((217, 212, 204)) * width
    raw = zlib.compress(row * height, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


PLACEHOLDER_PNG = _placeholder_png()


class WebhookSender:
    """Posts Meta-style signed webhook events from a background thread.

    The URL may contain `{platform}` (e.g. http://127.0.0.1:8000/webhooks/{platform}/),
    filled with facebook or instagram per event, as each has its own callback URL.
    """

    def __init__(self, url: str, secret: str) -> None:
        self.url = url
        self.secret = secret
        self.queue: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
        self.sent = 0
        self.failed = 0
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()

    def start(self) -> None:
        if self.url and self.thread is None:
            self.thread = threading.Thread(target=self._run, name="fake-webhooks", daemon=True)
            self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.queue.put(None)

    def send(self, payload: Obj) -> None:
        if self.url:
            platform = "instagram" if payload.get("object") == "instagram" else "facebook"
            self.queue.put((platform, json.dumps(payload, separators=(",", ":")).encode()))

    def headers(self, body: bytes) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": "sha256="
            + hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest(),
            "X-Hub-Signature": "sha1=" + hmac.new(self.secret.encode(), body, hashlib.sha1).hexdigest(),
        }

    def _run(self) -> None:
        while not self.stopping.is_set():
            queued = self.queue.get()
            if queued is None:
                return
            platform, body = queued
            url = self.url.replace("{platform}", platform)
            for attempt in range(3):  # Meta retries for 36 hours; three tries is enough for a demo
                try:
                    response = requests.post(url, data=body, headers=self.headers(body), timeout=(2, 10))
                except requests.RequestException as exc:
                    log.warning("webhook to %s failed: %s", self.url, exc.__class__.__name__)
                else:
                    if response.status_code < 300:
                        self.sent += 1
                        break
                    log.warning("webhook to %s answered %s", self.url, response.status_code)
                self.stopping.wait(2**attempt)
            else:
                self.failed += 1


class FakePlatforms:
    def __init__(
        self,
        *,
        app_id: str = DEFAULT_APP_ID,
        app_secret: str = DEFAULT_APP_SECRET,
        rate_limit_per_hour: int = 4800,
        fail_rate: float = 0.0,
        webhook_url: str = "",
        seed: int = 2026,
        state_file: Path | None = None,
    ) -> None:
        self.world = World(app_id=app_id, app_secret=app_secret, rate_limit_per_hour=rate_limit_per_hour)
        self.world.fail_rate = fail_rate
        self.seed_number = seed
        self.rng = random.Random(seed)
        self.webhooks = WebhookSender(webhook_url, app_secret)
        self.x, self.youtube, self.linkedin = (
            FakeX(self.world),
            FakeYouTube(self.world),
            FakeLinkedIn(self.world),
        )
        self.handlers: dict[str, Callable[[Request, str], Response]] = {
            "facebook": MetaGraph(self.world, "facebook", rng=self.rng, notify=self.notify),
            "instagram": MetaGraph(self.world, "instagram", rng=self.rng, notify=self.notify),
            "x": self.x,
            "youtube": self.youtube,
            "linkedin": self.linkedin,
        }
        self.writer = CommentWriter(random.Random(seed + 1))
        # "METHOD /path?query" of recent platform calls, so tests can check that no secret,
        # code or token ever travels in a URL (GET /_admin/requests).
        self.requests_seen: deque[str] = deque(maxlen=5000)
        self._trickle_stop = threading.Event()
        if state_file is not None:
            self.world.load(state_file)

    # -- data --------------------------------------------------------------------------------
    def seed(self, mode: str = "demo", *, now: float | None = None) -> dict[str, int]:
        with self.world.changing() as d:
            d.clear()
            d.update(World.empty())
        if mode == "empty":
            seed_accounts(self.world)
            seed_network_accounts(self.x, self.youtube, self.linkedin)
            return {"posts": 0, "media": 0, "comments": 0}
        counts = seed_demo(
            self.world,
            seed=self.seed_number,
            now=now,
            add_comment=self._add_quietly,
            add_mention=self._mention_quietly,
        )
        return counts | seed_networks(self.x, self.youtube, self.linkedin, seed=self.seed_number, now=now)

    def _mention_quietly(
        self, *, platform: str, text: str, sender: Obj, on: str = "media", created: float | None = None
    ) -> Obj:
        account = DEMO_PAGE_ID if platform == "facebook" else DEMO_IG_USER_ID
        return create_mention(
            self.world,
            platform=platform,
            account_id=account,
            text=text,
            sender=sender,
            on=on,
            created=created,
        )

    def add_mention(
        self,
        *,
        platform: str,
        text: str = "",
        sender: Obj | None = None,
        on: str = "media",
        account_id: str = "",
    ) -> Obj:
        """Inject a mention of the account (a tagged post, an @mention); sends the webhook."""
        if platform not in ("facebook", "instagram"):
            raise LookupError(f"No mentions on {platform!r}; use facebook or instagram.")
        account = account_id or (DEMO_PAGE_ID if platform == "facebook" else DEMO_IG_USER_ID)
        known = self.world.data["pages"] if platform == "facebook" else self.world.data["ig_users"]
        if account not in known:
            raise LookupError(f"No {platform} account {account} to mention; seed the server first.")
        obj = create_mention(
            self.world,
            platform=platform,
            account_id=account,
            text=text or self.writer.mention(platform),
            sender=sender or self.writer.person(platform),
            on=on,
        )
        self.notify(platform, obj, "add")
        return obj

    def _add_quietly(
        self,
        *,
        platform: str,
        root: Obj,
        parent: Obj | None,
        text: str,
        sender: Obj,
        created: float | None = None,
    ) -> Obj:
        graph = self.handlers[platform]
        assert isinstance(graph, MetaGraph)  # noqa: S101 - both Meta prefixes are MetaGraph
        return graph.create_comment(root=root, parent=parent, text=text, sender=sender, created=created)

    def add_comment(
        self,
        *,
        platform: str,
        root_id: str = "",
        parent_id: str = "",
        text: str = "",
        sender: Obj | None = None,
        photo: str = "",
    ) -> Obj:
        """Inject a comment as if a member of the public wrote it; sends the webhook.

        `photo` (Facebook only: an absolute image URL) is the picture attached to the comment:
        read back as its `attachment`, and carried as `photo` in the feed webhook."""
        if photo and platform != "facebook":
            raise ValueError("Only Facebook comments carry a photo here; Instagram comments are text.")
        kind = "fb_post" if platform == "facebook" else "ig_media"
        if root_id:
            root = self.world.obj(root_id)
        else:
            roots = [
                o for o in self.world.data["objects"].values() if o["kind"] == kind and not o.get("deleted")
            ]
            root = max(roots, key=lambda o: o["created"]) if roots else None
        if root is None:
            raise LookupError(f"No {kind} {root_id or '(any)'} to comment on; seed the server first.")
        parent = self.world.obj(parent_id) if parent_id else None
        if not text:
            _, text = self.writer.comment()
        obj = self._add_quietly(
            platform=platform,
            root=root,
            parent=parent,
            text=text,
            sender=sender or self.writer.person(platform),
        )
        if photo:
            with self.world.changing():
                obj["photo"] = photo
        self.notify(platform, obj, "add")
        return obj

    def add_network_comment(self, platform: str) -> Obj:
        """A new public comment on X, YouTube or LinkedIn (polled platforms: no webhook)."""
        return trickle_network(platform, self.x, self.youtube, self.linkedin, self.writer)

    def notify(self, platform: str, obj: Obj, verb: str) -> None:
        now = int(time.time())
        if obj["kind"] in MENTION_KINDS:
            change = webhook_value(obj, verb)
            if change is not None:
                field, mention = change
                self.webhooks.send(
                    {
                        "object": "page" if platform == "facebook" else "instagram",
                        "entry": [
                            {"id": obj["owner"], "time": now, "changes": [{"field": field, "value": mention}]}
                        ],
                    }
                )
            return
        if platform == "facebook":
            value: Obj = {
                "item": "comment",
                "verb": verb,
                "comment_id": obj["id"],
                "post_id": obj["root"],
                "parent_id": obj.get("parent") or obj["root"],
                "from": obj["from"],
                "created_time": int(obj["created"]),
            }
            if verb != "remove":
                value["message"] = obj["text"]
                if obj.get("photo", "").startswith("http"):  # seeded ones are paths: no webhook
                    value["photo"] = obj["photo"]
            payload = {
                "object": "page",
                "entry": [
                    {
                        "id": self.world.owner_page(obj),
                        "time": now,
                        "changes": [{"field": "feed", "value": value}],
                    }
                ],
            }
        else:
            if verb != "add":
                return  # Instagram only notifies new comments
            value = {
                "id": obj["id"],
                "text": obj["text"],
                "from": obj["from"],
                "media": {"id": obj["root"], "media_product_type": "FEED"},
            }
            if obj.get("parent"):
                value["parent_id"] = obj["parent"]
            payload = {
                "object": "instagram",
                "entry": [
                    {"id": obj["owner"], "time": now, "changes": [{"field": "comments", "value": value}]}
                ],
            }
        self.webhooks.send(payload)

    # -- trickle -----------------------------------------------------------------------------
    def start_trickle(self, seconds: float) -> threading.Thread:
        def run() -> None:
            # Every network fills after `make run`; Facebook, the busiest page, twice as often.
            platforms = ["facebook", "facebook", "instagram", "x", "youtube", "linkedin"]
            while not self._trickle_stop.wait(seconds):
                platform = self.writer.rng.choice(platforms)
                mention = self.writer.rng.random() < 0.1  # now and then someone tags the account
                try:
                    if platform in NETWORKS:
                        mention = False
                        obj = self.add_network_comment(platform)
                    elif mention:
                        on = self.writer.rng.choice(["media", "comment"])
                        obj = self.add_mention(platform=platform, on=on)
                    else:
                        obj = self.add_comment(platform=platform)
                except LookupError:
                    continue
                log.info("trickle: new %s %s %s", platform, "mention" if mention else "comment", obj["id"])

        thread = threading.Thread(target=run, name="fake-trickle", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._trickle_stop.set()
        self.webhooks.stop()
        for handler in self.handlers.values():
            if isinstance(handler, MetaGraph):
                handler.stopping.set()

    # -- WSGI ---------------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        prefix, _, rest = request.path.lstrip("/").partition("/")
        if prefix == "_admin":
            response = self.admin(request, rest)
        elif prefix == "_media":
            response = Response(PLACEHOLDER_PNG, mimetype="image/png")
        elif prefix in self.handlers:
            self.requests_seen.append(f"{request.method} {request.full_path}")
            response = self.handlers[prefix](request, rest)
        else:
            response = ok({"error": {"message": f"No fake platform at /{prefix}", "code": 404}}, status=404)
        return response(environ, start_response)

    # -- admin ----------------------------------------------------------------------------------
    def admin(self, request: Request, path: str) -> Response:
        parts = [p for p in path.split("/") if p]
        body: Obj = request.get_json(silent=True) or {}
        world, data = self.world, self.world.data
        if parts and parts[0] in ("x", "youtube", "linkedin"):
            network = {"x": self.x, "youtube": self.youtube, "linkedin": self.linkedin}[parts[0]]
            return network.admin(request, parts[1:])
        if request.method == "GET" and not parts:
            return ok(
                {
                    "endpoints": [
                        "GET state",
                        "GET actions",
                        "GET objects?platform=",
                        "GET tokens",
                        "GET requests",
                        "POST comments",
                        "POST comments/<id>/edit",
                        "POST mentions",
                        "POST comments/<id>/delete",
                        "POST tokens/expire",
                        "POST tokens/revoke",
                        "POST failures",
                        "POST replays",
                        "POST webhooks",
                        "POST usage",
                        "POST reset",
                        "x|youtube|linkedin: GET objects, GET state, POST failures, POST tokens/expire, "
                        "POST tokens/revoke, POST token; x: POST posts, posts/<id>/edit|delete, cap; "
                        "youtube: POST videos, comments, comments/<id>/edit|delete, quota; "
                        "linkedin: POST posts, comments, comments/<id>/edit|delete, settings",
                    ]
                }
            )
        if request.method == "GET" and parts == ["state"]:
            kinds: dict[str, int] = {}
            for o in data["objects"].values():
                if not o.get("deleted"):
                    kinds[o["kind"]] = kinds.get(o["kind"], 0) + 1
            return ok(
                {
                    "app_id": world.app_id,
                    "pages": data["pages"],
                    "ig_users": data["ig_users"],
                    "users": data["users"],
                    "live_objects": kinds,
                    "webhooks": {
                        "url": self.webhooks.url,
                        "sent": self.webhooks.sent,
                        "failed": self.webhooks.failed,
                    },
                }
            )
        if request.method == "GET" and parts == ["actions"]:
            objects = data["objects"].values()
            return ok(
                {
                    "hidden": sorted(o["id"] for o in objects if o.get("hidden") and not o.get("deleted")),
                    "deleted": sorted(o["id"] for o in objects if o.get("deleted_by") == "page"),
                    "replies": [e for e in data["log"] if e["action"] == "reply"],
                    "blocked": {p["id"]: p["blocked"] for p in data["pages"].values()},
                    "log": data["log"],
                }
            )
        if request.method == "GET" and parts == ["objects"]:
            platform = request.args.get("platform", "")
            wanted = {
                "facebook": ("fb_post", "fb_comment", "fb_tagged_post"),
                "instagram": (
                    "ig_media",
                    "ig_comment",
                    "ig_mention_media",
                    "ig_mention_comment",
                    "ig_tagged_media",
                ),
            }.get(platform)
            rows = [o for o in data["objects"].values() if wanted is None or o["kind"] in wanted]
            return ok({"data": sorted(rows, key=lambda o: (o["created"], o["id"]))})
        if request.method == "GET" and parts == ["requests"]:
            return ok({"data": list(self.requests_seen)})
        if request.method == "GET" and parts == ["tokens"]:
            return ok({"data": [{"token": t, **info} for t, info in data["tokens"].items()]})
        if request.method != "POST":
            return ok({"error": "unknown admin endpoint"}, status=404)
        if parts == ["comments"]:
            try:
                obj = self.add_comment(
                    platform=body.get("platform", "facebook"),
                    root_id=body.get("root_id", ""),
                    parent_id=body.get("parent_id", ""),
                    text=body.get("text", ""),
                    sender=body.get("from"),
                    photo=attached_photo(body, host_url=request.host_url),
                )
            except LookupError as exc:
                return ok({"error": str(exc)}, status=404)
            except ValueError as exc:
                return ok({"error": str(exc)}, status=400)
            return ok(obj, status=201)
        if parts == ["mentions"]:
            try:
                obj = self.add_mention(
                    platform=body.get("platform", "facebook"),
                    text=body.get("text", ""),
                    sender=body.get("from"),
                    on=body.get("on", "media"),
                    account_id=body.get("account_id", ""),
                )
            except LookupError as exc:
                return ok({"error": str(exc)}, status=404)
            return ok(obj, status=201)
        if len(parts) == 3 and parts[0] == "comments" and parts[2] in ("edit", "delete"):
            target = world.obj(parts[1])
            if target is None:
                return ok({"error": f"no live object {parts[1]}"}, status=404)
            platform = "facebook" if target["kind"].startswith("fb") else "instagram"
            with world.changing():
                if parts[2] == "edit":
                    target["text"] = body.get("text", target["text"] + " (edited)")
                else:
                    target["deleted"], target["deleted_by"] = True, "author"
            self.notify(platform, target, "edited" if parts[2] == "edit" else "remove")
            return ok(target)
        if parts == ["tokens", "expire"]:
            return ok(
                {"expired": world.expire_tokens(token=body.get("token", ""), page_id=body.get("page_id", ""))}
            )
        if parts == ["tokens", "revoke"]:
            user_id = body.get("user_id") or next(iter(data["users"]), "")
            return ok({"revoked": world.revoke_user(user_id, subcode=int(body.get("subcode", 458)))})
        if parts == ["failures"]:
            with world.changing() as d:
                d["failures"].extend(body.get("failures", []))
            return ok({"queued": len(data["failures"])})
        if parts == ["replays"]:  # recorded-shape responses (tests/fixtures/meta/), each used once
            with world.changing() as d:
                d.setdefault("replays", []).extend(body.get("replays", []))
            return ok({"queued": len(data["replays"]), "replayed": data.get("replayed", [])})
        if parts == ["webhooks"]:  # send a recorded-shape webhook payload, signed like the others
            self.webhooks.send(body.get("payload", {}))
            return ok({"queued": True})
        if parts == ["usage"]:
            with world.changing() as d:
                if body.get("clear"):
                    d["usage_override"].clear()
                    d["calls"].clear()
                else:
                    d["usage_override"][str(body.get("id", DEMO_PAGE_ID))] = {
                        "percent": int(body.get("percent", 95)),
                        "regain_minutes": int(body.get("regain_minutes", 0)),
                    }
            return ok({"usage_override": data["usage_override"]})
        if parts == ["reset"]:
            return ok(self.seed(body.get("seed", "demo")))
        return ok({"error": "unknown admin endpoint"}, status=404)


__all__ = ["DEFAULT_APP_ID", "DEFAULT_APP_SECRET", "DEMO_IG_USER_ID", "DEMO_PAGE_ID", "FakePlatforms"]
