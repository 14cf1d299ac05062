"""The client's request core: the one module that imports label_studio_sdk.

`BaseClient` holds the SDK and a plain httpx client with the same settings (and the same httpx
transport, so tests can swap in `httpx.MockTransport`), so timeouts, retries and error
translation live in one place: `BaseClient.call` is the one retry loop (exponential backoff with
jitter, `backoff()`), used for every request that is safe to repeat. Every failure leaves as a
typed `LabelStudioError` carrying `status` and `url`; messages never contain the token. The call
groups (`project_calls`, `task_calls`, `export_calls`, `team_calls`) build on it, and
`studio.client.Client` composes them.
"""

from __future__ import annotations

import functools
import json
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
import pydantic
from label_studio_sdk.core.api_error import ApiError
from label_studio_sdk.core.parse_error import ParsingError
from packaging.version import InvalidVersion, Version

from incident_corpus.core.errors import (
    BadResponseError,
    LabelStudioError,
    ServerBusyError,
    ServerTimeoutError,
    ServerUnreachableError,
    ServerVersionError,
)
from incident_corpus.studio.auth import RefreshRefusedError, TokenAuth, exchanger, plain_client, refusal
from incident_corpus.studio.connection import Connection

T = TypeVar("T")
C = TypeVar("C", bound="BaseClient")
RETRY_STATUS = {429, 500, 502, 503, 504}
# What the SDK is told its key is: its own Authorization header is overwritten by `TokenAuth`.
SDK_PLACEHOLDER_KEY = "set-by-incident-corpus-auth"
SUPPORTED_SERVER = ("1.20", "1.24")  # [min, max) of label-studio versions the SDK pin speaks to


