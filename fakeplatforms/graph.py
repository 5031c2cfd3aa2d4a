"""Meta Graph API imitation for Facebook Pages and Instagram professional accounts.

Wire formats follow docs/channels.md ("Polling", "Webhooks", "Assumptions"): `fields=` selection,
cursor paging, the real error bodies (190 with WWW-Authenticate, 80001/80002
with the BUC usage header, 100/33 for missing objects), and the OAuth dialog
and token endpoints.
"""

from __future__ import annotations

import base64
import html
import json
import random
import re
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from fakeplatforms.mentions import (
    FB_TAGGED,
    IG_TAGGED,
    MENTION_KINDS,
    find_mention,
    mentioned_request,
    render_mention,
)
from fakeplatforms.world import LONG_LIVED_SECONDS, SHORT_LIVED_SECONDS, Obj, World

VERSION_RE = re.compile(r"^v\d+\.0$")
PERMALINK = {"facebook": "https://www.facebook.com/", "instagram": "https://www.instagram.com/p/"}
DEFAULT_FIELDS = {
    "fb_post": "id,message,created_time",
    "fb_comment": "id,message,created_time,from",
    "fb_tagged_post": "id,message,created_time",
    IG_TAGGED: "id",
    "ig_media": "id",
    "ig_comment": "id,text,timestamp",
    "page": "id,name",
    "ig_user": "id,username",
}
# What a Page token may read or act on by id. Instagram mentions are reachable only through
# the mentioned_* expansions, so they are not listed here.
OBJECT_KINDS = {
    "facebook": ("fb_post", "fb_comment", FB_TAGGED),
    "instagram": ("ig_media", "ig_comment"),
}


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(ts))


def trace() -> str:
    return "A" + secrets.token_urlsafe(8)


def graph_error(
    status: int,
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    kind: str = "OAuthException",
    **extra: Any,
) -> Response:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    error["fbtrace_id"] = trace()
    response = Response(json.dumps({"error": error}), status=status, mimetype="application/json")
    if code == 190:
        response.headers["WWW-Authenticate"] = f'OAuth "Facebook Platform" "invalid_token" "{message}"'
    return response


