"""Token kinds on the wire, without a server: `httpx.MockTransport` plays Label Studio's jwt_auth
(what the real one answers is proved against the live server in test_tokens.py).

A PAT is exchanged at /api/token/refresh/ for an access token sent as Bearer, refreshed shortly
before its lifetime (read from the token) runs out and once on a 401; a legacy token goes as Token.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from typing import Any

import httpx
import pytest

from incident_corpus.core.errors import AuthError, LegacyTokenDisabledError, TokenRevokedError
from incident_corpus.studio.auth import TokenAuth, jwt_claims, refusal, token_kind
from incident_corpus.studio.client import SDK_PLACEHOLDER_KEY, Client
from incident_corpus.studio.connection import Connection

URL = "http://ls.test"
LEGACY = "SECRET-LEGACY-0123456789"


def jwt(token_type: str, *, lifetime: int = 300, iat: int = 1_800_000_000) -> str:
    """A JWT shaped like simplejwt's (the signature is never checked on our side)."""
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    payload = {"token_type": token_type, "exp": iat + lifetime, "iat": iat, "jti": uuid.uuid4().hex, "user_id": "1"}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"


PAT = jwt("refresh", lifetime=200 * 365 * 86400)


class JwtServer:
    """/api/token/refresh/ makes a new access token per call; other paths want `Bearer <a live one>`."""

    def __init__(self, *, refresh_status: int = 200, refresh_body: dict[str, Any] | None = None,
                 reject_first: int = 0, legacy: str | None = None) -> None:
        self.refresh_status, self.refresh_body = refresh_status, refresh_body
        self.reject_first = reject_first  # 401 this many authenticated requests (revoked server-side)
        self.legacy = legacy
        self.issued: list[str] = []
        self.auth_seen: list[str] = []
        self.refresh_bodies: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/token/refresh/":
            body = json.loads(request.content)
            self.refresh_bodies.append(body)
            assert "authorization" not in request.headers  # the exchange carries the PAT in its body only
            if self.refresh_status != 200:
                return httpx.Response(self.refresh_status, json=self.refresh_body or {})
            self.issued.append(jwt("access"))
            return httpx.Response(200, json={"access": self.issued[-1]})
        header = request.headers.get("authorization", "")
        self.auth_seen.append(header)
        if self.legacy is not None:
            if header == f"Token {self.legacy}":
                return httpx.Response(200, json={"id": 1})
            return httpx.Response(401, json={"detail": "Authentication token no longer valid: legacy token "
                                                       "authentication has been disabled for this organization"})
        if self.reject_first:
            self.reject_first -= 1
            return httpx.Response(401, json={"detail": "Given token not valid for any token type"})
        if self.issued and header == f"Bearer {self.issued[-1]}":
            return httpx.Response(200, json={"id": 1})
        return httpx.Response(401, json={"detail": "Authentication credentials were not provided."})


def client(server: JwtServer, token: str = PAT, **conn: Any) -> Client:
    return Client(Connection(url=URL, api_key=token, timeout=5, **{"retries": 0, **conn}), sleep=lambda s: None,
                  transport=httpx.MockTransport(server))


def test_the_kind_is_read_from_the_token_itself() -> None:
    assert token_kind(PAT) == "pat"
    assert token_kind(jwt("access")) == "access"
    assert token_kind(LEGACY) == "legacy"
    assert token_kind("a" * 40) == "legacy"  # Label Studio's own legacy tokens: 40 hex digits
    assert token_kind("x.y.z") == "legacy" and token_kind("eyJ.eyJ") == "legacy"  # not JWTs
    assert token_kind(PAT.rsplit(".", 1)[0]) == "legacy"  # the truncated form the token list shows
    assert jwt_claims(PAT)["token_type"] == "refresh"  # type: ignore[index]


def test_a_legacy_token_goes_as_token_and_is_never_exchanged() -> None:
    server = JwtServer(legacy=LEGACY)
    with client(server, LEGACY) as c:
        assert c.check()["user_id"] == 1
    assert server.auth_seen[0] == f"Token {LEGACY}" and server.refresh_bodies == []


def test_a_pat_is_exchanged_once_and_sent_as_bearer_access_token() -> None:
    server = JwtServer()
    with client(server) as c:
        c.get_json("/api/projects/", what="list projects")
        c.get_json("/api/projects/", what="list projects")
        assert c.auth.exchanges == 1
    assert server.refresh_bodies == [{"refresh": PAT}]
    assert server.auth_seen == [f"Bearer {server.issued[0]}"] * 2
    assert all(PAT not in h for h in server.auth_seen)  # the PAT itself never goes in a header


def test_the_sdk_goes_through_the_same_auth_and_never_holds_the_token() -> None:
    server = JwtServer()
    with client(server) as c:
        c.get_json("/api/current-user/whoami", what="check the API token")
        assert c.sdk._client_wrapper._tokens_client.api_key == SDK_PLACEHOLDER_KEY
        c.sdk.users.whoami()
        assert c.auth.exchanges == 1  # one exchange serves both clients
    assert server.auth_seen == [f"Bearer {server.issued[0]}"] * 2