class BaseClient:
    """The connection, the retry loop and error translation; the call groups add the API calls."""

    def __init__(self, conn: Connection, *, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        """`sleep` waits between retries and `transport` carries every request (the plain client's
        and the SDK's); both are there so retries and error mapping can be tested without a server."""
        self.conn = conn
        self.url = conn.url
        self._sleep = sleep
        self._transport = transport
        # No keep-alive: on Label Studio 1.23.2's development server (127.0.0.1) 200 small GETs took
        # 3.2 s with a fresh connection each and 11.7 s kept alive (+ TCP_NODELAY on our side: 12.7 s),
        # the server's delayed-ACK stall; a 1000-task import was the same either way (0.50 / 0.44 s).
        # Measured with scripts/measure_keepalive.py, median of 3 rounds.
        limits = httpx.Limits(max_keepalive_connections=0)
        # The token exchange has a client of its own (no auth on it); every other request, the SDK's
        # too, carries `TokenAuth`: `Token <legacy>` or `Bearer <access made from the PAT>`.
        self._exchange_http = plain_client(conn.url, timeout=conn.timeout, limits=limits, transport=transport)
        self.auth = TokenAuth(conn.api_key, exchange=exchanger(self._exchange_http))
        self.http = httpx.Client(base_url=conn.url, timeout=conn.timeout, limits=limits, transport=transport,
                                 auth=self.auth)
        self._limits = limits

    @functools.cached_property
    def sdk(self) -> Any:
        """The typed SDK client, built on first use: importing it costs ~1 s, and push and
        re-push never need it (they talk plain HTTP)."""
        from label_studio_sdk import LabelStudio

        # max_retries=0: the SDK would otherwise retry by itself (2x on a dropped connection, 5xx, 408,
        # 409, 429), POSTs included — an import whose answer was lost would land twice. Retries live
        # in `call()`, which knows which requests are safe to repeat.
        # The SDK would exchange a PAT itself (TokensClientExt: the same refresh endpoint, Bearer), but only
        # once the access token has expired and never on a 401; our `TokenAuth` on its httpx client sets
        # every request's Authorization instead, so the SDK gets a placeholder, not the token: one
        # exchange, one lock, and the SDK never holds the secret.
        return LabelStudio(base_url=self.conn.url, api_key=SDK_PLACEHOLDER_KEY, max_retries=0,
                           httpx_client=httpx.Client(timeout=self.conn.timeout, limits=self._limits,
                                                     transport=self._transport, auth=self.auth))

    def close(self) -> None:
        self.http.close()
        self._exchange_http.close()

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------

    def call(self, what: str, fn: Callable[[], T], *, retry: bool = True,
             before_retry: Callable[[], None] | None = None) -> T:
        """Run one request; retry connection errors, timeouts, 429 and 5xx when `retry` says it is safe.

        The one retry loop: `backoff(attempt)` between tries, `conn.retries` retries at most.
        `before_retry` runs after each wait (import uses it to ask for a re-check first). A typed
        transient error from a request nested inside `fn` (such a re-check) counts as a failed try too.
        Every failure the SDK or httpx can raise (transport errors, `ApiError`, `ParsingError`,
        undecodable or non-JSON bodies) leaves as a typed `LabelStudioError`, never as a traceback.
        """
        attempts = max(1, self.conn.retries + 1) if retry else 1
        for attempt in range(attempts):
            last = attempt + 1 == attempts
            try:
                return fn()
            except LabelStudioError as exc:  # already typed (and retried) by a nested call
                if last or not exc.transient:
                    raise
            except _HTTP_FAILURES as exc:
                if last or not _transient(exc):
                    raise self._translate(what, exc, tries=attempt + 1) from None
            self._sleep(backoff(attempt))
            if before_retry is not None:
                before_retry()
        raise AssertionError("unreachable")  # pragma: no cover

    def _translate(self, what: str, exc: Exception, *, tries: int = 1) -> LabelStudioError:
        error_type, message = self._describe(what, exc, tries=tries)
        # Defence in depth: whatever a server echoes back, the token never leaves in a message.
        url = _request_url(exc) or self.url
        for secret in self.auth.secrets():  # the PAT or legacy token, and the access token made from a PAT
            message = message.replace(secret, "<api-key>")
            url = url.replace(secret, "<api-key>")
        return error_type(message, status=_status(exc), url=url)

    def _describe(self, what: str, exc: Exception, *, tries: int) -> tuple[type[LabelStudioError], str]:
        after = f" ({tries} attempts)" if tries > 1 else ""
        if isinstance(exc, httpx.TimeoutException):
            return ServerTimeoutError, (
                f"Label Studio at {self.url} did not answer within {_timeout_of(exc, self.conn.timeout):g} s "
                "while trying to "
                f"{what}{after}; it is busy or stuck — try again, raise --timeout / LABEL_STUDIO_TIMEOUT, "
                "or restart it (`annotate studio stop`, then `annotate studio start`)"
            )
        if isinstance(exc, httpx.TransportError):
            return ServerUnreachableError, (
                f"cannot reach Label Studio at {self.url} (connection failed while trying to {what}{after}) — "
                "is it running? try `annotate studio start`, or check --url / LABEL_STUDIO_URL"
            )
        status = _status(exc)
        if status in (401, 403):
            return refusal(self.url, what, status=status, body=_body(exc, 600), kind=self.auth.kind,
                           exchange=isinstance(exc, RefreshRefusedError))
        if status in RETRY_STATUS:
            return ServerBusyError, (
                f"Label Studio at {self.url} answered HTTP {status} while trying to {what}{after}: {_body(exc)}; "
                "the server is overloaded or failing — see its log (the embedded studio's is server.log in "
                "its folder) and try again; --retries / LABEL_STUDIO_RETRIES sets how often to retry"
            )
        # A 2xx that is not JSON, or a redirect (to a login page, say): something else answered.
        if status is None or 200 <= status < 400 or isinstance(exc, (ParsingError, httpx.DecodingError)):
            shown = f"HTTP {status}" if status is not None else "no status"
            return BadResponseError, (
                f"Label Studio at {self.url} sent an answer that is not its API's while trying to {what} "
                f"({shown}, {_content_type(exc)}): {_body(exc, 120)}; check that --url / LABEL_STUDIO_URL "
                "points at Label Studio itself, not at a login page or another web server"
            )
        return LabelStudioError, (
            f"Label Studio at {self.url} answered HTTP {status} while trying to {what}: {_body(exc)}"
        )

    def get_json(self, path: str, *, params: dict[str, Any] | None = None, what: str) -> Any:
        return self.call(what, functools.partial(self._request_json, "GET", path, params=params))

    def send_json(self, method: str, path: str, body: Any, *, what: str, retry: bool,
                  params: dict[str, Any] | None = None) -> Any:
        """POST/PATCH a JSON body over plain HTTP (the SDK costs ~1 s to import; push needs none of it)."""
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.call(what, functools.partial(self._request_json, method, path, params=params, content=content),
                         retry=retry)

    def _request_json(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      content: bytes | None = None, timeout: float | None = None) -> Any:
        """One request, no retry, raw failures (for `call` to judge and translate)."""
        r = self._request(method, path, params=params, content=content, timeout=timeout)
        try:
            return r.json()
        except ValueError:
            raise NotJSONError(r) from None

    def _request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                 content: bytes | None = None, timeout: float | None = None) -> httpx.Response:
        headers = {"Content-Type": "application/json"} if content is not None else None
        r = self.http.request(method, path, params=params, content=content, headers=headers,
                              timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT)
        r.raise_for_status()
        return r

    # -- server -----------------------------------------------------------------------------

    def check(self) -> dict[str, Any]:
        """Prove the URL and token work, and that the server speaks our SDK's API."""
        me = self.get_json("/api/current-user/whoami", what="check the API token")
        try:
            version = self.get_json("/api/version", what="read the server version")
        except LabelStudioError:
            version = {}
        release = str(version.get("release") or version.get("label-studio-os-package", {}).get("version", ""))
        if release and not supported_server(release):
            raise ServerVersionError(
                f"Label Studio at {self.url} is version {release}; incident-corpus speaks to "
                f"{SUPPORTED_SERVER[0]} ≤ version < {SUPPORTED_SERVER[1]} (label-studio-sdk 2.1.2); "
                "use label-studio==1.23.2 or upgrade incident-corpus", url=self.url,
            )
        return {"user_id": me.get("id"), "version": release}


