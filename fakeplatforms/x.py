"""X API v2 imitation (docs/channels.md, "X (API v2)" and "The fake server's X, YouTube and LinkedIn"): mentions, timelines, recent search,
replies, hide/unhide, mute; block answers 403 client-forbidden (Enterprise only).

Post ids are snowflakes built from the creation time, so `since_id` means "newer than".
Every response carries `x-rate-limit-limit/remaining/reset` for its endpoint (15-minute
windows); reads are counted against an optional monthly cap (429 usage-capped). Partial
results follow X: `errors` beside `data` for suspended authors, and a lookup of a deleted
post answers 200 with only `errors`. An edit gives the post a new id and keeps the chain
in `edit_history_tweet_ids`.
"""

from __future__ import annotations

import json
import time
from typing import Any

from werkzeug.wrappers import Request, Response

from fakeplatforms.rest_fake import RestFake, json_response, page_offset, page_token
from fakeplatforms.world import Obj

DEMO_X_USER_ID = "1500000000000000000"
DEMO_X_USERNAME = "Havebury"
TWITTER_EPOCH_MS = 1288834974657
WINDOW = 900
LIMITS = {
    "mentions": 300,
    "tweets": 900,
    "search": 300,
    "lookup": 900,
    "post": 100,
    "hidden": 50,
    "muting": 50,
    "me": 75,
}
PROBLEMS = "https://api.x.com/2/problems/"
ALWAYS = ("id", "text", "edit_history_tweet_ids")


def problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra: Any) -> Response:
    body = {
        "title": title,
        "detail": detail,
        "type": kind if kind == "about:blank" else PROBLEMS + kind,
        "status": status,
    }
    return json_response({**body, **extra}, status=status)


def snowflake(created: float, seq: int) -> str:
    return str(((int(created * 1000) - TWITTER_EPOCH_MS) << 22) + seq % 4096)


def iso_ms(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts * 1000) % 1000:03d}Z"


