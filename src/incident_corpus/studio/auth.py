"""Which kind of token the user gave, and how it goes on the wire (the one place that knows).

Label Studio 1.23 knows two kinds (its `jwt_auth/` app; what the SDK's `TokensClientExt` does too):

- a **Personal Access Token** (PAT): a JWT refresh token, what Account & Settings hands out. It is
  never sent with a request itself: `POST /api/token/refresh/ {"refresh": PAT}` answers
  `{"access": ...}`, a JWT access token (5 minutes, simplejwt's default; the PAT itself lives
  200 years unless revoked at `/api/token/blacklist/`), sent as `Authorization: Bearer <access>`;
- a **legacy token**: any other string, sent as `Authorization: Token <token>`. New organisations
  refuse it (401) unless an admin enables legacy tokens (Organization → API Token Settings).

The kind is read from the token itself (a JWT whose payload says `token_type: refresh`); no flag.
`TokenAuth` is an `httpx.Auth`, so the plain client and the SDK's client share it: the access
token is refreshed shortly before it expires (its lifetime read from its own `exp` - `iat`, counted
on our clock, so a skewed clock does not matter) and once more when the server answers 401. One
lock guards the exchange: push lists tasks and imports from two threads on one client.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from collections.abc import Callable, Generator
from typing import Any, Literal

import httpx

from incident_corpus.core.errors import AuthError, LegacyTokenDisabledError, TokenRevokedError

REFRESH_PATH = "/api/token/refresh/"
TokenKind = Literal["pat", "access", "legacy"]
# Refresh this long before the access token runs out (at most a fifth of its lifetime).
REFRESH_MARGIN_S = 30.0


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a JWT (three base64url segments), unverified; None for anything else."""
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return None
    return payload if isinstance(payload, dict) else None


def token_kind(token: str) -> TokenKind:
    """"pat" for a JWT refresh token, "access" for a JWT access token, "legacy" for anything else."""
    claims = jwt_claims(token) or {}
    kind = claims.get("token_type")
    if kind == "refresh":
        return "pat"
    if kind == "access":
        return "access"
    return "legacy"


class RefreshRefusedError(httpx.HTTPStatusError):
    """The server would not exchange the PAT for an access token (revoked, expired, another server's)."""


