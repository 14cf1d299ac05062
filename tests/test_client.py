"""The client's retry loop and error mapping, fast and without a server: `httpx.MockTransport`
answers each request as the test says, and the injected `sleep` records the backoff.

What Label Studio itself answers is proved against the live server in test_faults.py; here the
point is the client's own decisions (what is retried, how often, with what wait, and what the
error says and carries).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from incident_corpus.core.errors import (
    AuthError,
    BadResponseError,
    LabelStudioError,
    ServerBusyError,
    ServerTimeoutError,
    ServerUnreachableError,
    ServerVersionError,
)
from incident_corpus.studio.client import Client, backoff, supported_server
from incident_corpus.studio.connection import Connection

URL = "http://ls.test"
TOKEN = "SECRET-TOKEN-0123456789"
Handler = Callable[[httpx.Request, int], httpx.Response]


class Server:
    """Counts requests per (method, path) and hands each to `handler(request, n)` (n is 1-based)."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.seen: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = (request.method, request.url.path)
        self.seen.append(key)
        return self.handler(request, self.seen.count(key))

    def count(self, method: str, path: str) -> int:
        return self.seen.count((method, path))


def make(handler: Handler, *, retries: int = 3) -> tuple[Client, Server, list[float]]:
    server, sleeps = Server(handler), []
    client = Client(Connection(url=URL, api_key=TOKEN, timeout=5, retries=retries), sleep=sleeps.append,
                    transport=httpx.MockTransport(server))
    return client, server, sleeps


def ok(body: Any = None, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={} if body is None else body)


def assert_backoff(sleeps: list[float], n: int) -> None:
    """n waits, each the exponential step of its attempt with ±50 % jitter."""
    assert len(sleeps) == n
    for attempt, waited in enumerate(sleeps):
        step = min(8.0, 0.5 * 2**attempt)
        assert 0.5 * step <= waited <= 1.5 * step, (attempt, waited)


# -- what is retried ------------------------------------------------------------------------------

@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError])
def test_transport_failures_are_retried_with_backoff_then_pass(failure: type[httpx.TransportError]) -> None:
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        if n <= 2:
            raise failure("fault", request=request)
        return ok({"id": 7})

    client, server, sleeps = make(handler)
    assert client.get_json("/api/current-user/whoami", what="check the API token") == {"id": 7}
    assert server.count("GET", "/api/current-user/whoami") == 3
    assert_backoff(sleeps, 2)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_429_and_5xx_are_retried_then_pass(status: int) -> None:
    client, server, sleeps = make(lambda r, n: ok(status=status) if n == 1 else ok({"results": []}))
    assert client.projects() == []
    assert server.count("GET", "/api/projects/") == 2
    assert_backoff(sleeps, 1)


def test_a_timeout_that_repeats_ends_as_the_timeout_error_after_every_retry() -> None:
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client, server, sleeps = make(handler, retries=2)
    with pytest.raises(ServerTimeoutError) as caught:
        client.projects()
    assert server.count("GET", "/api/projects/") == 3
    assert_backoff(sleeps, 2)
    assert str(caught.value).startswith(
        f"Label Studio at {URL} did not answer within 5 s while trying to list projects (3 attempts); ")
    assert caught.value.status is None and caught.value.url == f"{URL}/api/projects/?page=1&page_size=100"
    assert isinstance(caught.value, ServerUnreachableError) and caught.value.transient


def test_a_snapshot_that_times_out_names_the_longer_timeout_it_had() -> None:
    """Snapshot requests get 60 s + 30 ms per task, not the 5 s of the others: the message says so."""
    def handler(request: httpx.Request, n: int) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    client, _, _ = make(handler)
    assert client.export_timeout(30000) == 960.0
    with pytest.raises(ServerTimeoutError) as caught:
        client.export_snapshot(1, tasks=30000)
    assert str(caught.value).startswith(
        f"Label Studio at {URL} did not answer within 960 s while trying to create an export snapshot; ")


def test_a_503_that_repeats_is_a_busy_error_carrying_status_and_url() -> None:
    client, server, sleeps = make(lambda r, n: httpx.Response(503, text="Service Unavailable"), retries=1)
    with pytest.raises(ServerBusyError) as caught:
        client.task_count(4)
    assert server.count("GET", "/api/tasks/") == 2
    assert_backoff(sleeps, 1)
    assert caught.value.status == 503
    assert caught.value.url == f"{URL}/api/tasks/?project=4&include=id&page_size=1"
    assert str(caught.value).startswith(
        f"Label Studio at {URL} answered HTTP 503 while trying to count tasks (2 attempts): Service Unavailable; ")


