"""LinkedIn Community Management API imitation (docs/channels.md, "LinkedIn" and "The fake server's X, YouTube and LinkedIn"): the
organisation's posts, comments and replies through socialActions, reply as the
organisation, delete; start/count paging with `paging.total` and a `next` link.

Every /rest call must send `LinkedIn-Version: YYYYMM` and `X-Restli-Protocol-Version:
2.0.0`; a version older than `oldest_version` answers 426 as a sunset one does. Errors
are Rest.li bodies `{"status", "serviceErrorCode", "code", "message"}`.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote

from werkzeug.wrappers import Request, Response

from fakeplatforms.rest_fake import RestFake, json_response
from fakeplatforms.world import Obj

DEMO_LI_ORG_ID = "2414183"
DEMO_LI_ORG = f"urn:li:organization:{DEMO_LI_ORG_ID}"
DEMO_LI_ADMIN = "urn:li:person:HvbLead01"
OLDEST_VERSION = "202511"  # anything older is sunset in the fake
VERSION = re.compile(r"^\d{6}$")


def restli_error(status: int, code: str, message: str, service_code: int | None = None) -> Response:
    body: Obj = {"status": status, "code": code, "message": message}
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    return json_response(body, status=status)


class FakeLinkedIn(RestFake):
    platform = "linkedin"
    title = "LinkedIn"
    token_prefix = "AQV"  # noqa: S105 - the shape of LinkedIn tokens, for the fake's own tokens
    token_seconds = 5_184_000  # 60 days

    def fresh(self) -> Obj:
        return {
            **super().fresh(),
            "oldest_version": OLDEST_VERSION,
            "member_deletes": True,
            "daily_limit": 0,
            "calls": {"day": "", "n": 0},
        }

    # -- data --------------------------------------------------------------------------
    def ensure_org(self) -> None:
        with self.world.changing():
            self.state["account"] = {
                "id": DEMO_LI_ORG_ID,
                "localizedName": "Havebury Housing Partnership",
                "vanityName": "havebury-housing",
            }

    def add_post(self, text: str, *, created: float | None = None) -> Obj:
        number = self.next_number()
        created = time.time() if created is None else created
        post = {
            "id": f"urn:li:share:71{number:017d}",
            "kind": "li_post",
            "activity": f"urn:li:activity:71{number:017d}",
            "text": text,
            "created": created,
            "modified": created,
        }
        with self.world.changing():
            self.state["objects"][post["id"]] = post
        return post

    def add_comment(
        self, *, post_urn: str, actor: str, text: str, parent_urn: str = "", created: float | None = None
    ) -> Obj:
        post = self.live(post_urn)
        if post is None:
            raise LookupError(f"no LinkedIn post {post_urn}")
        number = self.next_number()
        created = time.time() if created is None else created
        comment_id = f"71029{number:014d}"
        urn = f"urn:li:comment:({post['activity']},{comment_id})"
        obj = {
            "id": urn,
            "kind": "li_comment",
            "comment_id": comment_id,
            "post": post_urn,
            "object": post["activity"],
            "parent": parent_urn or None,
            "actor": actor,
            "text": text,
            "created": created,
            "modified": created,
        }
        with self.world.changing():
            self.state["objects"][urn] = obj
        return obj

    def render_comment(self, obj: Obj) -> Obj:
        ms = int(obj["created"] * 1000)
        body: Obj = {
            "id": obj["comment_id"],
            "commentUrn": obj["id"],
            "$URN": obj["id"],
            "actor": obj["actor"],
            "agent": obj["actor"] if obj["actor"].startswith("urn:li:person") else None,
            "object": obj["object"],
            "message": {"text": obj["text"], "attributes": []},
            "created": {"actor": obj["actor"], "time": ms},
            "lastModified": {"actor": obj["actor"], "time": int(obj["modified"] * 1000)},
        }
        if body["agent"] is None:
            body.pop("agent")
        if obj["parent"]:
            body["parentComment"] = obj["parent"]
        else:
            replies = len(self.children(obj["id"]))
            body["commentsSummary"] = {"selectedComments": [], "aggregatedTotalComments": replies}
        return body

    def children(self, target: str) -> list[Obj]:
        target_obj = self.live(target)
        post_level = target_obj is not None and target_obj["kind"] == "li_post"
        rows = [
            o
            for o in self.state["objects"].values()
            if o["kind"] == "li_comment"
            and not o.get("deleted")
            and (
                (post_level and o["post"] == target and not o["parent"])
                or (not post_level and o["parent"] == target)
            )
        ]
        return sorted(rows, key=lambda o: (o["created"], o["id"]))

    # -- dispatch -------------------------------------------------------------------------
    def __call__(self, request: Request, path: str) -> Response:
        parts = [p for p in path.split("/") if p]
        if parts == ["oauth", "v2", "authorization"]:
            return self.consent(request, scopes=request.values.get("scope", "").split())
        if parts == ["oauth", "v2", "accessToken"]:
            return self.token_endpoint(request)
        if parts == ["oauth", "v2", "revoke"]:
            self.revoke_tokens(request.values.get("token", "-"))
            return json_response({})
        if parts[:1] != ["rest"]:
            return restli_error(404, "NOT_FOUND", f"No fake resource /{path}")
        failure = self.next_failure()
        if failure is not None:
            response = self.li_failure(failure)
            if response is not None:
                return response
        bad = self.check_headers(request) or self.check_token(request) or self.count_call()
        if bad is not None:
            return bad
        return self.route(request, parts[1:])

    def check_headers(self, request: Request) -> Response | None:
        if request.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            return restli_error(
                400, "ILLEGAL_ARGUMENT", "X-Restli-Protocol-Version 2.0.0 is required for this resource."
            )
        version = request.headers.get("LinkedIn-Version", "")
        if not version:
            return restli_error(
                400,
                "VERSION_MISSING",
                "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
            )
        if not VERSION.match(version) or version < self.state["oldest_version"]:
            return restli_error(426, "NONEXISTENT_VERSION", f"Requested version {version} is not active")
        return None

    def check_token(self, request: Request) -> Response | None:
        problem = self.token_problem(request)
        if not problem:
            return None
        if problem == "revoked":
            return restli_error(
                401,
                "REVOKED_ACCESS_TOKEN",
                "The token used in the request has been revoked by the user",
                65601,
            )
        if problem == "expired":
            return restli_error(
                401, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired", 65600
            )
        return restli_error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600)

    def count_call(self) -> Response | None:
        day = time.strftime("%Y-%m-%d", time.gmtime())
        with self.world.changing():
            calls = self.state["calls"]
            if calls["day"] != day:
                calls.update(day=day, n=0)
            calls["n"] += 1
            over = self.state["daily_limit"] and calls["n"] > self.state["daily_limit"]
        return self.throttled() if over else None

    def throttled(self) -> Response:
        return restli_error(
            429,
            "TOO_MANY_REQUESTS",
            "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
            101,
        )

    def li_failure(self, failure: Obj) -> Response | None:
        kind = failure.get("kind")
        if kind == "rate_limit":
            return self.throttled()
        if kind == "500":
            return restli_error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error")
        if kind == "sunset":
            return restli_error(426, "NONEXISTENT_VERSION", "Requested version is not active")
        return self.failure_response(failure)

    def route(self, request: Request, parts: list[str]) -> Response:
        method, args = request.method, request.args
        if parts == ["organizationAcls"] and args.get("q") == "roleAssignee":
            acl = {
                "roleAssignee": DEMO_LI_ADMIN,
                "state": "APPROVED",
                "role": "ADMINISTRATOR",
                "organization": DEMO_LI_ORG,
            }
            return json_response({"paging": {"start": 0, "count": 10, "links": []}, "elements": [acl]})
        if len(parts) == 2 and parts[0] == "organizations" and parts[1] == DEMO_LI_ORG_ID:
            return json_response(self.state["account"])
        if parts == ["posts"] and method == "GET":
            if args.get("q") != "author" or args.get("author") != DEMO_LI_ORG:
                return restli_error(
                    403, "ACCESS_DENIED", "Not enough permissions to access: posts.FINDER-author", 100
                )
            posts = sorted(
                (
                    o
                    for o in self.state["objects"].values()
                    if o["kind"] == "li_post" and not o.get("deleted")
                ),
                key=lambda o: o["modified"],
                reverse=True,
            )
            rows = [
                {
                    "id": p["id"],
                    "author": DEMO_LI_ORG,
                    "commentary": p["text"],
                    "visibility": "PUBLIC",
                    "lifecycleState": "PUBLISHED",
                    "createdAt": int(p["created"] * 1000),
                    "publishedAt": int(p["created"] * 1000),
                    "lastModifiedAt": int(p["modified"] * 1000),
                }
                for p in posts
            ]
            return self.paged(request, rows, "/rest/posts?q=author&author=" + quote(DEMO_LI_ORG, safe=""))
        if len(parts) >= 3 and parts[0] == "socialActions" and parts[2] == "comments":
            target = parts[1]
            if len(parts) == 4:
                return self.one_comment(request, target, parts[3])
            if method == "GET":
                if self.live(target) is None:
                    return restli_error(404, "NOT_FOUND", f"Entity {target} does not exist", 100)
                rows = [self.render_comment(c) for c in self.children(target)]
                return self.paged(request, rows, f"/rest/socialActions/{quote(target, safe='')}/comments?")
            if method == "POST":
                return self.create(request, target)
        return restli_error(404, "NOT_FOUND", f"No fake resource {method} /rest/{'/'.join(parts)}")

    def paged(self, request: Request, rows: list[Obj], href: str) -> Response:
        try:
            start, count = int(request.args.get("start", 0)), int(request.args.get("count", 10))
        except ValueError:
            return restli_error(400, "ILLEGAL_ARGUMENT", "start and count must be integers")
        if start < 0 or not 1 <= count <= 100:
            return restli_error(400, "ILLEGAL_ARGUMENT", "count must be between 1 and 100")
        links = []
        if start + count < len(rows):
            links.append(
                {
                    "type": "application/json",
                    "rel": "next",
                    "href": f"{href}&count={count}&start={start + count}",
                }
            )
        paging = {"start": start, "count": count, "total": len(rows), "links": links}
        return json_response({"paging": paging, "elements": rows[start : start + count]})

    def one_comment(self, request: Request, target: str, comment_id: str) -> Response:
        found = next(
            (
                o
                for o in self.state["objects"].values()
                if o["kind"] == "li_comment" and o["comment_id"] == comment_id and not o.get("deleted")
            ),
            None,
        )
        if request.method == "GET":
            return (
                json_response(self.render_comment(found))
                if found
                else restli_error(404, "NOT_FOUND", f"Comment {comment_id} does not exist", 100)
            )
        if request.method != "DELETE":
            return restli_error(405, "METHOD_NOT_ALLOWED", "Only GET and DELETE on a comment")
        if request.args.get("actor") != DEMO_LI_ORG:
            return restli_error(
                403, "ACCESS_DENIED", "The actor must be an organization the member administers", 100
            )
        if found is None:
            return restli_error(404, "NOT_FOUND", f"Comment {comment_id} does not exist", 100)
        if found["actor"] != DEMO_LI_ORG and not self.state["member_deletes"]:
            return restli_error(403, "ACCESS_DENIED", "Not enough permissions to delete this comment", 100)
        with self.world.changing():
            found["deleted"] = True
        self.record("delete", id=found["id"])
        return Response(status=204)

    def create(self, request: Request, target: str) -> Response:
        body: Obj = request.get_json(silent=True) or {}
        text = str((body.get("message") or {}).get("text", ""))
        if body.get("actor") != DEMO_LI_ORG:
            return restli_error(403, "ACCESS_DENIED", "Comments as this actor are not allowed", 100)
        if not text:
            return restli_error(422, "UNPROCESSABLE_ENTITY", "message.text is required")
        parent = self.live(target)
        if parent is None:
            return restli_error(404, "NOT_FOUND", f"Entity {target} does not exist", 100)
        post_urn = parent["id"] if parent["kind"] == "li_post" else parent["post"]
        parent_urn = "" if parent["kind"] == "li_post" else (parent["parent"] or parent["id"])
        obj = self.add_comment(post_urn=post_urn, actor=DEMO_LI_ORG, text=text, parent_urn=parent_urn)
        self.record("reply", id=target, reply_id=obj["id"], text=text)
        return json_response(self.render_comment(obj), status=201, headers={"x-restli-id": obj["id"]})

    def token_endpoint(self, request: Request) -> Response:
        params = request.form
        why = self.redeem(params.get("code", ""), params.get("redirect_uri", ""))
        if why or params.get("grant_type") != "authorization_code":
            return json_response(
                {
                    "error": "invalid_request",
                    "error_description": why or "grant_type must be authorization_code",
                },
                status=400,
            )
        grant = self.issue_token()
        grant.pop("token_type", None)
        return json_response(
            {**grant, "scope": "r_organization_social_feed,w_organization_social_feed,rw_organization_admin"}
        )

    def admin_post(self, parts: list[str], body: Obj) -> Response:
        if parts == ["posts"]:
            self.ensure_org()
            return json_response(self.add_post(str(body.get("text", "A post"))), status=201)
        if parts == ["comments"]:
            try:
                obj = self.add_comment(
                    post_urn=str(body.get("post", "")),
                    actor=str(body.get("actor", "urn:li:person:Tenant01")),
                    text=str(body.get("text", "A comment")),
                    parent_urn=str(body.get("parent", "")),
                )
            except LookupError as exc:
                return json_response({"error": str(exc)}, status=404)
            return json_response(obj, status=201)
        if len(parts) == 3 and parts[0] == "comments" and parts[2] in ("edit", "delete"):
            return self.edit_or_delete(parts[1], parts[2], body, stamp="modified")
        if parts == ["settings"]:
            with self.world.changing():
                for key in ("oldest_version", "member_deletes", "daily_limit"):
                    if key in body:
                        self.state[key] = body[key]
            return json_response(
                {k: self.state[k] for k in ("oldest_version", "member_deletes", "daily_limit")}
            )
        return super().admin_post(parts, body)