class TokenAuth(httpx.Auth):
    """`Authorization` for every request: `Token <legacy>`, or `Bearer <access>` made from a PAT.

    `exchange(pat)` posts the PAT to the refresh endpoint and returns the response (a client of its
    own, without this auth). The token never appears in repr() or in an exception this raises.
    """

    def __init__(self, token: str, *, exchange: Callable[[str], httpx.Response],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.kind: TokenKind = token_kind(token)
        self._token = token
        self._exchange = exchange
        self._clock = clock
        self._lock = threading.Lock()
        self._access: str | None = token if self.kind == "access" else None
        self._refresh_at = float("inf")
        self.exchanges = 0  # how many access tokens were made (tests read it)

    def __repr__(self) -> str:
        return f"TokenAuth(kind={self.kind!r}, token=<hidden>)"

    def secrets(self) -> list[str]:
        """The token and the current access token: what no message may show."""
        return [s for s in (self._token, self._access) if s]

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.kind == "legacy":
            request.headers["Authorization"] = f"Token {self._token}"
            yield request
            return
        access = self.access_token()
        request.headers["Authorization"] = f"Bearer {access}"
        response = yield request
        if response.status_code == 401 and self.kind == "pat":
            # Revoked server-side, or our clock was wrong: one fresh access token, one more try
            # (a 401 means the server did nothing with the request, so a POST is safe to resend).
            request.headers["Authorization"] = f"Bearer {self.access_token(stale=access)}"
            yield request

    def access_token(self, *, stale: str | None = None) -> str:
        """The access token to send; a new one when there is none, it is about to expire, or it is `stale`."""
        with self._lock:
            if self.kind == "pat" and (self._access is None or self._access == stale
                                       or self._clock() >= self._refresh_at):
                self._access, self._refresh_at = self._new_access()
            assert self._access is not None
            return self._access

    def _new_access(self) -> tuple[str, float]:
        asked = self._clock()
        response = self._exchange(self._token)
        response.read()
        access = None
        if response.status_code == 200:
            try:
                body = response.json()
            except ValueError:
                body = None
            access = body.get("access") if isinstance(body, dict) else None
        if not isinstance(access, str) or token_kind(access) != "access":
            raise RefreshRefusedError(f"the token exchange answered HTTP {response.status_code}",
                                      request=response.request, response=response)
        self.exchanges += 1
        claims = jwt_claims(access) or {}
        try:
            lifetime = float(claims["exp"]) - float(claims["iat"])
        except (KeyError, TypeError, ValueError):
            lifetime = 60.0  # no lifetime in the token: ask again in a minute
        return access, asked + lifetime - min(REFRESH_MARGIN_S, lifetime / 5)


# What jwt_auth/auth.py answers (401) to a legacy token when the organization has them switched off.
LEGACY_DISABLED = "legacy token authentication has been disabled"
WHERE_PAT = "Label Studio: Account & Settings → Personal Access Token"


def refusal(url: str, what: str, *, status: int | None, body: str, kind: TokenKind,
            exchange: bool) -> tuple[type[AuthError], str]:
    """The error for a refused token, told apart by what the server answered: `exchange` when the
    refusal came from the PAT's exchange at /api/token/refresh/ (simplejwt: "Token is blacklisted",
    "Token is expired", "Token is invalid"), `body` the answer (the token is never in it)."""
    if exchange and status == 401:
        return TokenRevokedError, (
            f"Label Studio at {url} no longer accepts this Personal Access Token ({_detail(body)}): it was "
            f"revoked or has expired, or it belongs to another server; make a new one ({WHERE_PAT}) and pass it "
            "with --api-key / LABEL_STUDIO_API_KEY"
        )
    if LEGACY_DISABLED in body.lower():
        return LegacyTokenDisabledError, (
            f"Label Studio at {url} refuses legacy API tokens: its organization has them switched off (the "
            f"default since Label Studio 1.23); use your Personal Access Token instead ({WHERE_PAT}) with "
            "--api-key / LABEL_STUDIO_API_KEY, or ask an admin to enable legacy tokens under "
            "Organization → API Token Settings"
        )
    if kind == "access" and status == 401:
        return AuthError, (
            f"Label Studio at {url} rejected the API token (HTTP 401) while trying to {what}: it is a short-lived "
            f"access token (5 minutes); pass the Personal Access Token itself ({WHERE_PAT})"
        )
    hint = (" (an admin may have switched API tokens off under Organization → API Token Settings)"
            if kind == "pat" and status == 401 else "")
    return AuthError, (
        f"Label Studio at {url} rejected the API token (HTTP {status}) while trying to {what}{hint}; "
        f"check --api-key / LABEL_STUDIO_API_KEY ({WHERE_PAT})"
    )


def _detail(body: str) -> str:
    """simplejwt's `detail` ("Token is blacklisted"), or the body cut short."""
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        detail = None
    text = str(detail) if detail else " ".join(body.split())[:120]
    return f"the server said: {text}" if text else "no reason given"


def plain_client(url: str, *, timeout: float = 30.0, transport: httpx.BaseTransport | None = None,
                 **kwargs: Any) -> httpx.Client:
    """An httpx client without auth (the token exchange, the login form)."""
    return httpx.Client(base_url=url, timeout=timeout, transport=transport, **kwargs)


def standalone_auth(url: str, token: str, *, timeout: float = 60.0) -> TokenAuth:
    """`TokenAuth` with an exchange client of its own, for scripts that build their own httpx clients
    (benchmarks, measurements); the library's `Client` makes and closes its own."""
    return TokenAuth(token, exchange=exchanger(plain_client(url, timeout=timeout)))


def exchanger(client: httpx.Client) -> Callable[[str], httpx.Response]:
    """`exchange` for `TokenAuth`: the PAT posted to the refresh endpoint through `client`."""
    return lambda pat: client.post(REFRESH_PATH, json={"refresh": pat})


def session_pat(browser: httpx.Client) -> str:
    """A logged-in session (`browser`, with its CSRF cookie) makes its user's Personal Access Token, as the
    Account & Settings page does (`POST /api/token/`). A user has one valid PAT at a time (409 otherwise)
    and its full value cannot be read back, so any earlier one is revoked (`/api/token/blacklist/`) first."""
    def post(path: str, body: dict[str, str] | None = None) -> httpx.Response:
        return browser.post(path, json=body or {}, headers={"X-CSRFToken": browser.cookies.get("csrftoken") or "",
                                                            "Referer": str(browser.base_url)})

    made = post("/api/token/")
    if made.status_code == 409:
        listed = browser.get("/api/token/")
        listed.raise_for_status()
        for old in listed.json():
            post("/api/token/blacklist/", {"refresh": old["token"]})  # truncated: header and payload suffice
        made = post("/api/token/")
    made.raise_for_status()
    token = made.json().get("token")
    if not isinstance(token, str) or token_kind(token) != "pat":
        raise httpx.HTTPStatusError("POST /api/token/ answered without a Personal Access Token",
                                    request=made.request, response=made)
    return token


def log_in(browser: httpx.Client, *, email: str, password: str) -> None:
    """Log `browser` in through Label Studio's login form (CSRF cookie, Referer), as a person does."""
    browser.get("/user/login/")
    r = browser.post("/user/login/", data={"email": email, "password": password,
                                           "csrfmiddlewaretoken": browser.cookies.get("csrftoken") or ""},
                     headers={"Referer": f"{browser.base_url}user/login/"})
    if r.status_code != 302:
        raise httpx.HTTPStatusError(f"the login form answered HTTP {r.status_code}, not a redirect",
                                    request=r.request, response=r)
