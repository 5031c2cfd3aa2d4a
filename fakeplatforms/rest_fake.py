"""What the X, YouTube and LinkedIn imitations share: state, bearer tokens, OAuth, failures.

Each platform keeps its state under its own key in the World's data (so `--state-file`
persists it and a reseed clears it): objects, tokens, codes, injected failures and
counters. Failures queued through `/_admin/<platform>/failures` are answered in the
platform's own shape by `failure_response`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from fakeplatforms.world import Obj, World

CODE_SECONDS = 600


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        "" if body is None else json.dumps(body), status=status, mimetype="application/json", headers=headers
    )


def page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def page_offset(token: str) -> int | None:
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return int(decoded["o"])
    except (ValueError, KeyError, TypeError):
        return None


def pkce_challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")


class RestFake:
    platform = ""
    title = ""
    token_prefix = ""
    token_seconds = 3600

    def __init__(self, world: World) -> None:
        self.world = world

    # -- state -------------------------------------------------------------------------
    def fresh(self) -> Obj:
        return {"objects": {}, "tokens": {}, "codes": {}, "failures": [], "seq": 0, "account": {}}

    @property
    def state(self) -> Obj:
        with self.world.lock:
            data: Obj = self.world.data.setdefault(self.platform, self.fresh())
            return data

    def next_number(self) -> int:
        with self.world.changing():
            self.state["seq"] += 1
            return int(self.state["seq"])

    def record(self, action: str, **fields: Any) -> None:
        with self.world.changing():
            self.world.record(action, platform=self.platform, **fields)

    def live(self, object_id: str) -> Obj | None:
        found = self.state["objects"].get(object_id)
        return found if found and not found.get("deleted") else None

    # -- tokens --------------------------------------------------------------------------
    def issue_token(self, *, lifetime: int | None = None, refresh: bool = True) -> Obj:
        token = self.token_prefix + secrets.token_urlsafe(24)
        seconds = self.token_seconds if lifetime is None else lifetime
        info = {"expires": time.time() + seconds if seconds else None, "revoked": False}
        refresh_token = "r-" + secrets.token_urlsafe(24) if refresh else ""
        with self.world.changing():
            self.state["tokens"][token] = {**info, "refresh": refresh_token}
        grant: Obj = {"access_token": token, "token_type": "bearer", "expires_in": seconds}
        if refresh_token:
            grant["refresh_token"] = refresh_token
        return grant

    def token_problem(self, request: Request) -> str:
        """'' when the bearer token is good, else 'missing', 'invalid', 'expired' or 'revoked'."""
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return "missing"
        info = self.state["tokens"].get(header[7:].strip())
        if info is None:
            return "invalid"
        if info["revoked"]:
            return "revoked"
        if info["expires"] is not None and info["expires"] < time.time():
            return "expired"
        return ""

    def refresh(self, refresh_token: str) -> Obj | None:
        for info in self.state["tokens"].values():
            if refresh_token and info.get("refresh") == refresh_token and not info["revoked"]:
                return self.issue_token()
        return None

    def expire_tokens(self) -> int:
        with self.world.changing():
            for info in self.state["tokens"].values():
                info["expires"] = time.time() - 1
            return len(self.state["tokens"])

    def revoke_tokens(self, token: str = "") -> int:
        count = 0
        with self.world.changing():
            for value, info in self.state["tokens"].items():
                if not token or token in (value, info.get("refresh")):
                    info["revoked"] = True
                    count += 1
        return count

    # -- OAuth consent and codes ---------------------------------------------------------
    def consent(self, request: Request, *, scopes: list[str]) -> Response:
        """A consent screen; 'Continue' redirects back with a code (and `state`)."""
        params = request.values
        redirect_uri, state = params.get("redirect_uri", ""), params.get("state", "")
        if not redirect_uri or not params.get("client_id"):
            return Response(
                "<h1>client_id and redirect_uri are required</h1>", status=400, mimetype="text/html"
            )
        if request.method == "POST":
            if params.get("decision") == "allow":
                code = "c-" + secrets.token_urlsafe(24)
                with self.world.changing():
                    self.state["codes"][code] = {
                        "redirect_uri": redirect_uri,
                        "challenge": params.get("code_challenge", ""),
                        "expires": time.time() + CODE_SECONDS,
                        "used": False,
                    }
                query = {"code": code, "state": state}
            else:
                query = {"error": "access_denied", "state": state}
            sep = "&" if "?" in redirect_uri else "?"
            return Response(status=302, headers={"Location": redirect_uri + sep + urlencode(query)})
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in params.items()
        )
        page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Authorise (fake {self.title})</title></head><body style="font-family:sans-serif;max-width:34rem;margin:3rem auto">
<h1>{self.title} (fake platform)</h1><p><b>Havebury Social</b> is requesting access to:</p>
<ul>{"".join(f"<li>{html.escape(s)}</li>" for s in scopes)}</ul>
<form method="post">{hidden}
<p><button type="submit" name="decision" value="allow" autofocus>Continue</button>
<button type="submit" name="decision" value="deny">Cancel</button></p></form></body></html>"""
        return Response(page, mimetype="text/html")

    def redeem(self, code: str, redirect_uri: str, verifier: str = "") -> str:
        """'' when the code is good (and now used), else why not."""
        info = self.state["codes"].get(code)
        if info is None or info["expires"] < time.time():
            return "invalid or expired authorization code"
        if info["used"]:
            return "authorization code already used"
        if info["redirect_uri"] != redirect_uri:
            return "redirect_uri does not match"
        if info["challenge"] and pkce_challenge(verifier) != info["challenge"]:
            return "code_verifier does not match the code_challenge"
        with self.world.changing():
            info["used"] = True
        return ""

    # -- failures --------------------------------------------------------------------------
    def next_failure(self) -> Obj | None:
        with self.world.changing():
            queue = self.state["failures"]
            return dict(queue.pop(0)) if queue else None

    def failure_response(self, failure: Obj) -> Response | None:
        """Common transport failures; platforms add their own kinds (rate limits, quota)."""
        kind = failure.get("kind")
        if kind == "503":
            return Response("Service Unavailable", status=503, mimetype="text/html")
        if kind == "malformed":
            return Response('{"data":[{"id":"18612', status=200, mimetype="application/json")
        return None

    # -- admin -------------------------------------------------------------------------------
    def admin(self, request: Request, parts: list[str]) -> Response:
        body: Obj = request.get_json(silent=True) or {}
        if request.method == "GET" and parts == ["objects"]:
            rows = sorted(self.state["objects"].values(), key=lambda o: (o["created"], o["id"]))
            return json_response({"data": rows})
        if request.method == "GET" and parts == ["state"]:
            return json_response({k: v for k, v in self.state.items() if k not in ("objects", "codes")})
        if request.method != "POST":
            return json_response({"error": "unknown admin endpoint"}, status=404)
        if parts == ["failures"]:
            with self.world.changing():
                self.state["failures"].extend(body.get("failures", []))
            return json_response({"queued": len(self.state["failures"])})
        if parts == ["tokens", "expire"]:
            return json_response({"expired": self.expire_tokens()})
        if parts == ["tokens", "revoke"]:
            return json_response({"revoked": self.revoke_tokens(body.get("token", ""))})
        if parts == ["token"]:
            return json_response(self.issue_token(lifetime=body.get("lifetime")), status=201)
        return self.admin_post(parts, body)

    def admin_post(self, parts: list[str], body: Obj) -> Response:
        return json_response({"error": "unknown admin endpoint"}, status=404)

    def edit_or_delete(self, object_id: str, verb: str, body: Obj, *, stamp: str) -> Response:
        """Admin `comments/<id>/edit|delete`: as if the author edited (stamping `stamp`) or deleted it."""
        target = self.live(object_id)
        if target is None:
            return json_response({"error": f"no live comment {object_id}"}, status=404)
        with self.world.changing():
            if verb == "edit":
                target["text"] = str(body.get("text", target["text"] + " (edited)"))
                target[stamp] = time.time()
            else:
                target["deleted"] = True
        return json_response(target)