class FakeX(RestFake):
    platform = "x"
    title = "X"
    token_prefix = "x-"  # noqa: S105 - a prefix for the fake's own tokens, not a secret
    token_seconds = 7200  # X access tokens last 2 hours

    def fresh(self) -> Obj:
        return {
            **super().fresh(),
            "users": {},
            "alias": {},
            "calls": {},
            "reads": 0,
            "monthly_cap": 0,
            "muted": [],
        }

    # -- data --------------------------------------------------------------------------
    def ensure_account(self) -> None:
        with self.world.changing():
            self.state["users"].setdefault(
                DEMO_X_USER_ID,
                {"id": DEMO_X_USER_ID, "name": "Havebury Housing", "username": DEMO_X_USERNAME},
            )

    def add_user(self, user_id: str, name: str, username: str, *, suspended: bool = False) -> Obj:
        user = {"id": user_id, "name": name, "username": username, "suspended": suspended}
        with self.world.changing():
            self.state["users"][user_id] = user
        return user

    def add_tweet(
        self,
        *,
        author_id: str,
        text: str,
        reply_to: str = "",
        quote: str = "",
        created: float | None = None,
    ) -> Obj:
        """A post; a reply when `reply_to` names a post (mentioning its author, as X's clients do)."""
        created = time.time() if created is None else created
        tweet_id = snowflake(created, self.next_number())
        parent = self.tweet(reply_to) if reply_to else None
        mentions = [u for u in self._mentioned(text)]
        if parent is not None and parent["author_id"] != author_id:
            parent_user = self.state["users"].get(parent["author_id"], {})
            if parent_user.get("username") and not text.startswith("@" + parent_user["username"]):
                text = f"@{parent_user['username']} {text}"
                mentions = self._mentioned(text)
        obj: Obj = {
            "id": tweet_id,
            "kind": "tweet",
            "history": [tweet_id],
            "text": text,
            "author_id": author_id,
            "conversation_id": parent["conversation_id"] if parent else tweet_id,
            "created": created,
            "mentions": mentions,
            "refs": [],
        }
        if parent is not None:
            obj["in_reply_to_user_id"] = parent["author_id"]
            obj["refs"].append({"type": "replied_to", "id": parent["history"][-1]})
        if quote:
            obj["refs"].append({"type": "quoted", "id": quote})
        with self.world.changing():
            self.state["objects"][tweet_id] = obj
            self.state["alias"][tweet_id] = tweet_id
        return obj

    def _mentioned(self, text: str) -> list[Obj]:
        by_name = {u["username"].lower(): u for u in self.state["users"].values()}
        out = []
        for i, word in enumerate(text.split()):
            name = word.lstrip("@").rstrip(".,!?:;").lower()
            if word.startswith("@") and name in by_name:
                start = len(" ".join(text.split()[:i])) + (1 if i else 0)
                out.append(
                    {
                        "start": start,
                        "end": start + len(name) + 1,
                        "username": by_name[name]["username"],
                        "id": by_name[name]["id"],
                    }
                )
        return out

    def tweet(self, any_id: str) -> Obj | None:
        original = self.state["alias"].get(any_id)
        return self.live(original) if original else None

    def edit(self, any_id: str, text: str) -> Obj | None:
        obj = self.tweet(any_id)
        if obj is None:
            return None
        new_id = snowflake(time.time(), self.next_number())
        with self.world.changing():
            obj["history"].append(new_id)
            obj["text"] = text
            self.state["alias"][new_id] = obj["id"]
        return obj

    def render(self, obj: Obj, fields: set[str]) -> Obj:
        full: Obj = {
            "id": obj["history"][-1],
            "text": obj["text"],
            "edit_history_tweet_ids": list(obj["history"]),
            "author_id": obj["author_id"],
            "conversation_id": obj["conversation_id"],
            "created_at": iso_ms(obj["created"]),
        }
        if obj.get("in_reply_to_user_id"):
            full["in_reply_to_user_id"] = obj["in_reply_to_user_id"]
        if obj["refs"]:
            full["referenced_tweets"] = obj["refs"]
        if obj["mentions"]:
            full["entities"] = {"mentions": obj["mentions"]}
        return {k: v for k, v in full.items() if k in ALWAYS or k in fields}

    # -- dispatch -------------------------------------------------------------------------
    def __call__(self, request: Request, path: str) -> Response:
        parts = [p for p in path.split("/") if p]
        if parts == ["i", "oauth2", "authorize"]:
            return self.consent(request, scopes=request.values.get("scope", "").split())
        if parts == ["2", "oauth2", "token"]:
            return self.token_endpoint(request)
        if parts == ["2", "oauth2", "revoke"]:
            self.revoke_tokens(request.values.get("token", "-"))
            return json_response({"revoked": True})
        bucket = self.bucket(request.method, parts)
        failure = self.next_failure()
        if failure is not None:
            response = self.x_failure(failure)
            if response is not None:
                return response
        if self.token_problem(request):
            return problem(401, "Unauthorized", "Unauthorized")
        limited = self.count(bucket)
        if isinstance(limited, Response):
            return limited
        response = self.route(request, parts)
        if failure is not None and failure.get("kind") == "partial" and response.status_code == 200:
            response = self.add_partial(response)
        response.headers.update(limited)
        return response

    def bucket(self, method: str, parts: list[str]) -> str:
        if parts[:2] == ["2", "users"] and len(parts) >= 4:
            return {"mentions": "mentions", "tweets": "tweets", "muting": "muting", "blocking": "muting"}.get(
                parts[3], "me"
            )
        if parts[:3] == ["2", "tweets", "search"]:
            return "search"
        if parts[-1:] == ["hidden"]:
            return "hidden"
        if parts == ["2", "tweets"] or method == "DELETE":
            return "post"
        return "lookup" if parts[:2] == ["2", "tweets"] else "me"

    def count(self, bucket: str) -> dict[str, str] | Response:
        now = time.time()
        with self.world.changing():
            window = self.state["calls"].setdefault(bucket, {"start": now, "n": 0})
            if window["start"] + WINDOW < now:
                window.update(start=now, n=0)
            window["n"] += 1
            used, reset = window["n"], int(window["start"] + WINDOW)
        limit = LIMITS.get(bucket, 300)
        headers = {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-remaining": str(max(0, limit - used)),
            "x-rate-limit-reset": str(reset),
        }
        if used > limit:
            response = problem(429, "Too Many Requests", "Too Many Requests")
            response.headers.update(headers)
            return response
        return headers

    def x_failure(self, failure: Obj) -> Response | None:
        kind = failure.get("kind")
        if kind == "rate_limit":
            response = problem(429, "Too Many Requests", "Too Many Requests")
            response.headers.update(
                {
                    "x-rate-limit-limit": "300",
                    "x-rate-limit-remaining": "0",
                    "x-rate-limit-reset": str(int(time.time() + float(failure.get("reset_in", 300)))),
                }
            )
            return response
        if kind == "usage_capped":
            return problem(
                429,
                "UsageCapExceeded",
                "Usage cap exceeded: Monthly product cap",
                "usage-capped",
                period="Monthly",
                scope="Product",
            )
        if kind == "500":
            return problem(500, "Internal Server Error", "Internal Server Error")
        return self.failure_response(failure)

    def add_partial(self, response: Response) -> Response:
        """X's partial result: one requested post could not be read, reported beside `data`."""
        data = json.loads(response.get_data())
        missing = "1861199999999999999"
        data.setdefault("errors", []).append(
            {
                "value": missing,
                "detail": f"Could not find tweet with ids: [{missing}].",
                "title": "Not Found Error",
                "resource_type": "tweet",
                "parameter": "ids",
                "resource_id": missing,
                "type": PROBLEMS + "resource-not-found",
            }
        )
        response.set_data(json.dumps(data))
        return response

    def route(self, request: Request, parts: list[str]) -> Response:
        method, args = request.method, request.args
        if parts == ["2", "users", "me"]:
            me = self.state["users"][DEMO_X_USER_ID]
            return json_response({"data": {k: me[k] for k in ("id", "name", "username")}})
        if (
            len(parts) == 4
            and parts[:2] == ["2", "users"]
            and method == "GET"
            and parts[3] in ("mentions", "tweets")
        ):
            if parts[2] != DEMO_X_USER_ID:
                return problem(
                    403,
                    "Forbidden",
                    "Owned reads are for the authenticated user only.",
                    "not-authorized-for-resource",
                )
            if parts[3] == "mentions":
                rows = [
                    t
                    for t in self._tweets()
                    if any(m["id"] == DEMO_X_USER_ID for m in t["mentions"])
                    and t["author_id"] != DEMO_X_USER_ID
                ]
            else:
                rows = [t for t in self._tweets() if t["author_id"] == DEMO_X_USER_ID]
                if "replies" in args.get("exclude", ""):
                    rows = [t for t in rows if not t.get("in_reply_to_user_id")]
            return self.listing(request, rows, cursor_param="pagination_token", low=5)
        if parts == ["2", "tweets", "search", "recent"]:
            return self.search(request)
        if parts == ["2", "tweets"] and method == "POST":
            return self.post(request)
        if len(parts) == 3 and parts[:2] == ["2", "tweets"]:
            if method == "DELETE":
                return self.delete(parts[2])
            return self.lookup(request, parts[2])
        if len(parts) == 4 and parts[3] == "hidden" and method == "PUT":
            return self.hide(request, parts[2])
        if len(parts) >= 4 and parts[3] in ("muting", "blocking"):
            return self.restrict(request, parts)
        return problem(
            404, "Not Found Error", f"No route for {method} /{'/'.join(parts)}", "resource-not-found"
        )

    def _tweets(self) -> list[Obj]:
        return [t for t in self.state["objects"].values() if not t.get("deleted")]

    def search(self, request: Request) -> Response:
        """Only what the adapter sends: `(conversation_id:A OR ...)` with an optional `-@name`."""
        query = request.args.get("query", "")
        terms, _, negated = query.partition(" -@")
        wanted = set()
        for term in terms.strip("()").split(" OR "):
            key, _, value = term.strip().partition(":")
            if key != "conversation_id" or not value.isdigit():
                return problem(
                    400,
                    "Invalid Request",
                    f"The fake search understands conversation_id: terms only, not {term!r}.",
                    "invalid-request",
                )
            wanted.add(value)
        if len(query) > 512:
            return problem(
                400, "Invalid Request", "The `query` param must be at most 512 characters.", "invalid-request"
            )
        cutoff = time.time() - 7 * 86400
        rows = [t for t in self._tweets() if t["conversation_id"] in wanted and t["created"] >= cutoff]
        if negated:
            rows = [t for t in rows if all(m["username"].lower() != negated.lower() for m in t["mentions"])]
        return self.listing(request, rows, cursor_param="next_token", low=10)

    def listing(self, request: Request, rows: list[Obj], *, cursor_param: str, low: int) -> Response:
        args = request.args
        try:
            size = int(args.get("max_results", 10))
        except ValueError:
            size = -1
        if not low <= size <= 100:
            return problem(
                400,
                "Invalid Request",
                f"The `max_results` query parameter value [{size}] is not between {low} and 100",
                "invalid-request",
            )
        if args.get("since_id"):
            rows = [t for t in rows if int(t["history"][-1]) > int(args["since_id"])]
        if args.get("start_time"):
            start = time.mktime(time.strptime(args["start_time"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
            rows = [t for t in rows if t["created"] >= start]
        rows.sort(key=lambda t: int(t["history"][-1]), reverse=True)
        offset = 0
        if args.get(cursor_param):
            offset_or_none = page_offset(args[cursor_param])
            if offset_or_none is None:
                return problem(
                    400,
                    "Invalid Request",
                    f"The `{cursor_param}` query parameter value is not valid",
                    "invalid-request",
                )
            offset = offset_or_none
        chunk = rows[offset : offset + size]
        fields = set(args.get("tweet.fields", "").split(","))
        body: Obj = {"meta": {"result_count": len(chunk)}}
        if chunk:
            body["data"] = [self.render(t, fields) for t in chunk]
            body["meta"].update(newest_id=chunk[0]["history"][-1], oldest_id=chunk[-1]["history"][-1])
            self.add_users(body, chunk, request)
        if offset + size < len(rows):
            body["meta"]["next_token"] = page_token(offset + size)
        with self.world.changing():
            self.state["reads"] += len(chunk)
            cap = self.state["monthly_cap"]
        if cap and self.state["reads"] > cap:
            return problem(
                429,
                "UsageCapExceeded",
                "Usage cap exceeded: Monthly product cap",
                "usage-capped",
                period="Monthly",
                scope="Product",
            )
        return json_response(body)

    def add_users(self, body: Obj, tweets: list[Obj], request: Request) -> None:
        if "author_id" not in request.args.get("expansions", ""):
            return
        users, errors = [], []
        for author_id in dict.fromkeys(t["author_id"] for t in tweets):
            user = self.state["users"].get(author_id)
            if user is None or user.get("suspended"):
                errors.append(
                    {
                        "value": author_id,
                        "detail": f"User has been suspended: [{author_id}].",
                        "title": "Forbidden",
                        "resource_type": "user",
                        "parameter": "author_id",
                        "resource_id": author_id,
                        "type": PROBLEMS + "resource-not-found",
                    }
                )
                continue
            users.append({k: user[k] for k in ("id", "name", "username")})
        if users:
            body["includes"] = {"users": users}
        if errors:
            body["errors"] = errors

    def lookup(self, request: Request, any_id: str) -> Response:
        obj = self.tweet(any_id)
        if obj is None:
            return json_response(
                {
                    "errors": [
                        {
                            "value": any_id,
                            "detail": f"Could not find tweet with id: [{any_id}].",
                            "title": "Not Found Error",
                            "resource_type": "tweet",
                            "parameter": "id",
                            "resource_id": any_id,
                            "type": PROBLEMS + "resource-not-found",
                        }
                    ]
                }
            )
        body: Obj = {"data": self.render(obj, set(request.args.get("tweet.fields", "").split(",")))}
        self.add_users(body, [obj], request)
        return json_response(body)

    def post(self, request: Request) -> Response:
        payload = request.get_json(silent=True) or {}
        text = str(payload.get("text", ""))
        target_id = str((payload.get("reply") or {}).get("in_reply_to_tweet_id", ""))
        if not text:
            return problem(
                400,
                "Invalid Request",
                "One or more parameters to your request was invalid.",
                "invalid-request",
            )
        target = self.tweet(target_id) if target_id else None
        if target_id and target is None:
            return problem(
                404, "Not Found Error", f"Could not find tweet with id: [{target_id}].", "resource-not-found"
            )
        if target is not None and not self.summoned(target):
            return problem(
                403,
                "Forbidden",
                "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.",
            )
        obj = self.add_tweet(author_id=DEMO_X_USER_ID, text=text, reply_to=target_id)
        self.record("reply", id=target_id, reply_id=obj["id"], text=text)
        return json_response(
            {"data": {"id": obj["id"], "text": obj["text"], "edit_history_tweet_ids": [obj["id"]]}},
            status=201,
        )

    def summoned(self, target: Obj) -> bool:
        ours = {t["id"] for t in self._tweets() if t["author_id"] == DEMO_X_USER_ID}
        return (
            target.get("in_reply_to_user_id") == DEMO_X_USER_ID
            or any(m["id"] == DEMO_X_USER_ID for m in target["mentions"])
            or any(r["type"] == "quoted" and r["id"] in ours for r in target["refs"])
        )

    def delete(self, any_id: str) -> Response:
        obj = self.tweet(any_id)
        if obj is None:
            return json_response({"data": {"deleted": False}})
        if obj["author_id"] != DEMO_X_USER_ID:
            return problem(403, "Forbidden", "You are not allowed to delete a Tweet you did not author.")
        with self.world.changing():
            obj["deleted"] = True
        self.record("delete", id=any_id)
        return json_response({"data": {"deleted": True}})

    def hide(self, request: Request, any_id: str) -> Response:
        obj = self.tweet(any_id)
        if obj is None:
            return problem(
                404, "Not Found Error", f"Could not find tweet with id: [{any_id}].", "resource-not-found"
            )
        root = self.tweet(obj["conversation_id"])
        if root is None or root["author_id"] != DEMO_X_USER_ID or obj["id"] == root["id"]:
            return problem(
                403, "Forbidden", "You cannot hide or unhide replies to a conversation not authored by you."
            )
        hidden = bool((request.get_json(silent=True) or {}).get("hidden"))
        with self.world.changing():
            obj["hidden"] = hidden
        self.record("hide" if hidden else "unhide", id=any_id)
        return json_response({"data": {"hidden": hidden}})

    def restrict(self, request: Request, parts: list[str]) -> Response:
        if parts[3] == "blocking":
            return json_response(
                {
                    "client_id": "fake",
                    "title": "Client Forbidden",
                    "reason": "client-not-enrolled",
                    "required_enrollment": "Enterprise",
                    "detail": "Blocking through the API is available to Enterprise clients only.",
                    "type": PROBLEMS + "client-forbidden",
                    "status": 403,
                },
                status=403,
            )
        if parts[2] != DEMO_X_USER_ID:
            return problem(403, "Forbidden", "You can only mute on behalf of the authenticated user.")
        if request.method == "POST":
            target = str((request.get_json(silent=True) or {}).get("target_user_id", ""))
            muting = True
        else:
            target, muting = (parts[4] if len(parts) > 4 else ""), False
        if target not in self.state["users"]:
            return problem(
                400, "Invalid Request", f"The `target_user_id` [{target}] is not a user.", "invalid-request"
            )
        with self.world.changing():
            muted = set(self.state["muted"])
            muted.add(target) if muting else muted.discard(target)
            self.state["muted"] = sorted(muted)
        self.record("mute" if muting else "unmute", id=target)
        return json_response({"data": {"muting": muting}})

    def token_endpoint(self, request: Request) -> Response:
        params = request.form
        if params.get("grant_type") == "refresh_token":
            grant = self.refresh(params.get("refresh_token", ""))
            if grant is None:
                return json_response(
                    {
                        "error": "invalid_request",
                        "error_description": "Value passed for the token was invalid.",
                    },
                    status=400,
                )
            return json_response(
                {
                    **grant,
                    "scope": "tweet.read users.read tweet.write tweet.moderate.write mute.write offline.access",
                }
            )
        why = self.redeem(
            params.get("code", ""), params.get("redirect_uri", ""), params.get("code_verifier", "")
        )
        if why:
            return json_response(
                {
                    "error": "invalid_request",
                    "error_description": f"Value passed for the authorization code was invalid: {why}.",
                },
                status=400,
            )
        grant = self.issue_token()
        return json_response(
            {
                **grant,
                "scope": "tweet.read users.read tweet.write tweet.moderate.write mute.write offline.access",
            }
        )

    def admin_post(self, parts: list[str], body: Obj) -> Response:
        if parts == ["posts"]:
            self.ensure_account()
            author = str(body.get("author_id") or DEMO_X_USER_ID)
            if author not in self.state["users"]:
                self.add_user(
                    author,
                    body.get("name", f"User {author[-4:]}"),
                    body.get("username", f"user{author[-6:]}"),
                    suspended=bool(body.get("suspended")),
                )
            obj = self.add_tweet(
                author_id=author,
                text=str(body.get("text", "")),
                reply_to=str(body.get("reply_to", "")),
                quote=str(body.get("quote", "")),
            )
            return json_response(obj, status=201)
        if len(parts) == 3 and parts[0] == "posts" and parts[2] in ("edit", "delete"):
            target = self.tweet(parts[1])
            if target is None:
                return json_response({"error": f"no live post {parts[1]}"}, status=404)
            if parts[2] == "edit":
                self.edit(parts[1], str(body.get("text", target["text"] + " (edited)")))
            else:
                with self.world.changing():
                    target["deleted"] = True
            return json_response(target)
        if parts == ["cap"]:
            with self.world.changing():
                self.state["monthly_cap"] = int(body.get("monthly_cap", 0))
                self.state["reads"] = int(body.get("reads") or self.state["reads"])
            return json_response({"monthly_cap": self.state["monthly_cap"], "reads": self.state["reads"]})
        return super().admin_post(parts, body)
