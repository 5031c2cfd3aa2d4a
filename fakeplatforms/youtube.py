"""YouTube Data API v3 imitation (docs/channels.md, "YouTube" and "The fake server's X, YouTube and LinkedIn"): comment threads across
the channel's videos, replies, setModerationStatus (with banAuthor), delete of the
channel's own comments, reply, and a per-day quota in units (list 1, writes 50).

Shapes follow Google's: `items` with `nextPageToken` and `pageInfo`; a thread's
`replies.comments` holds at most 5 of `totalReplyCount`; `textDisplay` is HTML unless
`textFormat=plainText` (and even then quotes and ampersands arrive as entities);
errors are `{"error": {"code", "message", "errors": [{"reason", ...}], "status"}}`.
"""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Request, Response

from fakeplatforms.rest_fake import RestFake, json_response, page_offset, page_token
from fakeplatforms.world import Obj

DEMO_YT_CHANNEL_ID = "UCHaveburyHousing0000001"
PACIFIC = ZoneInfo("America/Los_Angeles")
INLINE_REPLIES = 5
COSTS = {"GET": 1, "POST": 50, "DELETE": 50, "PUT": 50}
STATUSES = ("published", "heldForReview", "likelySpam", "rejected")
URL = re.compile(r"https?://\S+")


def google_error(
    status: int,
    reason: str,
    message: str,
    *,
    domain: str = "youtube.commentThread",
    item_message: str = "",
    **extra: Any,
) -> Response:
    state = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND"}.get(
        status, "INTERNAL"
    )
    detail = {"message": item_message or message, "domain": domain, "reason": reason, **extra}
    return json_response(
        {"error": {"code": status, "message": message, "errors": [detail], "status": state}}, status=status
    )


