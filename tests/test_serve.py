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
from tests.helpers import invoke_cli, start_serve, stop_serve

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
        stop_serve(proc)


def test_connect_registers_once_and_the_server_shows_it_connected(served: Served, client: Client,
                                                                  conn: Connection) -> None:
    version = served.ready["model_version"]
    assert served.ready["connected"]["created"] is True
    backends = client.ml_backends(served.project_id)
    assert len(backends) == 1
    assert backends[0]["url"] == served.url and backends[0]["readable_state"] == "Connected"
    assert backends[0]["title"] == version and backends[0]["is_interactive"] is True
    settings = client.project_info(served.project_id)
    assert settings["sampling"] == UNCERTAINTY and settings["model_version"] == version
    assert settings["show_collab_predictions"] is True
    again = connect_backend(connection=conn, project=served.project, backend_url=served.url, model_version=version,
                            retrain_after=0)
    assert again.created is False and again.backend_id == backends[0]["id"]
    assert len(client.ml_backends(served.project_id)) == 1


def test_retrieve_predictions_fills_tasks_and_uncertainty_sampling_serves_the_least_certain_first(
        served: Served, client: Client, cli_env: dict[str, str]) -> None:
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
    status = json.loads(invoke_cli(["status", "--project", served.project, "--json"], env=cli_env).output)
    assert status["model_version"] == version
    assert status["ml_backends"] == [{"title": version, "url": served.url, "state": "Connected"}]
    assert status["tasks_with_current_predictions"] == len(ARTICLES)


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




def _push_plain(docs: list[dict[str, Any]], tmp_path: Path, project_title: str, cli_env: dict[str, str],
                client: Client) -> int:
    """Push synthetic articles without pre-annotations (the model alone is under test); the project's id."""
    batch = tmp_path / "articles.jsonl"
    batch.write_text("".join(json.dumps({"text": d["text"], "title": d["title"]}) + "\n" for d in docs),
                     encoding="utf-8")
    invoke_cli(["push", str(batch), "--project", project_title, "--no-pre-annotate", "-q"], env=cli_env)
    return client.get_project(project_title).id