@pytest.mark.parametrize("status", [400, 404, 409])
def test_other_4xx_are_not_retried(status: int) -> None:
    client, server, sleeps = make(lambda r, n: ok({"detail": "no"}, status=status))
    with pytest.raises(LabelStudioError) as caught:
        client.task_count(4)
    assert server.count("GET", "/api/tasks/") == 1 and sleeps == []
    assert type(caught.value) is LabelStudioError and not caught.value.transient
    assert caught.value.status == status and caught.value.url.startswith(f"{URL}/api/tasks/?")
    assert str(caught.value) == f'Label Studio at {URL} answered HTTP {status} while trying to count tasks: ' \
                                '{"detail":"no"}'


def test_requests_that_are_not_safe_to_repeat_are_sent_once() -> None:
    """A retry after a lost answer could create the project, or import the tasks, twice."""
    client, server, sleeps = make(lambda r, n: httpx.Response(503, text="busy"))
    with pytest.raises(ServerBusyError) as created:
        client.create_project(title="t", label_config="<View/>", instructions_html="")
    with pytest.raises(ServerBusyError) as imported:
        client.import_tasks(3, [{"data": {"text": "x", "article_id": "a"}}])
    assert server.seen == [("POST", "/api/projects/"), ("POST", "/api/projects/3/import")] and sleeps == []
    assert "(1 attempts)" not in str(created.value) and "attempts" not in str(imported.value)
    assert imported.value.url == f"{URL}/api/projects/3/import?return_task_ids=true"


def test_retries_zero_means_one_try() -> None:
    client, server, sleeps = make(lambda r, n: httpx.Response(502), retries=0)
    with pytest.raises(ServerBusyError):
        client.users()
    assert server.count("GET", "/api/users/") == 1 and sleeps == []


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    for attempt in range(8):
        step = min(8.0, 0.5 * 2**attempt)
        waits = [backoff(attempt) for _ in range(200)]
        assert all(0.5 * step <= w <= 1.5 * step for w in waits)
        assert max(waits) - min(waits) > 0.3 * step  # jittered, not a fixed wait
    assert all(backoff(20) <= 12.0 for _ in range(100))


# -- what the errors say --------------------------------------------------------------------------

@pytest.mark.parametrize("status", [401, 403])
def test_a_rejected_token_is_an_auth_error_that_never_shows_the_token(status: int) -> None:
    # A server that echoes the Authorization header back in its error body.
    client, server, sleeps = make(lambda r, n: ok({"detail": f"bad {r.headers['Authorization']}"}, status=status))
    with pytest.raises(AuthError) as caught:
        client.check()
    assert server.count("GET", "/api/current-user/whoami") == 1 and sleeps == []
    assert str(caught.value) == (
        f"Label Studio at {URL} rejected the API token (HTTP {status}) while trying to check the API token; "
        "check --api-key / LABEL_STUDIO_API_KEY (Label Studio: Account & Settings → Personal Access Token)")
    assert caught.value.status == status and caught.value.url == f"{URL}/api/current-user/whoami"


def test_an_echoed_token_is_scrubbed_from_any_message() -> None:
    client, _, _ = make(lambda r, n: httpx.Response(400, text=f"token was {TOKEN}"))
    with pytest.raises(LabelStudioError) as caught:
        client.users()
    assert TOKEN not in str(caught.value) and "token was <api-key>" in str(caught.value)


@pytest.mark.parametrize("status", [200, 302])
def test_an_html_page_is_not_its_api(status: int) -> None:
    page = "<html><body>Please log in</body></html>"
    client, server, sleeps = make(lambda r, n: httpx.Response(status, text=page, headers={"Content-Type":
                                                                                          "text/html; charset=utf-8"}))
    with pytest.raises(BadResponseError) as caught:
        client.check()
    assert server.count("GET", "/api/current-user/whoami") == 1 and sleeps == []
    if status == 200:
        assert str(caught.value) == (
            f"Label Studio at {URL} sent an answer that is not its API's while trying to check the API token "
            f"(HTTP 200, text/html): {page}; check that --url / LABEL_STUDIO_URL points at Label Studio itself, "
            "not at a login page or another web server")
    assert caught.value.status == status and caught.value.url == f"{URL}/api/current-user/whoami"


