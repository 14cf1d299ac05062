"""Faults proved against the live server: a server stopped mid-push and mid-pull, and a loopback
proxy in front of the real server that delays, drops, cuts, answers 503 or rewrites answers.

Every wait has a timeout; the proxy binds 127.0.0.1 only and forwards to the test server.
Tests that stop a server use their own copy of the test studio on a free port, never the shared one.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from incident_corpus.cli import cli
from incident_corpus.core import resources
from incident_corpus.ingest.articles import Article
from incident_corpus.studio import server as studio
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection, read_credentials
from incident_corpus.studio.tasks import build_task, instructions_html
from tests.helpers import copy_studio, write_articles

pytestmark = pytest.mark.integration

UNREACHABLE_TAIL = " — is it running? try `annotate studio start`, or check --url / LABEL_STUDIO_URL\n"
OUTPUTS = ("annotations.jsonl", "quarantine.jsonl", "report.json", "agreement.json")


# -- the fault proxy ---------------------------------------------------------------------------

Action = tuple[Any, ...]
PASS: Action = ("pass",)
DROP: Action = ("drop",)  # close the connection without an answer


@dataclass
class FaultProxy:
    """A threaded HTTP relay on 127.0.0.1 in front of `upstream`; `rule(method, path, n)` picks what
    happens to the n-th (1-based) request with that method and path. Every request is counted."""

    upstream: str
    rule: Callable[[str, str, int], Action] = lambda method, path, n: PASS
    seen: list[tuple[str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _release: threading.Event = field(default_factory=threading.Event)

    def count(self, method: str, pattern: str) -> int:
        with self._lock:
            return sum(1 for m, p in self.seen if m == method and re.fullmatch(pattern, p))

    def _next(self, method: str, path: str) -> Action:
        with self._lock:
            self.seen.append((method, path))
            n = sum(1 for m, p in self.seen if (m, p) == (method, path))
        return self.rule(method, path, n)

    def __enter__(self) -> FaultProxy:
        proxy = self
        up = urlsplit(self.upstream)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 30  # a client that stops sending cannot hold a thread for ever

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _any(self) -> None:
                self.close_connection = True
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlsplit(self.path).path
                action = proxy._next(self.command, path)
                kind = action[0]
                if kind == "drop":
                    return
                if kind == "status":
                    self._send(action[1], "text/plain", action[2].encode())
                    return
                if kind == "body":
                    self._send(action[1], action[2], action[3])
                    return
                if kind == "delay":
                    proxy._release.wait(action[1])
                if kind == "hook":
                    action[1]()
                try:
                    status, headers, data = self._forward(body)
                except OSError:  # upstream gone: behave like it
                    return
                if kind == "forward_then_drop":
                    return
                if kind == "rewrite":
                    data = action[1](data)
                if kind == "cut":  # promise the whole body, send part of it, hang up
                    self._send(status, headers.get("Content-Type", ""), data[: len(data) // 3], length=len(data))
                    return
                self._send(status, headers.get("Content-Type", ""), data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

            def _forward(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
                conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
                try:
                    skip = {"host", "connection", "keep-alive", "accept-encoding", "content-length"}
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in skip}
                    headers["Content-Length"] = str(len(body))
                    conn.request(self.command, self.path, body=body or None, headers=headers)
                    resp = conn.getresponse()
                    return resp.status, dict(resp.getheaders()), resp.read()
                finally:
                    conn.close()

            def _send(self, status: int, ctype: str, data: bytes, *, length: int | None = None) -> None:
                with contextlib.suppress(OSError):  # the client may have given up already
                    self.send_response(status)
                    if ctype:
                        self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data) if length is None else length))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(data)
                    self.wfile.flush()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


def on(method: str, pattern: str, action: Callable[[int], Action]) -> Callable[[str, str, int], Action]:
    """A rule: requests matching method and path pattern get action(n); all others pass."""
    def rule(m: str, path: str, n: int) -> Action:
        return action(n) if m == method and re.fullmatch(pattern, path) else PASS
    return rule


def invoke(args: list[str], *, url: str, api_key: str, tmp_path: Path) -> Any:
    env = {"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": api_key,
           "INCIDENT_CORPUS_STUDIO_DIR": str(tmp_path / "no-studio"), "LABEL_STUDIO_RETRIES": None,
           "LABEL_STUDIO_TIMEOUT": None}
    return CliRunner().invoke(cli, args, env=env)


# -- a studio of our own, which these tests may stop ---------------------------------------------

@dataclass
class OwnStudio:
    data_dir: Path
    port: int
    token: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        studio.start(data_dir=self.data_dir, port=self.port, timeout=90)

    def stop(self) -> None:
        studio.stop(data_dir=self.data_dir, timeout=15)

    def conn(self, **kw: Any) -> Connection:
        return Connection(url=self.url, api_key=self.token, **{"timeout": 30, "retries": 2, **kw})


@pytest.fixture(scope="module")
def own(studio_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnStudio]:
    data_dir = copy_studio(studio_dir, tmp_path_factory.mktemp("own") / "studio")
    s = OwnStudio(data_dir=data_dir, port=studio.free_port(), token=read_credentials(data_dir)["token"])
    s.start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def annotated(own: OwnStudio) -> str:
    """A project on our own studio with three tasks: two annotated (one of them quarantined), one not."""
    title = f"faults {uuid.uuid4().hex[:8]}"
    with Client(own.conn()) as c:
        project = c.create_project(title=title, label_config=resources.label_config(),
                                   instructions_html=instructions_html())
        texts = ["Gunmen stormed the market, killing nine shoppers.", "A car bomb exploded near the ministry.",
                 "The bridge reopened on Monday."]
        ids = c.import_tasks(project.id, [build_task(Article(text=t).task_data()) for t in texts])
        good = [{"id": "g1", "from_name": "label", "to_name": "text", "type": "labels",
                 "value": {"start": 0, "end": 6, "text": "Gunmen", "labels": ["PERPETRATOR"]}},
                {"id": "g2", "from_name": "label", "to_name": "text", "type": "labels",
                 "value": {"start": 7, "end": 14, "text": "stormed", "labels": ["ATTACK"]}}]
        bad = [{"id": "b1", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 2, "end": 10, "text": "car bomb", "labels": ["WEAPON"]}}]
        c.sdk.annotations.create(id=ids[0], result=good)
        c.sdk.annotations.create(id=ids[1], result=bad)
    return title


def read_outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in OUTPUTS}


# -- a server stopped under a command ------------------------------------------------------------

def test_server_stopped_mid_push_fails_clearly_and_a_rerun_gives_one_task_per_article(
    own: OwnStudio, tmp_path: Path,
) -> None:
    title = f"midpush {uuid.uuid4().hex[:8]}"
    src = write_articles(tmp_path / "many.jsonl", 300)
    env = {**os.environ, "LABEL_STUDIO_URL": own.url, "LABEL_STUDIO_API_KEY": own.token,
           "INCIDENT_CORPUS_STUDIO_DIR": str(tmp_path / "no-studio")}
    cmd = [sys.executable, "-m", "incident_corpus", "push", str(src), "--project", title, "--no-pre-annotate",
           "--batch-size", "2", "--retries", "1", "--timeout", "10", "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with Client(own.conn()) as c:
            deadline = time.monotonic() + 60
            project = None
            while time.monotonic() < deadline and proc.poll() is None:
                project = project or c.find_project(title)
                if project and c.task_count(project.id) >= 21:
                    break
                time.sleep(0.05)
        assert proc.poll() is None, "the push finished before the server could be stopped"
        own.stop()  # by its PID, while the push is importing
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        own.start()
    assert proc.returncode == 1
    assert "Traceback" not in stderr
    assert re.fullmatch(
        re.escape(f"Error: cannot reach Label Studio at {own.url} (connection failed while trying to ")
        + r"(import tasks|list the project's tasks|count tasks)( \(2 attempts\))?\)" + re.escape(UNREACHABLE_TAIL),
        stderr,
    ), stderr

    with Client(own.conn()) as c:
        project = c.get_project(title)
        before_rerun = c.task_count(project.id)
        assert 21 <= before_rerun < 300
        rerun = subprocess.run([*cmd[:-1], "--json"], env=env, capture_output=True, text=True, timeout=120)
        assert rerun.returncode == 0, rerun.stderr
        summary = json.loads(rerun.stdout)
        assert summary["created"] == 300 - before_rerun
        by_article = c.tasks_by_article(project.id)
    assert len(by_article) == 300
    assert all(len(ids) == 1 for ids in by_article.values())


def test_server_stopped_mid_pull_leaves_the_good_outputs_and_a_rerun_gives_the_same(
    own: OwnStudio, annotated: str, tmp_path: Path,
) -> None:
    out = tmp_path / "export"
    with FaultProxy(own.url) as proxy:
        args = ["pull", "--project", annotated, "--out", str(out), "--timeout", "30", "--retries", "1", "-q"]
        first = invoke(args, url=proxy.url, api_key=own.token, tmp_path=tmp_path)
        assert first.exit_code == 0, first.output
        good = read_outputs(out)
        assert good["annotations.jsonl"].count(b"\n") == 1 and good["quarantine.jsonl"].count(b"\n") == 1
        raws = sorted((out / "raw").iterdir())
        assert len(raws) == 1

        # The snapshot is made; the server goes away as its download starts.
        proxy.rule = on("GET", r"/api/projects/\d+/exports/\d+/download", lambda n: ("hook", own.stop))
        try:
            failed = invoke(args, url=proxy.url, api_key=own.token, tmp_path=tmp_path)
        finally:
            own.start()
        assert failed.exit_code == 1
        assert failed.output == (f"Error: cannot reach Label Studio at {proxy.url} (connection failed while trying "
                                 f"to download the export snapshot (2 attempts)){UNREACHABLE_TAIL}")
        assert proxy.count("GET", r"/api/projects/\d+/exports/\d+/download") == 1 + 2  # good pull, 2 attempts
        assert read_outputs(out) == good
        assert sorted((out / "raw").iterdir()) == raws
        assert not [p for p in out.rglob("*") if p.name.startswith(".")], "a temp file was left behind"

        proxy.rule = lambda method, path, n: PASS
        again = invoke(args, url=proxy.url, api_key=own.token, tmp_path=tmp_path)
    assert again.exit_code == 0, again.output
    assert read_outputs(out) == good
    raws_now = sorted((out / "raw").iterdir())
    assert len(raws_now) == 2
    assert json.loads(raws_now[-1].read_bytes()) == json.loads(raws[0].read_bytes())


def test_a_download_cut_mid_body_is_retried_and_a_cut_that_repeats_fails_clearly(
    own: OwnStudio, annotated: str, tmp_path: Path,
) -> None:
    good_dir, out = tmp_path / "good", tmp_path / "export"
    download = r"/api/projects/\d+/exports/\d+/download"
    with FaultProxy(own.url) as proxy:
        base = ["pull", "--project", annotated, "--retries", "1", "-q"]
        assert invoke([*base, "--out", str(good_dir)], url=proxy.url, api_key=own.token,
                      tmp_path=tmp_path).exit_code == 0
        good = read_outputs(good_dir)

        proxy.rule = on("GET", download, lambda n: ("cut",) if n == 1 else PASS)
        once = invoke([*base, "--out", str(out)], url=proxy.url, api_key=own.token, tmp_path=tmp_path)
        assert once.exit_code == 0, once.output
        assert read_outputs(out) == good
        assert proxy.count("GET", download) == 3  # good pull, cut, retried

        proxy.rule = on("GET", download, lambda n: ("cut",))
        always = invoke([*base, "--out", str(out)], url=proxy.url, api_key=own.token, tmp_path=tmp_path)
    assert always.exit_code == 1
    assert always.output == (f"Error: cannot reach Label Studio at {proxy.url} (connection failed while trying to "
                             f"download the export snapshot (2 attempts)){UNREACHABLE_TAIL}")
    assert read_outputs(out) == good
    assert len(list((out / "raw").iterdir())) == 1


# -- a slow, flaky or strange server, through the proxy -------------------------------------------

def test_a_server_slower_than_the_timeout_gives_the_timeout_error_after_the_retries(
    conn: Connection, tmp_path: Path,
) -> None:
    with FaultProxy(conn.url, on("GET", "/api/projects/", lambda n: ("delay", 5))) as proxy:
        started = time.monotonic()
        result = invoke(["pull", "--project", "x", "--out", str(tmp_path / "out"), "--timeout", "1",
                         "--retries", "1"], url=proxy.url, api_key=conn.api_key, tmp_path=tmp_path)
        elapsed = time.monotonic() - started
        assert proxy.count("GET", "/api/projects/") == 2
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Label Studio at {proxy.url} did not answer within 1 s while trying to list projects (2 attempts); "
        "it is busy or stuck — try again, raise --timeout / LABEL_STUDIO_TIMEOUT, or restart it "
        "(`annotate studio stop`, then `annotate studio start`)\n"
    )
    assert elapsed < 5
    assert not (tmp_path / "out").exists()


def test_transient_503s_and_dropped_connections_are_retried_and_the_push_succeeds(
    conn: Connection, client: Client, project_title: str, tmp_path: Path,
) -> None:
    def rule(method: str, path: str, n: int) -> Action:
        if path == "/api/current-user/whoami" and n <= 2:
            return ("status", 503, "Service Unavailable (fault proxy)")
        if path == "/api/projects/" and method == "GET" and n == 1:
            return DROP
        if re.fullmatch(r"/api/projects/\d+/import", path) and n == 1:
            return ("status", 503, "Service Unavailable (fault proxy)")
        return PASS

    src = write_articles(tmp_path / "five.jsonl", 5, tag=project_title)
    with FaultProxy(conn.url, rule) as proxy:
        result = invoke(["push", str(src), "--project", project_title, "--no-pre-annotate", "--json"],
                        url=proxy.url, api_key=conn.api_key, tmp_path=tmp_path)
        assert result.exit_code == 0, result.output
        assert proxy.count("GET", "/api/current-user/whoami") == 3
        assert proxy.count("GET", "/api/projects/") >= 2
        assert proxy.count("POST", r"/api/projects/\d+/import") == 2
    assert json.loads(result.stdout)["created"] == 5
    by_article = client.tasks_by_article(client.get_project(project_title).id)
    assert len(by_article) == 5 and all(len(t) == 1 for t in by_article.values())


def test_an_import_whose_answer_is_lost_is_not_imported_twice(
    conn: Connection, client: Client, project_title: str, tmp_path: Path,
) -> None:
    src = write_articles(tmp_path / "seven.jsonl", 7, tag=project_title)
    # The server commits the import; the answer never reaches push.
    rule = on("POST", r"/api/projects/\d+/import", lambda n: ("forward_then_drop",) if n == 1 else PASS)
    with FaultProxy(conn.url, rule) as proxy:
        result = invoke(["push", str(src), "--project", project_title, "--no-pre-annotate", "--json"],
                        url=proxy.url, api_key=conn.api_key, tmp_path=tmp_path)
        assert result.exit_code == 0, result.output
        assert proxy.count("POST", r"/api/projects/\d+/import") == 1  # the re-check found them: no second import
    summary = json.loads(result.stdout)
    assert summary["created"] == 7 and summary["duplicate_tasks_removed"] == 0
    by_article = client.tasks_by_article(client.get_project(project_title).id)
    assert len(by_article) == 7 and all(len(t) == 1 for t in by_article.values())


@pytest.mark.parametrize(("action", "expected"), [
    (("status", 503, "Service Unavailable (fault proxy)"),
     "Error: Label Studio at {url} answered HTTP 503 while trying to list projects (3 attempts): Service "
     "Unavailable (fault proxy); the server is overloaded or failing — see its log (the embedded studio's is "
     "server.log in its folder) and try again; --retries / LABEL_STUDIO_RETRIES sets how often to retry\n"),
    (DROP, "Error: cannot reach Label Studio at {url} (connection failed while trying to list projects "
           "(3 attempts))" + UNREACHABLE_TAIL),
], ids=["503", "dropped"])
def test_a_request_that_keeps_failing_ends_with_the_clear_error_after_the_retries(
    conn: Connection, tmp_path: Path, action: Action, expected: str,
) -> None:
    with FaultProxy(conn.url, on("GET", "/api/projects/", lambda n: action)) as proxy:
        result = invoke(["pull", "--project", "x", "--out", str(tmp_path / "out"), "--retries", "2"],
                        url=proxy.url, api_key=conn.api_key, tmp_path=tmp_path)
        assert proxy.count("GET", "/api/projects/") == 3
    assert result.exit_code == 1
    assert result.output == expected.format(url=proxy.url)


def test_import_is_never_blindly_retried_on_a_plain_4xx(conn: Connection, project_title: str,
                                                       tmp_path: Path) -> None:
    rule = on("POST", r"/api/projects/\d+/import", lambda n: ("body", 400, "application/json",
                                                              b'{"detail": "bad tasks"}'))
    with FaultProxy(conn.url, rule) as proxy:
        result = invoke(["push", str(write_articles(tmp_path / "a.jsonl", 2, tag=project_title)), "--project",
                         project_title, "--no-pre-annotate", "-q"], url=proxy.url, api_key=conn.api_key,
                        tmp_path=tmp_path)
        assert proxy.count("POST", r"/api/projects/\d+/import") == 1
    assert result.exit_code == 1
    assert result.output == (f'Error: Label Studio at {proxy.url} answered HTTP 400 while trying to import tasks: '
                             '{"detail": "bad tasks"}\n')


@pytest.mark.parametrize("release", ["1.19.0", "1.24.1"])
def test_a_server_version_outside_the_sdk_pin_is_refused(conn: Connection, tmp_path: Path, release: str) -> None:
    def rewrite(data: bytes) -> bytes:
        info = json.loads(data)
        info["release"] = release
        info["label-studio-os-package"]["version"] = release
        return json.dumps(info).encode()

    with FaultProxy(conn.url, on("GET", "/api/version", lambda n: ("rewrite", rewrite))) as proxy:
        result = invoke(["push", str(write_articles(tmp_path / "a.jsonl", 1)), "--project", "never created",
                         "--no-pre-annotate"], url=proxy.url, api_key=conn.api_key, tmp_path=tmp_path)
        assert proxy.count("POST", "/api/projects/") == 0
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Label Studio at {proxy.url} is version {release}; incident-corpus speaks to 1.20 ≤ version < 1.24 "
        "(label-studio-sdk 2.1.2); use label-studio==1.23.2 or upgrade incident-corpus\n"
    )


def test_answers_that_are_not_the_api_give_a_clear_error_not_a_traceback(
    conn: Connection, project_title: str, tmp_path: Path,
) -> None:
    page = b"<html><body>Please log in</body></html>"
    # A GET through our own httpx path, then a POST through the SDK (which raises ApiError on non-JSON).
    with FaultProxy(conn.url, on("GET", "/api/current-user/whoami", lambda n: ("body", 200, "text/html", page))) as p:
        result = invoke(["pull", "--project", "x", "--out", str(tmp_path / "o")], url=p.url, api_key=conn.api_key,
                        tmp_path=tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Label Studio at {p.url} sent an answer that is not its API's while trying to check the API token "
        "(HTTP 200, text/html): <html><body>Please log in</body></html>; check that --url / LABEL_STUDIO_URL points "
        "at Label Studio itself, not at a login page or another web server\n"
    )
    with FaultProxy(conn.url, on("POST", "/api/projects/", lambda n: ("body", 200, "text/html", page))) as p:
        result = invoke(["push", str(write_articles(tmp_path / "a.jsonl", 1)), "--project", project_title,
                         "--no-pre-annotate"], url=p.url, api_key=conn.api_key, tmp_path=tmp_path)
        assert p.count("POST", "/api/projects/") == 1  # creating a project is never retried
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Label Studio at {p.url} sent an answer that is not its API's while trying to create the project "
        "(HTTP 200, text/html): <html><body>Please log in</body></html>; check that --url / LABEL_STUDIO_URL points "
        "at Label Studio itself, not at a login page or another web server\n"
    )


def test_a_wrong_token_is_rejected_with_the_exact_message_and_never_echoed(conn: Connection, tmp_path: Path) -> None:
    wrong = "WRONG-TOKEN-" + uuid.uuid4().hex
    for args in (["pull", "--project", "x", "--out", str(tmp_path / "o")],
                 ["push", str(write_articles(tmp_path / "a.jsonl", 1)), "--project", "x", "--no-pre-annotate"]):
        result = invoke(args, url=conn.url, api_key=wrong, tmp_path=tmp_path)
        assert result.exit_code == 1
        assert result.output == (
            f"Error: Label Studio at {conn.url} rejected the API token (HTTP 401) while trying to check the API "
            "token; check --api-key / LABEL_STUDIO_API_KEY (Label Studio: Account & Settings → Personal Access Token)\n"
        )
        assert wrong not in result.output and wrong[12:] not in result.output
    assert not (tmp_path / "o").exists()


def test_a_snapshot_that_takes_longer_than_the_request_timeout_is_still_pulled(
    conn: Connection, client: Client, project_title: str, tmp_path: Path,
) -> None:
    """The server builds the snapshot inside one request (~45 s for 10k tasks); --timeout is per
    ordinary request and must not cut it off."""
    project = client.create_project(title=project_title, label_config=resources.label_config(),
                                    instructions_html="<p/>")
    [task_id] = client.import_tasks(project.id, [{"data": {"text": "A bomb exploded.", "article_id": "00" * 8}}])
    client.sdk.annotations.create(id=task_id, result=[])
    with FaultProxy(conn.url, on("POST", r"/api/projects/\d+/exports/?", lambda n: ("delay", 3))) as proxy:
        result = invoke(["pull", "--project", project_title, "--out", str(tmp_path / "out"), "--timeout", "1",
                         "--retries", "0", "-q"], url=proxy.url, api_key=conn.api_key, tmp_path=tmp_path)
        assert proxy.count("POST", r"/api/projects/\d+/exports/?") == 1
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "annotations.jsonl").read_text().count("\n") == 1