def _wait(what: str, fn: Any, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def test_annotations_retrain_the_model_which_survives_a_kill_mid_training(
        conn: Connection, client: Client, project_title: str, tmp_path: Path, cli_env: dict[str, str]) -> None:
    """N annotations (webhooks) → one background retrain through pull/export/train → the new model_version is
    served and becomes the project's; a backend killed mid-training restarts on a whole model."""
    import random

    from benchmarks.synthetic import article, result_items

    docs = [article(random.Random(f"serve-retrain:{i}"), size=500) for i in range(12)]
    project_id = _push_plain(docs, tmp_path, project_title, cli_env, client)
    workdir = tmp_path / "serve"
    env = {**os.environ, **cli_env}
    args = ["--project", project_title, "--connect", "--retrain-after", str(len(docs)), "--max-steps", "20",
            "--folds", "2", "--workdir", str(workdir)]
    port = free_port()
    proc, lines, ready = start_serve([*args, "--port", str(port)], env)
    url = f"http://127.0.0.1:{port}"
    try:
        rules_version = ready["model_version"]
        by_text = {d["text"]: d for d in docs}
        tasks = client.get_json("/api/tasks/", params={"project": project_id, "fields": "all", "page_size": 100},
                                what="list tasks")["tasks"]
        for task in tasks:
            d = by_text[task["data"]["text"]]
            client.sdk.annotations.create(id=task["id"], result=result_items(d["spans"], d["relations"]),
                                          was_cancelled=False, ground_truth=False, lead_time=3.0)
        health = _wait("the retraining to finish", lambda: (h := httpx.get(f"{url}/health", timeout=10).json())
                       and h["training"]["finished"] + h["training"]["failed"] >= 1 and not h["training"]["running"]
                       and h, timeout=600)
        assert health["training"]["failed"] == 0, (health, "".join(lines))
        assert health["training"]["started"] == 1, health  # twelve webhooks, one retrain
        new_version = health["model_version"]
        assert new_version != rules_version and "+incident-ner-" in new_version
        served = httpx.post(f"{url}/predict", json={"tasks": [{"id": 1, "data": {"text": docs[0]["text"]}}]},
                            timeout=60).json()
        assert served["results"][0]["model_version"] == new_version
        assert client.project_info(project_id)["model_version"] == new_version
        pointer = json.loads((workdir / "current.json").read_text(encoding="utf-8"))
        assert (Path(pointer["model_dir"]) / "meta.json").is_file()
        assert conn.api_key not in "".join(lines)
        holding = [str(f) for f in workdir.rglob("*") if f.is_file() and conn.api_key.encode() in f.read_bytes()]
        assert not holding, f"the API token was written into {holding}"

        # Kill it in the middle of the next training: the restart serves a whole model.
        assert httpx.post(f"{url}/webhook", json={"action": "START_TRAINING"}, timeout=10).json()["training_started"]
        _wait("a run folder", lambda: list((workdir / "runs").glob("run-*")), timeout=60)
        proc.kill()
        proc.wait(15)
    finally:
        if proc.poll() is None:
            proc.kill()
    port = free_port()
    proc, lines, ready = start_serve(["--workdir", str(workdir), "--port", str(port)], env)
    try:
        assert ready["model_version"] == new_version  # the last finished model, from current.json
        assert not list((workdir / "runs").glob("run-*"))  # the killed run was cleaned up
        again = httpx.post(f"http://127.0.0.1:{port}/predict",
                           json={"tasks": [{"id": 1, "data": {"text": docs[1]["text"]}}]}, timeout=60)
        assert again.status_code == 200 and again.json()["results"][0]["model_version"] == new_version
    finally:
        stop_serve(proc)


def test_the_first_three_annotations_of_a_fresh_project_train_a_model_that_keeps_the_rules_spans(
        client: Client, project_title: str, tmp_path: Path, cli_env: dict[str, str]) -> None:
    """`serve --retrain-after 3` on six tasks: three annotations (each webhook posted from inside its
    create request, no Redis) → a training on exactly those three articles (none missed by the pull,
    no validation split needed) → a new model_version served, whose merge keeps every span of the rules."""
    import random

    from benchmarks.synthetic import article, result_items
    from incident_corpus.pipeline.serve import load_predictor

    docs = [article(random.Random(f"serve-first:{i}"), size=400) for i in range(6)]
    project_id = _push_plain(docs, tmp_path, project_title, cli_env, client)
    workdir = tmp_path / "serve"
    port = free_port()
    proc, lines, ready = start_serve(["--project", project_title, "--connect", "--retrain-after", "3",
                                      "--max-steps", "10", "--workdir", str(workdir), "--port", str(port)],
                                     {**os.environ, **cli_env})
    url = f"http://127.0.0.1:{port}"
    try:
        by_text = {d["text"]: d for d in docs}
        tasks = client.get_json("/api/tasks/", params={"project": project_id, "fields": "all", "page_size": 100},
                                what="list tasks")["tasks"]
        assert len(tasks) == 6
        for task in tasks[:3]:
            d = by_text[task["data"]["text"]]
            client.sdk.annotations.create(id=task["id"], result=result_items(d["spans"], d["relations"]),
                                          was_cancelled=False, ground_truth=False, lead_time=3.0)
        health = _wait("the first training", lambda: (h := httpx.get(f"{url}/health", timeout=10).json())
                       and h["training"]["last_outcome"] is not None and not h["training"]["running"] and h,
                       timeout=300)
        assert health["training"]["last_outcome"] == "finished", (health, "".join(lines))
        assert health["training"]["started"] == 1 and health["model_version"] != ready["model_version"]
        pointer = json.loads((workdir / "current.json").read_text(encoding="utf-8"))
        block = json.loads((Path(pointer["model_dir"]) / "meta.json").read_text())["incident_corpus"]
        # The pull saw all three annotations, the third one's webhook included.
        assert block["articles"]["train"] + block["articles"]["validation"] == 3, block["articles"]
        texts = [t["data"]["text"] for t in tasks]
        body = {"tasks": [{"id": t["id"], "data": {"text": t["data"]["text"]}} for t in tasks]}
        served = httpx.post(f"{url}/predict", json=body, timeout=120).json()
        assert {r["model_version"] for r in served["results"]} == {health["model_version"]}
        rules = list(load_predictor(None).annotate_many(texts))
        for text, result, rule in zip(texts, served["results"], rules, strict=True):
            got = {(i["value"]["start"], i["value"]["end"], i["value"]["labels"][0]) for i in result["result"]
                   if i["type"] == "labels"}
            expected = {(s["start"], s["end"], s["label"]) for s in rule["spans"]}
            assert expected <= got, (text[:60], expected - got)
    finally:
        stop_serve(proc)


def test_marking_one_mention_in_the_labelling_view_brings_back_its_other_mentions(
        served: Served, client: Client, cli_env: dict[str, str], tmp_path: Path) -> None:
    """What the labelling view does with interactive pre-annotation on: the marked span goes to the server's
    interactive-annotating endpoint as `context`, which forwards it to /predict; the answer is a prediction."""
    text = ("Police named the gunman as Omar Haddad. Haddad had trained abroad, and a court later heard that "
            "Omar Haddad acted alone.")
    batch = tmp_path / "names.jsonl"
    batch.write_text(json.dumps({"text": text, "title": "Haddad"}) + "\n", encoding="utf-8")
    invoke_cli(["push", str(batch), "--project", served.project, "--no-pre-annotate", "-q"], env=cli_env)
    tasks = client.get_json("/api/tasks/", params={"project": served.project_id, "fields": "all", "page_size": 100},
                            what="list tasks")["tasks"]
    (task,) = [t for t in tasks if t["data"]["text"] == text]
    (backend,) = client.ml_backends(served.project_id)
    start = text.index("Omar Haddad")
    region = {"id": "a1b2c3", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
              "value": {"start": start, "end": start + len("Omar Haddad"), "text": "Omar Haddad",
                        "labels": ["PERPETRATOR"]}}
    r = client.http.post(f"/api/ml/{backend['id']}/interactive-annotating",
                         json={"task": task["id"], "context": {"result": [region]}})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert "errors" not in answer, answer
    items = answer["data"]["result"]
    got = [(text[i["value"]["start"]:i["value"]["end"]], i["value"]["labels"]) for i in items]
    assert got == [("Haddad", ["PERPETRATOR"]), ("Omar Haddad", ["PERPETRATOR"])]
    assert [i["value"]["start"] for i in items] == [text.index("Haddad had"), text.rindex("Omar Haddad")]
    assert answer["data"]["model_version"] == served.ready["model_version"]