def ok(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json")


def parse_fields(spec: str) -> list[tuple[str, Any]]:
    """'id,from{id,name},replies{id}' -> [('id', None), ('from', [...]), ('replies', [...])]."""
    out: list[tuple[str, Any]] = []
    pos = 0

    def parse(level_end: str) -> list[tuple[str, Any]]:
        nonlocal pos
        fields: list[tuple[str, Any]] = []
        name = ""
        while pos < len(spec):
            ch = spec[pos]
            pos += 1
            if ch == "{":
                sub = parse("}")
                fields.append((name.split(".")[0].strip(), sub))
                name = ""
            elif ch == ",":
                if name.strip():
                    fields.append((name.split(".")[0].strip(), None))
                name = ""
            elif ch == level_end:
                break
            elif ch == "(":
                depth = 1
                while pos < len(spec) and depth:  # skip modifiers like .limit(5)
                    depth += {"(": 1, ")": -1}.get(spec[pos], 0)
                    pos += 1
            else:
                name += ch
        if name.strip():
            fields.append((name.split(".")[0].strip(), None))
        return fields

    out = parse("")
    return out


def _page_token_for(info: Obj, page_id: str) -> bool:
    """Is the caller's token a Page token for this Page? Graph's Page edges insist on one."""
    return bool(info["type"] == "page" and info["page_id"] == page_id)


def _page_token_required() -> Response:
    return graph_error(400, 210, "(#210) A page access token is required to request this resource.")


class MetaGraph:
    """One handler for a platform prefix (`facebook` or `instagram`) over the shared World."""

    def __init__(
        self,
        world: World,
        platform: str,
        *,
        rng: random.Random,
        notify: Callable[[str, Obj, str], None] | None = None,
    ) -> None:
        self.world = world
        self.platform = platform
        self.rng = rng
        self.notify = notify or (lambda platform, obj, verb: None)
        self.host_url = ""  # set per request; every request reaches the same server
        self.stopping = threading.Event()  # ends held ("slow") answers when the server stops

    # -- dispatch --------------------------------------------------------------------
    def __call__(self, request: Request, path: str) -> Response:
        self.host_url = request.host_url.rstrip("/")  # to make /_media/ photo paths absolute
        parts = [p for p in path.split("/") if p]
        if parts and VERSION_RE.match(parts[0]):
            parts = parts[1:]
        if parts == ["oauth", "access_token"]:
            return self.access_token(request)
        if parts == ["dialog", "oauth"]:
            return self.dialog(request)
        failure = self._injected_failure(request, "/".join(parts))
        if failure is not None and failure.get("kind") in ("500", "503", "malformed", "rate_limit"):
            return self._failure_response(failure)
        token, info, error = self._auth(request)
        if error is not None or info is None:
            return error or graph_error(400, 190, "Invalid OAuth access token")
        limited = self._count_and_limit(info)
        if isinstance(limited, Response):
            return limited
        replay = self._replay(request, parts)
        response = replay if replay is not None else self._route(request, parts, token, info)
        if failure is not None and response.status_code == 200:
            response = self._mangle(response, failure)
        response.headers.update(limited)
        response.headers["facebook-api-version"] = "v26.0"
        response.headers["x-fb-trace-id"] = trace()
        if failure is not None and failure.get("kind") == "slow":
            # The platform did the work; only its answer is late (past a client's read timeout,
            # a hide or reply that succeeded looks failed to the caller).
            self.stopping.wait(float(failure.get("seconds", 3)))
        return response

    def _route(self, request: Request, parts: list[str], token: str, info: Obj) -> Response:
        method = request.method
        params = request.values
        if not parts:
            return graph_error(400, 100, "Unsupported get request.")
        if parts[0] == "me":
            return self.me(request, parts[1:], info)
        object_id = parts[0]
        if len(parts) == 1:
            if method == "GET":
                return self.get_object(object_id, params, info)
            if method == "POST":
                return self.update_object(object_id, params, info)
            if method == "DELETE":
                return self.delete_object(object_id, info)
        if len(parts) == 2:
            return self.edge(request, object_id, parts[1], info)
        return graph_error(400, 100, f"Unknown path components: /{'/'.join(parts[1:])}", subcode=2500)

    def _replay(self, request: Request, parts: list[str]) -> Response | None:
        """Answer with the first queued recorded-shape response for this method and path, once."""
        path = "/".join(parts)
        with self.world.lock:
            replays = self.world.data.setdefault("replays", [])
            for i, replay in enumerate(replays):
                if (
                    replay.get("platform", self.platform) == self.platform
                    and replay.get("method", "GET") == request.method
                    and replay["path"] == path
                ):
                    del replays[i]
                    self.world.data.setdefault("replayed", []).append(
                        {"path": path, "query": request.args.to_dict()}
                    )
                    return ok(replay["body"], int(replay.get("status", 200)))
        return None

    # -- failures, tokens and usage ---------------------------------------------------
    def _injected_failure(self, request: Request, path: str) -> Obj | None:
        """The first queued failure meant for this request (one may name a `method` and a `path`
        prefix, e.g. only the hide's POST), used once; else a random one at the fail rate."""
        with self.world.lock:
            queue = self.world.data["failures"]
            for i, failure in enumerate(queue):
                if failure.get("method", request.method) == request.method and path.startswith(
                    failure.get("path", "")
                ):
                    return dict(queue.pop(i))
        if self.world.fail_rate and self.rng.random() < self.world.fail_rate:
            return {"kind": self.rng.choice(["500", "503"])}
        return None

    def _failure_response(self, failure: Obj) -> Response:
        kind = failure["kind"]
        if kind == "500":
            return graph_error(
                500,
                1,
                "An unknown error occurred",
                kind="OAuthException",
                is_transient=True,
                error_subcode=99,
            )
        if kind == "503":
            return Response("Service Unavailable", status=503, mimetype="text/html")
        if kind == "malformed":
            return Response('{"data":[{"id":"1029', status=200, mimetype="application/json")
        code, usage_type = (80001, "pages") if self.platform == "facebook" else (80002, "instagram")
        key = str(failure.get("id", "0"))
        response = graph_error(
            400,
            code,
            f"({'#'}{code}) There have been too many calls to this "
            f"{'Page' if code == 80001 else 'Instagram'} account. Wait a bit and try again.",
        )
        response.headers["X-Business-Use-Case-Usage"] = json.dumps(
            {
                key: [
                    {
                        "type": usage_type,
                        "call_count": 100,
                        "total_cputime": 40,
                        "total_time": 40,
                        "estimated_time_to_regain_access": int(failure.get("regain_minutes", 5)),
                    }
                ]
            }
        )
        return response

    def _mangle(self, response: Response, failure: Obj) -> Response:
        body = json.loads(response.get_data())
        rows = body.get("data") if isinstance(body.get("data"), list) else [body]
        for row in rows:
            if failure["kind"] == "drop_field":
                row.pop(failure.get("field", "from"), None)
            elif failure["kind"] == "extra_field":
                row[failure.get("field", "sentiment_v2")] = failure.get("value", {"score": 0.4})
        response.set_data(json.dumps(body))
        return response

    def _auth(self, request: Request) -> tuple[str, Obj | None, Response | None]:
        token = request.values.get("access_token", "")
        header = request.headers.get("Authorization", "")
        if not token and header.lower().startswith("bearer "):
            token = header[7:].strip()
        if not token:
            return "", None, graph_error(400, 104, "An access token is required to request this resource.")
        info = self.world.data["tokens"].get(token)
        if info is None:
            return (
                token,
                None,
                graph_error(400, 190, "Invalid OAuth access token - Cannot parse access token"),
            )
        if info["revoked"]:
            subcode = info.get("subcode") or 458
            reason = {
                458: "The user has not authorized application " + self.world.app_id + ".",
                460: "The session has been invalidated because the user changed their password.",
            }.get(subcode, "The session is invalid.")
            return (
                token,
                None,
                graph_error(400, 190, "Error validating access token: " + reason, subcode=subcode),
            )
        if info["expires"] is not None and info["expires"] < time.time():
            when = time.strftime("%A, %d-%b-%y %H:%M:%S PST", time.gmtime(info["expires"]))
            return (
                token,
                None,
                graph_error(
                    400, 190, f"Error validating access token: Session has expired on {when}.", subcode=463
                ),
            )
        return token, info, None

    def _usage_key(self, info: Obj) -> str:
        if info["type"] != "page":
            return "app"
        if self.platform == "instagram":
            return str(self.world.data["pages"].get(info["page_id"], {}).get("ig_user_id") or info["page_id"])
        return str(info["page_id"])

    def _count_and_limit(self, info: Obj) -> dict[str, str] | Response:
        key = self._usage_key(info)
        calls, regain = self.world.count_call(f"{self.platform}:{key}")
        limit = max(1, self.world.rate_limit_per_hour)
        percent = min(100, round(100 * calls / limit))
        regain_minutes = 0
        override = self.world.data["usage_override"].get(key)
        if override:
            percent = int(override.get("percent", percent))
            regain_minutes = int(override.get("regain_minutes", 0))
        throttled = calls > limit or percent >= 100
        if throttled and not regain_minutes:
            regain_minutes = max(1, round(regain / 60))
        usage_type = "pages" if self.platform == "facebook" else "instagram"
        if key == "app":
            headers = {
                "X-App-Usage": json.dumps(
                    {"call_count": percent, "total_time": percent // 2, "total_cputime": percent // 2}
                )
            }
        else:
            bucket = {
                "type": usage_type,
                "call_count": percent,
                "total_cputime": percent // 2,
                "total_time": percent // 2,
                "estimated_time_to_regain_access": regain_minutes if (throttled or override) else 0,
            }
            headers = {"X-Business-Use-Case-Usage": json.dumps({key: [bucket]})}
        if throttled:
            response = self._failure_response(
                {"kind": "rate_limit", "id": key, "regain_minutes": regain_minutes}
            )
            if key == "app":
                response = graph_error(400, 4, "(#4) Application request limit reached")
            response.headers.update(headers)
            return response
        return headers

    # -- rendering ------------------------------------------------------------------
    def render(self, obj: Obj) -> Obj:
        kind = obj["kind"]
        if kind in MENTION_KINDS:
            rendered = render_mention(self.world, obj)
            if kind == IG_TAGGED:
                rendered["media_url"] = self.host_url + rendered["media_url"]
            return rendered
        pages = self.world.data["pages"]
        if kind == "fb_post":
            page = pages.get(obj["owner"], {})
            return {
                "id": obj["id"],
                "message": obj["text"],
                "created_time": iso(obj["created"]),
                "updated_time": iso(obj.get("updated") or obj["created"]),
                "permalink_url": PERMALINK["facebook"] + obj["id"].replace("_", "/posts/"),
                "from": {"id": obj["owner"], "name": page.get("name", "")},
                "comments": self.world.children(obj["id"], direct_only=True, kind="fb_comment"),
            }
        if kind == "fb_comment":
            full: Obj = {
                "id": obj["id"],
                "message": obj["text"],
                "from": dict(obj["from"]),
                "created_time": iso(obj["created"]),
                "is_hidden": obj.get("hidden", False),
                "can_hide": obj["from"].get("id") != obj["owner"],
                "can_remove": True,
                "comment_count": len(self.world.children(obj["id"], direct_only=False, kind="fb_comment")),
                "like_count": obj.get("likes", 0),
                "permalink_url": PERMALINK["facebook"]
                + obj["root"].replace("_", "/posts/")
                + "?comment_id="
                + obj["id"],
                "comments": self.world.children(obj["id"], direct_only=False, kind="fb_comment"),
            }
            if obj.get("parent"):
                full["parent"] = {"id": obj["parent"]}
            if obj.get("photo"):  # a seeded path on this server, or an injected absolute URL
                src = obj["photo"] if obj["photo"].startswith("http") else self.host_url + obj["photo"]
                full["attachment"] = {
                    "type": "photo",
                    "url": full["permalink_url"],
                    "media": {"image": {"height": 480, "width": 640, "src": src}},
                }
            return full
        if kind == "ig_media":
            return {
                "id": obj["id"],
                "caption": obj["text"],
                "media_type": obj.get("media_type", "IMAGE"),
                "media_product_type": "FEED",
                "permalink": PERMALINK["instagram"] + str(obj.get("shortcode") or obj["id"]) + "/",
                "timestamp": iso(obj["created"]),
                "comments_count": len(self.world.children(obj["id"], direct_only=False, kind="ig_comment")),
                "like_count": obj.get("likes", 0),
                "username": self.world.data["ig_users"].get(obj["owner"], {}).get("username", ""),
                "comments": self.world.children(obj["id"], direct_only=True, kind="ig_comment"),
            }
        if kind == "ig_comment":
            full = {
                "id": obj["id"],
                "text": obj["text"],
                "timestamp": iso(obj["created"]),
                "username": obj["from"].get("username", ""),
                "from": dict(obj["from"]),
                "hidden": obj.get("hidden", False),
                "like_count": obj.get("likes", 0),
                "media": {"id": obj["root"], "media_product_type": "FEED"},
                "replies": self.world.children(obj["id"], direct_only=False, kind="ig_comment"),
            }
            if obj.get("parent"):
                full["parent_id"] = obj["parent"]
            return full
        raise KeyError(kind)

    def select(self, full: Obj, fields: list[tuple[str, Any]]) -> Obj:
        out: Obj = {}
        for name, sub in fields:
            if name not in full:
                continue  # Graph rejects unknown fields per node type; we leave them out instead
            value = full[name]
            if isinstance(value, list):  # an edge: the first page, with paging like the edge endpoint
                rows = [self.select(self.render(o), sub or parse_fields("id")) for o in value[:25]]
                edge: Obj = {"data": rows}
                if len(value) > 25:
                    edge["paging"] = {
                        "cursors": {"before": _cursor(value[0]), "after": _cursor(value[24])},
                        "next": "edge-next",
                    }
                out[name] = edge
            elif isinstance(value, dict) and sub:
                out[name] = {k: v for k, v in value.items() if k in {n for n, _ in sub}}
            else:
                out[name] = value
        return out

    def _fields(self, params: Any, kind: str) -> list[tuple[str, Any]]:
        return parse_fields(params.get("fields") or DEFAULT_FIELDS[kind])

    def _own(self, object_id: str, info: Obj) -> Obj | Response:
        obj = self.world.obj(object_id)
        if obj is None or obj["kind"] not in OBJECT_KINDS[self.platform]:
            return graph_error(
                400,
                100,
                f"Unsupported request. Object with ID '{object_id}' does not exist, cannot be loaded due to "
                "missing permissions, or does not support this operation.",
                subcode=33,
                kind="GraphMethodException",
            )
        if not _page_token_for(info, self.world.owner_page(obj)):
            return _page_token_required()
        return obj

    # -- objects ----------------------------------------------------------------------
    def get_object(self, object_id: str, params: Any, info: Obj) -> Response:
        pages, ig_users = self.world.data["pages"], self.world.data["ig_users"]
        if object_id in pages:
            page = pages[object_id]
            ig = ig_users.get(page.get("ig_user_id") or "")
            full = {"id": page["id"], "name": page["name"], "category": "Housing association"}
            if ig:
                full["instagram_business_account"] = {"id": ig["id"], "username": ig["username"]}
            return ok(self.select(full, self._fields(params, "page")))
        if object_id in ig_users:
            ig = ig_users[object_id]
            mentioned = mentioned_request(str(params.get("fields", "")))
            if mentioned is not None:
                return self.mentioned(object_id, mentioned, info)
            return ok(
                self.select({"id": ig["id"], "username": ig["username"]}, self._fields(params, "ig_user"))
            )
        obj = self._own(object_id, info)
        if isinstance(obj, Response):
            return obj
        return ok(self.select(self.render(obj), self._fields(params, obj["kind"])))

    def mentioned(self, ig_user_id: str, request: tuple[str, str, str], info: Obj) -> Response:
        """GET /{ig-user}?fields=mentioned_comment.comment_id(<id>){...} (or mentioned_media)."""
        page_id = self.world.data["ig_users"][ig_user_id]["page_id"]
        if not _page_token_for(info, page_id):
            return _page_token_required()
        field, object_id, sub = request
        obj = find_mention(self.world, field=field, object_id=object_id, account_id=ig_user_id)
        if obj is None:
            return graph_error(
                400,
                100,
                f"(#100) No {field.split('_')[1]} with id {object_id} mentions this user.",
                subcode=33,
                kind="GraphMethodException",
            )
        return ok({field: self.select(self.render(obj), parse_fields(sub)), "id": ig_user_id})

    def _not_ours(self, obj: Obj) -> Response | None:
        if obj["kind"] == FB_TAGGED:
            # The post belongs to the member who tagged the Page; the Page may only comment on it.
            return graph_error(400, 200, "(#200) Permissions error", kind="OAuthException")
        return None

    def update_object(self, object_id: str, params: Any, info: Obj) -> Response:
        obj = self._own(object_id, info)
        if isinstance(obj, Response):
            return obj
        refused = self._not_ours(obj)
        if refused is not None:
            return refused
        flag = params.get("is_hidden" if self.platform == "facebook" else "hide")
        if flag is None:
            return graph_error(400, 100, "(#100) No supported parameters were given.")
        hidden = str(flag).lower() == "true"
        with self.world.changing():
            # Re-hiding a hidden comment is a success on Graph; we log it so tests can see the retry.
            obj["hidden"] = hidden
            self.world.record("hide" if hidden else "unhide", platform=self.platform, id=object_id)
        return ok({"success": True})

    def delete_object(self, object_id: str, info: Obj) -> Response:
        obj = self._own(object_id, info)
        if isinstance(obj, Response):
            return obj
        refused = self._not_ours(obj)
        if refused is not None:
            return refused
        with self.world.changing():
            obj["deleted"] = True
            obj["deleted_by"] = "page"
            self.world.record("delete", platform=self.platform, id=object_id)
        return ok({"success": True})

    def create_comment(
        self, *, root: Obj, parent: Obj | None, text: str, sender: Obj, created: float | None = None
    ) -> Obj:
        kind = "fb_comment" if self.platform == "facebook" else "ig_comment"
        number = self.world.next_number()
        if self.platform == "facebook":
            if parent and parent.get("parent"):
                parent = self.world.obj(parent["parent"]) or parent  # Facebook threads are two levels deep
            comment_id = f"{root['id'].split('_')[-1]}_{5647300000 + number}"
        else:
            comment_id = str(17873440459000000 + number)
        obj = {
            "id": comment_id,
            "kind": kind,
            "owner": root["owner"],
            "root": root["id"],
            "parent": parent["id"] if parent else None,
            "text": text,
            "from": sender,
            "created": created if created is not None else time.time(),
            "hidden": False,
        }
        with self.world.changing() as d:
            d["objects"][comment_id] = obj
        return obj

    # -- edges ------------------------------------------------------------------------
    def edge(self, request: Request, object_id: str, edge: str, info: Obj) -> Response:
        method, params = request.method, request.values
        if object_id in self.world.data["pages"] and edge == "blocked":
            return self.blocked(request, object_id, info)
        if object_id in self.world.data["pages"] and edge == "subscribed_apps":
            return self.subscribed_apps(request, object_id, info)
        if object_id in self.world.data["pages"] and edge in ("posts", "feed", "published_posts"):
            if not _page_token_for(info, object_id):
                return _page_token_required()
            posts = [
                o
                for o in self.world.data["objects"].values()
                if o["kind"] == "fb_post" and o["owner"] == object_id and not o.get("deleted")
            ]
            posts.sort(key=lambda o: (o["created"], o["id"]), reverse=True)
            return self.page_of(request, posts, "fb_post", reverse=True)
        if object_id in self.world.data["pages"] and edge == "tagged" and self.platform == "facebook":
            if not _page_token_for(info, object_id):
                return _page_token_required()
            tagged = [
                o
                for o in self.world.data["objects"].values()
                if o["kind"] == FB_TAGGED and object_id in o.get("mentions", []) and not o.get("deleted")
            ]
            tagged.sort(key=lambda o: (o["created"], o["id"]), reverse=True)
            return self.page_of(request, tagged, FB_TAGGED, reverse=True)
        if object_id in self.world.data["ig_users"] and edge == "tags":
            # Media others posted that tag the account, newest first (the demo seeds a few;
            # tests also send recorded shapes through /_admin/replays, tests/fixtures/meta/).
            page_id = self.world.data["ig_users"][object_id]["page_id"]
            if not _page_token_for(info, page_id):
                return _page_token_required()
            tagged = [
                o
                for o in self.world.data["objects"].values()
                if o["kind"] == IG_TAGGED and object_id in o.get("mentions", []) and not o.get("deleted")
            ]
            tagged.sort(key=lambda o: (o["created"], o["id"]), reverse=True)
            return self.page_of(request, tagged, IG_TAGGED, reverse=True)
        if object_id in self.world.data["ig_users"] and edge == "media":
            page_id = self.world.data["ig_users"][object_id]["page_id"]
            if not _page_token_for(info, page_id):
                return _page_token_required()
            media = [
                o
                for o in self.world.data["objects"].values()
                if o["kind"] == "ig_media" and o["owner"] == object_id and not o.get("deleted")
            ]
            media.sort(key=lambda o: (o["created"], o["id"]), reverse=True)
            return self.page_of(request, media, "ig_media", reverse=True)
        obj = self._own(object_id, info)
        if isinstance(obj, Response):
            return obj
        page = self.world.data["pages"].get(self.world.owner_page(obj), {})
        if self.platform == "facebook" and edge == "comments":
            if method == "POST":
                return self.reply(obj, params, {"id": page.get("id", ""), "name": page.get("name", "")})
            direct = obj["kind"] == "fb_comment" or params.get("filter", "toplevel") != "stream"
            rows = self.world.children(obj["id"], direct_only=direct, kind="fb_comment")
            if obj["kind"] == "fb_comment":
                rows = [r for r in rows if r.get("parent") == obj["id"]]
            reverse = params.get("order") == "reverse_chronological"
            return self.page_of(request, rows[::-1] if reverse else rows, "fb_comment", reverse=reverse)
        if self.platform == "instagram" and edge in ("comments", "replies"):
            ig = self.world.data["ig_users"].get(str(page.get("ig_user_id", "")), {})
            if method == "POST":
                return self.reply(obj, params, {"id": ig.get("id", ""), "username": ig.get("username", "")})
            if obj["kind"] == "ig_media" and edge == "comments":
                rows = self.world.children(obj["id"], direct_only=True, kind="ig_comment")
            elif obj["kind"] == "ig_comment" and edge == "replies":
                rows = [
                    r
                    for r in self.world.children(obj["id"], direct_only=False, kind="ig_comment")
                    if r.get("parent") == obj["id"]
                ]
            else:
                return graph_error(400, 100, f"(#100) Tried accessing nonexisting field ({edge})")
            return self.page_of(request, rows, "ig_comment", reverse=False)
        return graph_error(400, 100, f"(#100) Tried accessing nonexisting field ({edge})")

    def reply(self, target: Obj, params: Any, sender: Obj) -> Response:
        text = params.get("message", "")
        if not text:
            return graph_error(400, 100, "(#100) Missing message or attachment")
        if self.platform == "instagram" and target["kind"] == "ig_comment" and target.get("parent"):
            return graph_error(400, 100, "(#100) Replies can only be made to top-level comments")
        root = (
            target if target["kind"] in ("fb_post", "ig_media", FB_TAGGED) else self.world.obj(target["root"])
        )
        if root is None:
            return graph_error(400, 100, "(#100) The post was deleted.", subcode=33)
        parent = None if target is root else target
        obj = self.create_comment(root=root, parent=parent, text=text, sender=sender)
        with self.world.changing():
            self.world.record(
                "reply", platform=self.platform, id=obj["id"], parent=target["id"], message=text
            )
        self.notify(self.platform, obj, "add")
        return ok({"id": obj["id"]})

    def subscribed_apps(self, request: Request, page_id: str, info: Obj) -> Response:
        """Which webhook fields this app receives for the Page (docs/channels.md, "Webhooks")."""
        if not _page_token_for(info, page_id):
            return _page_token_required()
        page = self.world.data["pages"][page_id]
        if request.method == "GET":
            fields = page.get("subscribed_fields") or []
            return ok({"data": [{"id": self.world.app_id, "subscribed_fields": fields}] if fields else []})
        if request.method == "DELETE":
            with self.world.changing():
                page["subscribed_fields"] = []
            return ok({"success": True})
        fields = sorted({f for f in re.split(r"[ ,]+", request.values.get("subscribed_fields", "")) if f})
        if not fields:
            return graph_error(400, 100, "(#100) Param subscribed_fields must be non-empty")
        with self.world.changing():
            page["subscribed_fields"] = fields
            self.world.record("subscribe", platform="facebook", page=page_id, fields=fields)
        return ok({"success": True})

    def blocked(self, request: Request, page_id: str, info: Obj) -> Response:
        if not _page_token_for(info, page_id):
            return _page_token_required()
        page = self.world.data["pages"][page_id]
        params = request.values
        if request.method == "GET":
            return ok({"data": [{"id": uid, "name": ""} for uid in page["blocked"]]})
        users = [u for key in ("user", "uid", "psid", "asid") for u in params.getlist(key)]
        ids = [u.strip() for raw in users for u in raw.strip("[]").replace('"', "").split(",") if u.strip()]
        if not ids:
            return graph_error(400, 100, "(#100) The parameter user is required")
        with self.world.changing():
            for uid in ids:
                if request.method == "POST":
                    if uid not in page["blocked"]:
                        page["blocked"].append(uid)
                    self.world.record("block", platform="facebook", page=page_id, user=uid)
                elif uid in page["blocked"]:
                    page["blocked"].remove(uid)
                    self.world.record("unblock", platform="facebook", page=page_id, user=uid)
        if request.method == "POST":
            return ok({uid: True for uid in ids})
        return ok({"success": True})

    def page_of(self, request: Request, rows: list[Obj], kind: str, *, reverse: bool) -> Response:
        params = request.values
        try:
            limit = max(1, min(100, int(params.get("limit", 25))))
        except ValueError:
            return graph_error(400, 100, "(#100) Param limit must be a number")
        start = 0
        after = params.get("after")
        if after:
            try:
                mark = tuple(json.loads(base64.urlsafe_b64decode(after.encode())))
            except ValueError:
                return graph_error(400, 100, "(#100) Invalid cursor", subcode=1349177)
            for index, row in enumerate(rows):
                key = (row["created"], row["id"])
                if (key < mark) if reverse else (key > mark):
                    start = index
                    break
            else:
                start = len(rows)
        chunk = rows[start : start + limit]
        fields = self._fields(params, kind)
        body: Obj = {"data": [self.select(self.render(o), fields) for o in chunk]}
        if chunk:
            body["paging"] = {"cursors": {"before": _cursor(chunk[0]), "after": _cursor(chunk[-1])}}
            if start + limit < len(rows):
                query = {k: v for k, v in params.items() if k != "after"}
                query["after"] = _cursor(chunk[-1])
                body["paging"]["next"] = request.base_url + "?" + urlencode(query)
        return ok(body)

    # -- me, OAuth -----------------------------------------------------------------------
    def me(self, request: Request, rest: list[str], info: Obj) -> Response:
        user = self.world.data["users"].get(info["user_id"], {})
        if info["type"] == "page" and not rest:
            page = self.world.data["pages"][info["page_id"]]
            return ok({"id": page["id"], "name": page["name"]})
        if not rest:
            return ok({"id": user.get("id"), "name": user.get("name")})
        if rest == ["accounts"] and info["type"] == "user":
            lifetime = (
                None
                if info["expires"] is None or info.get("long")
                else max(1, int(info["expires"] - time.time()))
            )
            data = []
            for page_id in user.get("pages", []):
                page = self.world.data["pages"][page_id]
                token = self.world.issue_token(
                    kind="page", user_id=user["id"], page_id=page_id, lifetime=lifetime
                )
                data.append(
                    {
                        "id": page_id,
                        "name": page["name"],
                        "access_token": token,
                        "category": "Housing association",
                        "tasks": ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"],
                    }
                )
            return ok({"data": data, "paging": {"cursors": {"before": "MA", "after": "MA"}}})
        if rest == ["permissions"] and request.method == "DELETE":
            self.world.revoke_user(info["user_id"])
            return ok({"success": True})
        if rest == ["permissions"]:
            scopes = [
                "pages_show_list",
                "pages_read_engagement",
                "pages_read_user_content",
                "pages_manage_engagement",
            ]
            return ok({"data": [{"permission": s, "status": "granted"} for s in scopes]})
        return graph_error(400, 100, "(#100) Unknown path components")

    def dialog(self, request: Request) -> Response:
        params = request.values
        if params.get("client_id") != self.world.app_id:
            return Response("<h1>App not set up</h1><p>Invalid App ID.</p>", status=400, mimetype="text/html")
        redirect_uri, state = params.get("redirect_uri", ""), params.get("state", "")
        if not redirect_uri:
            return Response("<h1>redirect_uri is missing</h1>", status=400, mimetype="text/html")
        if request.method == "POST":
            if params.get("decision") == "allow":
                user_id = params.get("user_id") or next(iter(self.world.data["users"]), "")
                query = {
                    "code": self.world.issue_code(user_id=user_id, redirect_uri=redirect_uri),
                    "state": state,
                }
            else:
                query = {
                    "error": "access_denied",
                    "error_code": "200",
                    "error_description": "Permissions error",
                    "error_reason": "user_denied",
                    "state": state,
                }
            sep = "&" if "?" in redirect_uri else "?"
            return Response(status=302, headers={"Location": redirect_uri + sep + urlencode(query) + "#_=_"})
        scopes = [s for s in re.split(r"[ ,]+", params.get("scope", "")) if s]
        users = self.world.data["users"].values()
        options = "".join(
            f'<option value="{html.escape(u["id"])}">{html.escape(u["name"])}</option>' for u in users
        )
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
            if k in ("client_id", "redirect_uri", "state", "scope", "response_type")
        )
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Log in with Facebook (fake)</title></head><body style="font-family:sans-serif;max-width:34rem;margin:3rem auto">
<h1>{"Facebook" if self.platform == "facebook" else "Instagram"} (fake platform)</h1>
<p><b>Havebury Social</b> is requesting access to:</p>
<ul>{"".join(f"<li>{html.escape(s)}</li>" for s in scopes)}</ul>
<form method="post">{hidden}
<label for="user_id">Continue as</label> <select id="user_id" name="user_id">{options}</select>
<p><button type="submit" name="decision" value="allow" autofocus>Continue</button>
<button type="submit" name="decision" value="deny">Cancel</button></p></form></body></html>"""
        return Response(page, mimetype="text/html")

    def access_token(self, request: Request) -> Response:
        params = request.values
        if params.get("client_id") != self.world.app_id:
            return graph_error(400, 101, "Error validating application. Invalid application ID.")
        if params.get("client_secret") != self.world.app_secret:
            return graph_error(400, 1, "Error validating client secret.")
        if params.get("grant_type") == "fb_exchange_token":
            old = self.world.data["tokens"].get(params.get("fb_exchange_token", ""))
            if old is None or old["revoked"] or (old["expires"] is not None and old["expires"] < time.time()):
                return graph_error(
                    400, 190, "Error validating access token: The session is invalid.", subcode=463
                )
            token = self.world.issue_token(kind="user", user_id=old["user_id"], lifetime=LONG_LIVED_SECONDS)
            with self.world.changing() as d:
                d["tokens"][token]["long"] = True
            return ok({"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED_SECONDS})
        code = self.world.data["codes"].get(params.get("code", ""))
        if code is None or code["expires"] < time.time():
            return graph_error(400, 100, "Invalid verification code format.", subcode=36009)
        if code["used"]:
            return graph_error(400, 100, "This authorization code has been used.", subcode=36009)
        if code["redirect_uri"] != params.get("redirect_uri"):
            return graph_error(
                400,
                100,
                "Error validating verification code. Please make sure your redirect_uri is identical "
                "to the one you used in the OAuth dialog request",
                subcode=36008,
            )
        with self.world.changing():
            code["used"] = True
        token = self.world.issue_token(kind="user", user_id=code["user_id"], lifetime=SHORT_LIVED_SECONDS)
        return ok({"access_token": token, "token_type": "bearer", "expires_in": SHORT_LIVED_SECONDS})


def _cursor(obj: Obj) -> str:
    return base64.urlsafe_b64encode(json.dumps([obj["created"], obj["id"]]).encode()).decode()