def test_past_the_last_page_is_a_404_read_off_the_status_not_the_message() -> None:
    # page_size is 5000: a full first page makes the client ask for a second one, which 404s.
    rows = [{"id": i, "meta": {"article_id": f"a{i % 3}"}} for i in range(1, 5001)]
    client, server, sleeps = make(lambda r, n: ok({"tasks": rows}) if r.url.params["page"] == "1"
                                  else ok({"detail": "Invalid page."}, status=404))
    found = client.tasks_by_article(9)
    assert server.count("GET", "/api/tasks/") == 2 and sleeps == []
    assert sorted(found) == ["a0", "a1", "a2"] and sum(map(len, found.values())) == 5000
    assert found["a1"][:2] == [1, 4]


# -- push's imports: retried only after a re-check ----------------------------------------------

class FakeProject:
    """Just enough of project 3's task listing and import for `import_new_tasks`."""

    def __init__(self, import_rule: Callable[[int], str], list_rule: Callable[[int], str] = lambda n: "ok") -> None:
        self.tasks: dict[int, str] = {}  # task id -> article id
        self.import_rule, self.list_rule = import_rule, list_rule

    def __call__(self, request: httpx.Request, n: int) -> httpx.Response:
        if request.method == "POST" and request.url.path == "/api/projects/3/import":
            action = self.import_rule(n)
            if action == "503":
                return httpx.Response(503, text="busy")
            ids = []
            for task in json.loads(request.content):
                ids.append(len(self.tasks) + 1)
                self.tasks[ids[-1]] = task["data"]["article_id"]
            if action == "lost":  # committed, but the answer never arrives
                raise httpx.ReadError("connection reset", request=request)
            return ok({"task_ids": ids, "task_count": len(ids)}, status=201)
        if request.method == "GET" and request.url.path == "/api/tasks/":
            if self.list_rule(n) == "drop":
                raise httpx.ConnectError("refused", request=request)
            wanted = json.loads(request.url.params["query"])["filters"]["items"][0]["value"]
            rows = [{"id": t, "meta": {"article_id": a}} for t, a in self.tasks.items() if a in wanted]
            return ok({"tasks": rows, "total": len(rows)})
        raise AssertionError(f"unexpected {request.method} {request.url}")


def batch(*aids: str) -> list[dict[str, Any]]:
    return [{"data": {"text": f"text {a}", "article_id": a}} for a in aids]


def test_an_import_whose_answer_was_lost_is_rechecked_not_sent_again() -> None:
    fake = FakeProject(lambda n: "lost" if n == 1 else "ok")
    client, server, sleeps = make(fake)
    imported = client.import_new_tasks(3, batch("a", "b", "c"))
    assert server.count("POST", "/api/projects/3/import") == 1
    assert server.count("GET", "/api/tasks/") == 1
    assert imported.count == 3 and imported.task_ids == [1, 2, 3]
    assert sorted(fake.tasks.values()) == ["a", "b", "c"]
    assert_backoff(sleeps, 1)


def test_a_503_import_is_rechecked_then_sent_again_once() -> None:
    fake = FakeProject(lambda n: "503" if n == 1 else "ok")
    client, server, sleeps = make(fake)
    imported = client.import_new_tasks(3, batch("a", "b"))
    assert_backoff(sleeps, 1)
    assert server.seen == [("POST", "/api/projects/3/import"), ("GET", "/api/tasks/"),
                           ("POST", "/api/projects/3/import")]
    assert imported.count == 2 and imported.task_ids == [1, 2] and sorted(fake.tasks.values()) == ["a", "b"]


def test_nothing_is_imported_again_until_the_recheck_has_answered() -> None:
    # The import's answer is lost, then the first re-check fails all its own tries (the server is gone).
    fake = FakeProject(lambda n: "lost" if n == 1 else "ok", list_rule=lambda n: "drop" if n <= 3 else "ok")
    client, server, sleeps = make(fake, retries=2)
    imported = client.import_new_tasks(3, batch("a", "b"))
    assert server.seen == [("POST", "/api/projects/3/import")] + [("GET", "/api/tasks/")] * 4  # never sent twice
    assert imported.count == 2 and imported.task_ids == [1, 2] and len(fake.tasks) == 2
    assert len(sleeps) == 4  # 2 between the import's tries, 2 inside the failed re-check


def test_a_recheck_that_never_answers_ends_the_import_without_sending_it_again() -> None:
    fake = FakeProject(lambda n: "lost", list_rule=lambda n: "drop")
    client, server, _ = make(fake, retries=1)
    with pytest.raises(ServerUnreachableError, match=r"while trying to list the project's tasks \(2 attempts\)"):
        client.import_new_tasks(3, batch("a"))
    assert server.count("POST", "/api/projects/3/import") == 1