def test_the_access_token_is_renewed_before_its_lifetime_runs_out() -> None:
    now = [0.0]
    server = JwtServer()
    with httpx.Client(base_url=URL, transport=httpx.MockTransport(server)) as plain:
        auth = TokenAuth(PAT, exchange=lambda pat: plain.post("/api/token/refresh/", json={"refresh": pat}),
                         clock=lambda: now[0])
        with httpx.Client(base_url=URL, transport=httpx.MockTransport(server), auth=auth) as http:
            assert http.get("/x").status_code == 200
            now[0] = 300 - 31  # the 5-minute token has 31 s left: still used
            assert http.get("/x").status_code == 200 and auth.exchanges == 1
            now[0] = 300 - 29  # under 30 s left: a new one first
            assert http.get("/x").status_code == 200 and auth.exchanges == 2
    assert server.auth_seen == [f"Bearer {server.issued[0]}"] * 2 + [f"Bearer {server.issued[1]}"]


def test_a_401_gets_one_fresh_access_token_and_one_more_try() -> None:
    server = JwtServer(reject_first=1)
    with client(server) as c:
        created = c.send_json("POST", "/api/projects/", {"title": "t"}, what="create the project", retry=False)
        assert created == {"id": 1}
        assert c.auth.exchanges == 2
    assert server.auth_seen == [f"Bearer {server.issued[0]}", f"Bearer {server.issued[1]}"]
    # Still refused after the fresh token: one error, no loop.
    server = JwtServer(reject_first=5)
    with client(server) as c, pytest.raises(AuthError) as caught:
        c.check()
    assert len(server.auth_seen) == 2 and caught.value.status == 401
    assert "rejected the API token (HTTP 401)" in str(caught.value)
    assert "Organization → API Token Settings" in str(caught.value)


def test_threads_share_one_exchange() -> None:
    server = JwtServer()
    gate = threading.Barrier(8)
    with client(server) as c:
        def one() -> None:
            gate.wait()
            c.get_json("/api/projects/", what="list projects")
        threads = [threading.Thread(target=one) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert c.auth.exchanges == 1
    assert len(server.auth_seen) == 8 and set(server.auth_seen) == {f"Bearer {server.issued[0]}"}


def test_a_revoked_pat_says_so_and_where_to_make_a_new_one() -> None:
    server = JwtServer(refresh_status=401, refresh_body={"detail": "Token is blacklisted", "code": "token_not_valid"})
    with client(server) as c, pytest.raises(TokenRevokedError) as caught:
        c.check()
    message = str(caught.value)
    assert message.startswith(f"Label Studio at {URL} no longer accepts this Personal Access Token (the server "
                              "said: Token is blacklisted): it was revoked or has expired")
    assert "Account & Settings → Personal Access Token" in message and PAT not in message
    assert caught.value.status == 401 and server.auth_seen == []  # nothing was sent without a token


def test_a_failing_exchange_is_retried_like_any_request() -> None:
    server = JwtServer(refresh_status=503, refresh_body={"detail": "busy"})
    with client(server, retries=2) as c, pytest.raises(Exception) as caught:
        c.check()
    assert type(caught.value).__name__ == "ServerBusyError" and len(server.refresh_bodies) == 3


def test_a_legacy_token_on_a_server_that_disabled_them_says_what_works() -> None:
    server = JwtServer(legacy="another-token")
    with client(server, LEGACY) as c, pytest.raises(LegacyTokenDisabledError) as caught:
        c.check()
    message = str(caught.value)
    assert message == (
        f"Label Studio at {URL} refuses legacy API tokens: its organization has them switched off (the default "
        "since Label Studio 1.23); use your Personal Access Token instead (Label Studio: Account & Settings → "
        "Personal Access Token) with --api-key / LABEL_STUDIO_API_KEY, or ask an admin to enable legacy tokens "
        "under Organization → API Token Settings")


def test_refusals_are_told_apart_by_the_servers_answer() -> None:
    plain = refusal(URL, "list projects", status=401, body='{"detail": "Invalid token."}', kind="legacy",
                    exchange=False)
    assert plain[0] is AuthError and "rejected the API token (HTTP 401) while trying to list projects;" in plain[1]
    access = refusal(URL, "list projects", status=401, body="{}", kind="access", exchange=False)
    assert "short-lived access token" in access[1]
    forbidden = refusal(URL, "list projects", status=403, body="{}", kind="pat", exchange=False)
    assert forbidden[0] is AuthError and "HTTP 403" in forbidden[1]


def test_no_repr_or_message_shows_a_token() -> None:
    server = JwtServer(reject_first=5)
    with client(server) as c:
        with pytest.raises(AuthError) as caught:
            c.check()
        assert PAT not in repr(c.auth) and all(a not in repr(c.auth) for a in server.issued)
    shown = str(caught.value) + repr(caught.value.args)
    assert PAT not in shown and all(a not in shown for a in server.issued)
