"""`annotate serve` against the real Label Studio the test command starts (nothing mocked on its side):
the server registers and health-checks the backend, its "Retrieve predictions" action fills tasks
imported without any, and its uncertainty sampling hands out the least certain task first."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from incident_corpus.pipeline.serve import UNCERTAINTY, connect_backend
from incident_corpus.studio.client import Client
from incident_corpus.studio.connection import Connection
from incident_corpus.studio.server import free_port
from tests.helpers import invoke_cli, start_serve

pytestmark = pytest.mark.integration

# Rule scores differ: an article with no attack gets 0.0 (the least certain), the others more.
ARTICLES = [
    {"text": "Gunmen attacked a police post in Dunmore on Monday, killing four officers. "
             "The Northern Front claimed responsibility.", "title": "Dunmore"},
    {"text": "The Marrow Point bridge reopened to traffic on Tuesday after three months of repairs.",
     "title": "Bridge"},
    {"text": "A car bomb exploded near the Velmora market, injuring nine people.", "title": "Velmora"},
]


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    project: str
    project_id: int
    lines: list[str]
    ready: dict[str, Any]


@pytest.fixture()
def served(conn: Connection, client: Client, project_title: str, tmp_path: Path,
           cli_env: dict[str, str]) -> Iterator[Served]:
    batch = tmp_path / "articles.jsonl"
    batch.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    invoke_cli(["push", str(batch), "--project", project_title, "--no-pre-annotate", "-q"], env=cli_env)
    project_id = client.get_project(project_title).id
    port = free_port()
    env = {**os.environ, **cli_env}
    proc, lines, ready = start_serve(["--project", project_title, "--connect", "--port", str(port),
                                      "--workdir", str(tmp_path / "serve")], env)
    try:
        yield Served(proc=proc, url=f"http://127.0.0.1:{port}", project=project_title, project_id=project_id,
                     lines=lines, ready=ready)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_connect_registers_once_and_the_server_shows_it_connected(served: Served, client: Client,
                                                                  conn: Connection) -> None:
    version = served.ready["model_version"]
    assert served.ready["connected"]["created"] is True
    backends = client.ml_backends(served.project_id)
    assert len(backends) == 1
    assert backends[0]["url"] == served.url and backends[0]["readable_state"] == "Connected"
    assert backends[0]["title"] == version and backends[0]["is_interactive"] is True
    settings = client.project_settings(served.project_id)
    assert settings["sampling"] == UNCERTAINTY and settings["model_version"] == version
    assert settings["show_collab_predictions"] is True
    again = connect_backend(connection=conn, project=served.project, backend_url=served.url, model_version=version,
                            retrain_after=0)
    assert again.created is False and again.backend_id == backends[0]["id"]
    assert len(client.ml_backends(served.project_id)) == 1


def test_retrieve_predictions_fills_tasks_and_uncertainty_sampling_serves_the_least_certain_first(
        served: Served, client: Client) -> None:
    version = served.ready["model_version"]
    r = client.http.post("/api/dm/actions", params={"id": "retrieve_tasks_predictions", "project": served.project_id},
                         json={"selectedItems": {"all": True, "excluded": []}})
    assert r.status_code == 200, r.text
    tasks = client.get_json("/api/tasks/", params={"project": served.project_id, "fields": "all", "page_size": 100},
                            what="list tasks")["tasks"]
    assert len(tasks) == len(ARTICLES)
    scores: dict[int, float] = {}
    for task in tasks:
        preds = client.get_json("/api/predictions/", params={"task": task["id"]}, what="list predictions")
        mine = [p for p in preds if p["model_version"] == version]
        assert len(mine) == 1, preds
        text = task["data"]["text"]
        for item in mine[0]["result"]:
            if "start" in item.get("value", {}):
                assert text[item["value"]["start"]:item["value"]["end"]] == item["value"]["text"]
        scores[task["id"]] = mine[0]["score"]
    least = min(scores, key=lambda k: scores[k])
    assert sorted(scores.values())[0] < sorted(scores.values())[1], scores  # the order is known, not a tie
    nxt = client.get_json(f"/api/projects/{served.project_id}/next/", what="next task")
    assert nxt["id"] == least


def test_concurrent_predictions_all_succeed_and_the_token_is_never_logged(served: Served, conn: Connection) -> None:
    body = {"tasks": [{"id": i, "data": {"text": a["text"]}} for i, a in enumerate(ARTICLES)]}

    def call(_: int) -> int:
        return httpx.post(f"{served.url}/predict", json=body, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(call, range(200)))
    assert codes == [200] * 200
    health = httpx.get(f"{served.url}/health", timeout=10).json()
    assert health["status"] == "UP"
    # The server sent its access token in /setup (at registration): it must not be in the log.
    time.sleep(0.5)
    log = "".join(served.lines)
    assert conn.api_key not in log
    assert served.url in json.dumps(served.ready)


def test_serve_refuses_a_busy_port_and_connect_without_project(served: Served, cli_env: dict[str, str]) -> None:
    port = served.url.rsplit(":", 1)[1]
    busy = invoke_cli(["serve", "--port", port], code=1, env=cli_env)
    assert f"cannot listen on 127.0.0.1:{port}" in busy.output
    alone = invoke_cli(["serve", "--connect", "--port", str(free_port())], code=1, env=cli_env)
    assert "--connect needs --project" in alone.output