def rfc3339(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def quota_day() -> str:
    return datetime.now(tz=UTC).astimezone(PACIFIC).date().isoformat()


class FakeYouTube(RestFake):
    platform = "youtube"
    title = "YouTube"
    token_prefix = "ya29."  # noqa: S105 - the shape of Google access tokens, for the fake's own tokens
    token_seconds = 3599

    def fresh(self) -> Obj:
        return {
            **super().fresh(),
            "videos": {},
            "banned": [],
            "quota": {"day": "", "used": 0, "limit": 10_000},
        }

    # -- data --------------------------------------------------------------------------
    def ensure_channel(self) -> None:
        with self.world.changing():
            self.state["account"] = {
                "id": DEMO_YT_CHANNEL_ID,
                "title": "Havebury Housing Partnership",
                "customUrl": "@haveburyhousing",
            }

    def add_video(self, title: str, *, comments_disabled: bool = False, created: float | None = None) -> Obj:
        number = self.next_number()
        video = {
            "id": f"hv{number:09d}",
            "title": title,
            "comments_disabled": comments_disabled,
            "created": created or time.time(),
        }
        with self.world.changing():
            self.state["videos"][video["id"]] = video
        return video

    def add_comment(
        self,
        *,
        video_id: str,
        text: str,
        author: Obj,
        parent_id: str = "",
        status: str = "published",
        created: float | None = None,
    ) -> Obj:
        number = self.next_number()
        created = time.time() if created is None else created
        comment_id = f"{parent_id}.{number:08d}" if parent_id else f"Ugz{number:08d}hvb"
        obj = {
            "id": comment_id,
            "kind": "yt_comment",
            "video": video_id,
            "parent": parent_id or None,
            "text": text,
            "author": dict(author),
            "created": created,
            "updated": created,
            "status": status,
        }
        with self.world.changing():
            self.state["objects"][comment_id] = obj
        return obj

    def render(self, obj: Obj, *, plain: bool, with_status: bool) -> Obj:
        text = obj["text"]
        if plain:
            display = html.escape(text, quote=True)  # plainText still arrives with entities
        else:
            display = URL.sub(lambda m: f'<a href="{m[0]}">{m[0]}</a>', html.escape(text)).replace(
                "\n", "<br>"
            )
        snippet: Obj = {
            "channelId": DEMO_YT_CHANNEL_ID,
            "videoId": obj["video"],
            "textDisplay": display,
            "authorDisplayName": obj["author"]["name"],
            "authorProfileImageUrl": "https://yt3.ggpht.example/a/default-user",
            "authorChannelUrl": f"http://www.youtube.com/{obj['author']['name']}",
            "authorChannelId": {"value": obj["author"]["id"]},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": 0,
            "publishedAt": rfc3339(obj["created"]),
            "updatedAt": rfc3339(obj["updated"]),
        }
        if obj["author"]["id"] == DEMO_YT_CHANNEL_ID:
            snippet["textOriginal"] = text  # only the comment's author gets textOriginal
        if obj["parent"]:
            snippet["parentId"] = obj["parent"]
        if with_status:
            snippet["moderationStatus"] = obj["status"]
        return {
            "kind": "youtube#comment",
            "etag": f"e{abs(hash(obj['id'] + text)) % 10**8}",
            "id": obj["id"],
            "snippet": snippet,
        }

    def comments(self) -> list[Obj]:
        return [o for o in self.state["objects"].values() if not o.get("deleted")]

    # -- dispatch -------------------------------------------------------------------------
    def __call__(self, request: Request, path: str) -> Response:
        parts = [p for p in path.split("/") if p]
        if parts == ["o", "oauth2", "v2", "auth"]:
            return self.consent(request, scopes=request.values.get("scope", "").split())
        if parts == ["token"]:
            return self.token_endpoint(request)
        if parts == ["revoke"]:
            self.revoke_tokens(request.values.get("token", "-"))
            return json_response({})
        if parts[:2] != ["youtube", "v3"]:
            return google_error(404, "notFound", "Not Found", domain="global")
        failure = self.next_failure()
        if failure is not None:
            response = self.yt_failure(failure)
            if response is not None:
                return response
        if self.token_problem(request):
            return google_error(
                401,
                "authError",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                domain="global",
                item_message="Invalid Credentials",
                location="Authorization",
                locationType="header",
            )
        exceeded = self.charge(COSTS.get(request.method, 1))
        if exceeded is not None:
            return exceeded
        return self.route(request, parts[2:])

    def charge(self, cost: int) -> Response | None:
        with self.world.changing():
            quota = self.state["quota"]
            if quota["day"] != quota_day():
                quota.update(day=quota_day(), used=0)
            if quota["used"] + cost > quota["limit"]:
                return google_error(
                    403,
                    "quotaExceeded",
                    'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
                    domain="youtube.quota",
                )
            quota["used"] += cost
        return None

    def yt_failure(self, failure: Obj) -> Response | None:
        kind = failure.get("kind")
        if kind == "quota":
            return google_error(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
                domain="youtube.quota",
            )
        if kind == "rate_limit":
            return google_error(
                403,
                "rateLimitExceeded",
                "The request cannot be completed because you have exceeded your rate limit.",
                domain="youtube.quota",
            )
        if kind == "500":
            return google_error(500, "backendError", "Backend Error", domain="global")
        if kind == "forbidden":
            return google_error(
                403, "forbidden", "The request is not properly authorized.", domain="youtube.comment"
            )
        return self.failure_response(failure)

    def route(self, request: Request, parts: list[str]) -> Response:
        method = request.method
        if parts == ["channels"] and method == "GET":
            if request.args.get("mine") != "true":
                return google_error(
                    400, "missingRequiredParameter", "No filter selected.", domain="youtube.parameter"
                )
            account = self.state["account"]
            item = {
                "kind": "youtube#channel",
                "id": account["id"],
                "snippet": {"title": account["title"], "customUrl": account["customUrl"]},
            }
            return json_response(
                {
                    "kind": "youtube#channelListResponse",
                    "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
                    "items": [item],
                }
            )
        if parts == ["commentThreads"] and method == "GET":
            return self.threads(request)
        if parts == ["comments"] and method == "GET":
            return self.list_comments(request)
        if parts == ["comments", "setModerationStatus"] and method == "POST":
            return self.moderate(request)
        if parts == ["comments"] and method == "DELETE":
            return self.delete(request)
        if parts == ["comments"] and method == "POST":
            return self.reply(request)
        return google_error(404, "notFound", f"No fake endpoint {method} {'/'.join(parts)}", domain="global")

    def _size(self, request: Request) -> int | Response:
        try:
            size = int(request.args.get("maxResults", 20))
        except ValueError:
            size = 0
        if not 1 <= size <= 100:
            return google_error(
                400, "invalidParameter", "Invalid value for parameter maxResults.", domain="youtube.parameter"
            )
        return size

    def _page(self, request: Request, rows: list[Obj]) -> tuple[list[Obj], str | None] | Response:
        size = self._size(request)
        if isinstance(size, Response):
            return size
        offset = 0
        if request.args.get("pageToken"):
            found = page_offset(request.args["pageToken"])
            if found is None:
                return google_error(
                    400,
                    "invalidPageToken",
                    "The request specifies an invalid page token.",
                    domain="youtube.parameter",
                )
            offset = found
        more = offset + size < len(rows)
        return rows[offset : offset + size], page_token(offset + size) if more else None

    def threads(self, request: Request) -> Response:
        args = request.args
        status = args.get("moderationStatus", "published")
        if status not in ("published", "heldForReview", "likelySpam"):
            return google_error(
                400, "invalidParameter", "Invalid value for moderationStatus.", domain="youtube.parameter"
            )
        if args.get("videoId"):
            video = self.state["videos"].get(args["videoId"])
            if video is None:
                return google_error(
                    404, "videoNotFound", "The video identified by the videoId parameter could not be found."
                )
            if video["comments_disabled"]:
                return google_error(
                    403,
                    "commentsDisabled",
                    "The video identified by the videoId parameter has disabled comments.",
                )
            videos = {video["id"]}
        elif args.get("allThreadsRelatedToChannelId") == DEMO_YT_CHANNEL_ID:
            videos = {v["id"] for v in self.state["videos"].values() if not v["comments_disabled"]}
        else:
            return google_error(
                403, "forbidden", "The authenticated user cannot read this channel's comment threads."
            )
        tops = sorted(
            (
                c
                for c in self.comments()
                if not c["parent"] and c["video"] in videos and c["status"] == status
            ),
            key=lambda c: (c["created"], c["id"]),
            reverse=True,
        )
        paged = self._page(request, tops)
        if isinstance(paged, Response):
            return paged
        chunk, token = paged
        plain = args.get("textFormat") == "plainText"
        items = []
        for top in chunk:
            replies = sorted(
                (c for c in self.comments() if c["parent"] == top["id"] and c["status"] == "published"),
                key=lambda c: c["created"],
            )
            thread: Obj = {
                "kind": "youtube#commentThread",
                "etag": f"t{top['id']}",
                "id": top["id"],
                "snippet": {
                    "channelId": DEMO_YT_CHANNEL_ID,
                    "videoId": top["video"],
                    "topLevelComment": self.render(top, plain=plain, with_status=True),
                    "canReply": True,
                    "totalReplyCount": len(replies),
                    "isPublic": True,
                },
            }
            if replies and "replies" in args.get("part", ""):
                thread["replies"] = {
                    "comments": [
                        self.render(r, plain=plain, with_status=True) for r in replies[-INLINE_REPLIES:]
                    ]
                }
            items.append(thread)
        return self.list_body("youtube#commentThreadListResponse", items, token, len(tops))

    def list_body(self, kind: str, items: list[Obj], token: str | None, total: int) -> Response:
        body: Obj = {
            "kind": kind,
            "etag": "fake",
            "pageInfo": {"totalResults": total, "resultsPerPage": len(items)},
            "items": items,
        }
        if token:
            body["nextPageToken"] = token
        return json_response(body)

    def list_comments(self, request: Request) -> Response:
        args = request.args
        plain = args.get("textFormat") == "plainText"
        if args.get("id"):
            wanted = set(",".join(args.getlist("id")).split(","))
            found = [c for c in self.comments() if c["id"] in wanted]
            return self.list_body(
                "youtube#commentListResponse",
                [self.render(c, plain=plain, with_status=False) for c in found],
                None,
                len(found),
            )
        parent = args.get("parentId", "")
        top = self.live(parent)
        if top is None:
            return google_error(
                404,
                "commentNotFound",
                "The comment identified by the parentId parameter could not be found.",
                domain="youtube.comment",
            )
        replies = sorted(
            (c for c in self.comments() if c["parent"] == parent and c["status"] == "published"),
            key=lambda c: c["created"],
        )
        paged = self._page(request, replies)
        if isinstance(paged, Response):
            return paged
        chunk, token = paged
        return self.list_body(
            "youtube#commentListResponse",
            [self.render(c, plain=plain, with_status=True) for c in chunk],
            token,
            len(replies),
        )

    def moderate(self, request: Request) -> Response:
        args = request.args
        ids = [i for value in args.getlist("id") for i in value.split(",") if i]
        status, ban = args.get("moderationStatus", ""), args.get("banAuthor", "false") == "true"
        if status not in ("heldForReview", "published", "rejected"):
            return google_error(
                400,
                "invalidModerationStatus",
                "The moderationStatus parameter specifies an invalid value.",
                domain="youtube.comment",
            )
        if ban and status != "rejected":
            return google_error(
                400,
                "banWithoutReject",
                "The banAuthor parameter can only be used if the moderationStatus parameter value is rejected.",
                domain="youtube.comment",
            )
        targets = []
        for comment_id in ids:
            obj = self.live(comment_id)
            if obj is None:
                return google_error(
                    404,
                    "commentNotFound",
                    "One or more comments identified by the id parameter could not be found.",
                    domain="youtube.comment",
                )
            if obj["video"] not in self.state["videos"]:
                return google_error(
                    403,
                    "forbidden",
                    "The comment could not be moderated: it is not on the channel's videos.",
                    domain="youtube.comment",
                )
            targets.append(obj)
        with self.world.changing():
            for obj in targets:
                obj["status"] = status
                if ban and obj["author"]["id"] not in self.state["banned"]:
                    self.state["banned"].append(obj["author"]["id"])
        for obj in targets:
            action = {"heldForReview": "hide", "published": "unhide", "rejected": "reject"}[status]
            self.record(action, id=obj["id"], ban=ban, **({"author_id": obj["author"]["id"]} if ban else {}))
        return Response(status=204)

    def delete(self, request: Request) -> Response:
        obj = self.live(request.args.get("id", ""))
        if obj is None:
            return google_error(
                404,
                "commentNotFound",
                "The comment identified by the id parameter could not be found.",
                domain="youtube.comment",
            )
        if obj["author"]["id"] != DEMO_YT_CHANNEL_ID:
            return google_error(
                403,
                "forbidden",
                "The comment could not be deleted: only its author can delete it.",
                domain="youtube.comment",
            )
        with self.world.changing():
            obj["deleted"] = True
        self.record("delete", id=obj["id"])
        return Response(status=204)

    def reply(self, request: Request) -> Response:
        snippet = (request.get_json(silent=True) or {}).get("snippet") or {}
        parent = self.live(str(snippet.get("parentId", "")))
        text = str(snippet.get("textOriginal", ""))
        if not text:
            return google_error(
                400,
                "commentTextRequired",
                "The comment resource must contain a value for textOriginal.",
                domain="youtube.comment",
            )
        if parent is None or parent["parent"]:
            return google_error(
                404,
                "parentCommentNotFound",
                "The parent comment could not be found; replies go to top-level comments.",
                domain="youtube.comment",
            )
        obj = self.add_comment(
            video_id=parent["video"],
            text=text,
            author={"id": DEMO_YT_CHANNEL_ID, "name": "@haveburyhousing"},
            parent_id=parent["id"],
        )
        self.record("reply", id=parent["id"], reply_id=obj["id"], text=text)
        return json_response(self.render(obj, plain=False, with_status=False))

    def token_endpoint(self, request: Request) -> Response:
        params = request.form
        if params.get("grant_type") == "refresh_token":
            grant = self.refresh(params.get("refresh_token", ""))
            if grant is None:
                return json_response(
                    {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
                    status=400,
                )
            grant.pop("refresh_token", None)
            return json_response({**grant, "scope": "https://www.googleapis.com/auth/youtube.force-ssl"})
        why = self.redeem(
            params.get("code", ""), params.get("redirect_uri", ""), params.get("code_verifier", "")
        )
        if why:
            return json_response({"error": "invalid_grant", "error_description": why}, status=400)
        return json_response(
            {**self.issue_token(), "scope": "https://www.googleapis.com/auth/youtube.force-ssl"}
        )

    def admin_post(self, parts: list[str], body: Obj) -> Response:
        if parts == ["comments"]:
            self.ensure_channel()
            video = str(body.get("video_id") or next(iter(self.state["videos"]), ""))
            if not video:
                video = self.add_video("A video")["id"]
            author = body.get("author") or {"id": "UCtenant000000000000001", "name": "@tenant"}
            obj = self.add_comment(
                video_id=video,
                text=str(body.get("text", "A comment")),
                author=author,
                parent_id=str(body.get("parent_id", "")),
                status=str(body.get("status", "published")),
            )
            return json_response(obj, status=201)
        if parts == ["videos"]:
            return json_response(
                self.add_video(
                    str(body.get("title", "A video")), comments_disabled=bool(body.get("comments_disabled"))
                ),
                status=201,
            )
        if len(parts) == 3 and parts[0] == "comments" and parts[2] in ("edit", "delete"):
            return self.edit_or_delete(parts[1], parts[2], body, stamp="updated")
        if parts == ["quota"]:
            with self.world.changing():
                quota = self.state["quota"]
                quota.update(
                    day=quota_day(),
                    limit=int(body.get("limit", quota["limit"])),
                    used=int(body.get("used", quota["used"])),
                )
            return json_response(self.state["quota"])
        return super().admin_post(parts, body)