def _timeout_of(exc: httpx.TimeoutException, default: float) -> float:
    """The read timeout the failed request really had (a snapshot request gets a longer one)."""
    try:
        timeout = exc.request.extensions.get("timeout") or {}
    except RuntimeError:  # no request attached
        return default
    read = timeout.get("read")
    return float(read) if isinstance(read, int | float) else default


class NotJSONError(Exception):
    """A response that should have been JSON and was not (raised inside `call`, translated there)."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}: not JSON")
        self.response = response


# Everything a request through httpx or the SDK may raise when the server or network misbehaves.
_HTTP_FAILURES = (httpx.HTTPError, httpx.StreamError, ApiError, ParsingError, NotJSONError, pydantic.ValidationError,
                  json.JSONDecodeError)


def backoff(attempt: int) -> float:
    """Seconds before retry number `attempt + 1`: exponential (0.5, 1, 2, 4, 8 s cap) with ±50 % jitter."""
    return min(8.0, 0.5 * 2.0**attempt) * (0.5 + random.random())


def _transient(exc: Exception) -> bool:
    if isinstance(exc, httpx.TransportError):  # refused, reset, dropped mid-body, timed out
        return True
    return _status(exc) in RETRY_STATUS


def _status(exc: Exception) -> int | None:
    if isinstance(exc, (ApiError, ParsingError)):
        return exc.status_code
    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code
    if isinstance(exc, NotJSONError):
        return exc.response.status_code
    return None


def _content_type(exc: Exception) -> str:
    headers: Any = None
    if isinstance(exc, (ApiError, ParsingError)):
        headers = exc.headers
    elif isinstance(exc, (httpx.HTTPStatusError, NotJSONError)):
        headers = exc.response.headers
    ctype = ""
    if headers:
        ctype = next((str(v) for k, v in dict(headers).items() if k.lower() == "content-type"), "")
    return ctype.split(";")[0].strip() or "no content type"


def _body(exc: Exception, limit: int = 300) -> str:
    if isinstance(exc, (ApiError, ParsingError)):
        text = json.dumps(exc.body, ensure_ascii=False) if not isinstance(exc.body, str) else exc.body
    elif isinstance(exc, (httpx.HTTPStatusError, NotJSONError)):
        try:
            text = exc.response.text
        except httpx.HTTPError:  # a streamed body that was never read
            text = ""
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = " ".join(text.split())
    return (text[:limit] + "…") if len(text) > limit else (text or "(empty body)")


def supported_server(release: str) -> bool:
    """Whether a server version is inside SUPPORTED_SERVER, compared as PEP 440 versions.

    A pre-, post- or dev release counts as the release it belongs to (1.24.0rc1 speaks 1.24's
    API, so it is refused like 1.24.0); a version string that does not parse is refused too.
    """
    try:
        version = Version(Version(release).base_version)
    except InvalidVersion:
        return False
    low, high = (Version(v) for v in SUPPORTED_SERVER)
    return low <= version < high


def _request_url(exc: Exception) -> str | None:
    """The URL of the request that failed, when httpx knows it (the SDK's errors do not say)."""
    response = exc.response if isinstance(exc, (httpx.HTTPStatusError, NotJSONError)) else None
    try:
        request = response.request if response is not None else getattr(exc, "request", None)
    except RuntimeError:  # httpx: a request was never attached
        return None
    return str(request.url) if isinstance(request, httpx.Request) else None