def test_an_import_that_keeps_failing_ends_with_the_busy_error() -> None:
    fake = FakeProject(lambda n: "503")
    client, server, sleeps = make(fake, retries=2)
    with pytest.raises(ServerBusyError) as caught:
        client.import_new_tasks(3, batch("a"))
    assert_backoff(sleeps, 2)
    assert server.count("POST", "/api/projects/3/import") == 3 and server.count("GET", "/api/tasks/") == 2
    assert str(caught.value).startswith(f"Label Studio at {URL} answered HTTP 503 while trying to import tasks "
                                        "(3 attempts): busy; ")
    assert fake.tasks == {}


def test_an_import_rejected_with_a_4xx_is_not_retried() -> None:
    client, server, sleeps = make(lambda r, n: ok({"detail": "bad tasks"}, status=400))
    with pytest.raises(LabelStudioError) as caught:
        client.import_new_tasks(3, batch("a"))
    assert server.seen == [("POST", "/api/projects/3/import")] and sleeps == []
    assert caught.value.status == 400


# -- server version ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("release", "supported"), [
    ("1.20.0", True), ("1.23.2", True), ("1.23.0rc1", True), ("1.23.1.dev3", True), ("1.23.2.post1", True),
    ("1.19.9", False), ("1.24.0", False), ("1.24.0rc1", False), ("1.24.1", False), ("2.0", False),
    ("1.20.0a1", True), ("not a version", False),
])
def test_supported_server_compares_pep440_versions(release: str, supported: bool) -> None:
    assert supported_server(release) is supported


def test_check_reads_the_version_and_refuses_one_outside_the_pin() -> None:
    def server_at(release: str) -> Handler:
        def handler(request: httpx.Request, n: int) -> httpx.Response:
            if request.url.path == "/api/version":
                return ok({"release": release})
            return ok({"id": 1})
        return handler

    client, _, _ = make(server_at("1.23.0rc1"))
    assert client.check() == {"user_id": 1, "version": "1.23.0rc1"}
    client, _, _ = make(server_at("1.24.0rc1"))
    with pytest.raises(ServerVersionError, match=r"is version 1\.24\.0rc1; incident-corpus speaks to 1\.20 ≤"):
        client.check()


# -- the export snapshot: plain HTTP through the same transport and the same loop ----------------------

def test_export_snapshot_is_retried_where_safe_and_cleaned_up() -> None:
    """Creating the snapshot is sent once; reading, downloading and deleting it are retried."""
    base = "/api/projects/3/exports/"

    def handler(request: httpx.Request, n: int) -> httpx.Response:
        path, method = request.url.path, request.method
        if (method, path) == ("POST", base):
            return ok({"id": 11, "status": "in_progress"}, status=201)
        if (method, path) == ("GET", f"{base}11"):
            return httpx.Response(502, text="bad gateway") if n == 1 else ok({"id": 11, "status": "completed"})
        if (method, path) == ("GET", f"{base}11/download"):
            assert request.url.params["exportType"] == "JSON"
            if n == 1:
                raise httpx.ReadError("cut mid-body", request=request)
            return httpx.Response(200, content=b'[{"id": 1}]')
        if (method, path) == ("DELETE", f"{base}11"):
            return httpx.Response(204)
        raise AssertionError(f"unexpected {method} {request.url}")

    client, server, sleeps = make(handler)
    assert client.export_snapshot(3, tasks=1) == b'[{"id": 1}]'
    assert server.count("POST", base) == 1 and server.count("GET", f"{base}11") == 2
    assert server.count("GET", f"{base}11/download") == 2 and server.count("DELETE", f"{base}11") == 1
    assert len(sleeps) == 3  # one backoff each for the 502 and the cut download, one 0.5 s poll
    assert 0.5 in sleeps


def test_a_failed_snapshot_create_is_not_retried_and_carries_its_status() -> None:
    client, server, sleeps = make(lambda r, n: httpx.Response(503, json={"detail": "busy"}))
    with pytest.raises(ServerBusyError) as caught:
        client.export_snapshot(3, tasks=1)
    assert server.seen == [("POST", "/api/projects/3/exports/")] and sleeps == []
    assert caught.value.status == 503 and caught.value.url == f"{URL}/api/projects/3/exports/"
    assert str(caught.value).startswith(f"Label Studio at {URL} answered HTTP 503 while trying to create an export "
                                        'snapshot: {"detail":"busy"}; ')
