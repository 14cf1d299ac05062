"""The ML backend's HTTP protocol without a Label Studio: what each endpoint answers, and how it
refuses what a server or a stranger might send (every refusal a 4xx with a message, and the service
keeps serving). The live round trip with the real server is in test_serve.py."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from incident_corpus.core import resources
from incident_corpus.serve.app import create_app
from incident_corpus.serve.backend import Announced, Backend
from incident_corpus.serve.protocol import PredictTask

TEXT = ("Gunmen attacked a police post in Dunmore on Monday, killing four officers. "
        "The Northern Front claimed responsibility.")
OURS = resources.read_text("label_config.xml")


class FixedPredictor:
    """A predictor with a known answer, to test the backend's own logic (swap, checks, retrain)."""

    def __init__(self, version: str, spans: list[dict[str, Any]] | None = None, score: float = 0.5) -> None:
        self.version = version
        self.spans = spans or []
        self.score = score

    def annotate_many(self, texts: Iterable[str]) -> Iterator[dict[str, Any]]:
        for _ in texts:
            yield {"spans": self.spans, "relations": [], "score": self.score}


@pytest.fixture(scope="module")
def rules_client() -> TestClient:
    from incident_corpus.pipeline.serve import load_predictor

    return TestClient(create_app(Backend(predictor=load_predictor(None)), label_config=OURS, max_body=50_000,
                                 max_tasks=20))


def test_health_and_setup_name_the_model_version(rules_client: TestClient) -> None:
    health = rules_client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "UP"
    version = health.json()["model_version"]
    assert version.startswith("incident-rules-")
    setup = rules_client.post("/setup", json={"project": "1.1", "schema": OURS, "hostname": "http://localhost:8080",
                                              "access_token": "secret-token-xyz", "extra_params": None})
    assert setup.status_code == 200 and setup.json() == {"model_version": version}


def test_predict_returns_one_result_per_task_in_order_with_offsets_that_hold(rules_client: TestClient) -> None:
    texts = [TEXT, "Nothing happened in Harlow today.", "A car bomb exploded near the bridge, injuring nine people."]
    r = rules_client.post("/predict", json={"tasks": [{"id": i, "data": {"text": t}, "meta": {}, "extra": 1}
                                                      for i, t in enumerate(texts)],
                                            "project": "1.1", "label_config": OURS, "params": {"context": None}})
    assert r.status_code == 200
    results = r.json()["results"]
    assert len(results) == 3
    for text, res in zip(texts, results, strict=True):
        assert set(res) == {"result", "score", "model_version"}
        for item in res["result"]:
            if "value" in item and "start" in item["value"]:
                assert text[item["value"]["start"]:item["value"]["end"]] == item["value"]["text"]
    labels = {i["value"]["labels"][0] for i in results[0]["result"] if i["type"] == "labels"}
    assert {"CASUALTY", "CLAIM"} <= labels
    assert results[1]["result"] == []


@pytest.mark.parametrize(("body", "status", "words"), [
    (b"{not json", 400, "not valid JSON"),
    (b"[1, 2]", 400, "not an object"),
    (b'{"tasks": "x"}', 422, '"tasks" must be a list'),
    (b'{"tasks": [{"id": 7, "data": {"html": "x"}}]}', 422, 'tasks[0] (task 7) has no "data.text"'),
    (b'{"tasks": [{"id": 7, "data": {"text": 5}}]}', 422, 'no "data.text" string'),
    (b'{"tasks": [3]}', 422, "not a task object"),
    (b'{"tasks": [], "label_config": "<View><Image name=\\"img\\" value=\\"$image\\"/></View>"}', 422,
     "not incident-corpus's"),
    (b'{"tasks": [], "label_config": "<View"}', 422, "not a label config"),
    (b'{"tasks": [' + b",".join([b'{"data": {"text": "a"}}'] * 21) + b"]}", 413, "over the limit of 20"),
    (b'{"tasks": [{"data": {"text": "' + b"x" * 60_000 + b'"}}]}', 413, "over the limit of 50000 bytes"),
])
def test_bad_predict_requests_get_a_4xx_with_a_message_and_the_service_keeps_serving(
        rules_client: TestClient, body: bytes, status: int, words: str) -> None:
    r = rules_client.post("/predict", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert words in r.json()["error"]
    assert rules_client.post("/predict", json={"tasks": [{"data": {"text": TEXT}}]}).status_code == 200


def test_setup_with_a_foreign_label_config_is_refused(rules_client: TestClient) -> None:
    r = rules_client.post("/setup", json={"schema": '<View><Text name="text" value="$text"/>'
                                                    '<Choices name="sentiment" toName="text"><Choice value="pos"/>'
                                                    "</Choices></View>"})
    assert r.status_code == 422 and "not incident-corpus's" in r.json()["error"]


def test_webhook_needs_an_action_and_ignores_unknown_ones(rules_client: TestClient) -> None:
    assert rules_client.post("/webhook", json={"project": {"id": 1}}).status_code == 422
    r = rules_client.post("/webhook", json={"action": "PROJECT_UPDATED", "project": {"id": 1}})
    assert r.status_code == 200 and r.json()["training_started"] is False


def test_a_prediction_whose_offsets_do_not_hold_is_never_sent() -> None:
    bad = FixedPredictor("v-bad", spans=[{"id": "p1", "start": 0, "end": 6, "label": "PERPETRATOR",
                                          "text": "Gunman", "attributes": {}}])
    out = Backend(predictor=bad).predict([PredictTask(id=1, text=TEXT)])
    assert out == [{"result": [], "score": 0.0, "model_version": "v-bad"}]


def test_a_burst_of_webhooks_trains_once_and_the_new_model_is_swapped_in() -> None:
    release = threading.Event()
    calls: list[int] = []

    def job(announced: Announced) -> FixedPredictor:
        calls.append(1)
        release.wait(10)
        return FixedPredictor(f"v{len(calls) + 1}")

    backend = Backend(predictor=FixedPredictor("v1"), retrain=job, retrain_after=3)
    started = [backend.webhook("ANNOTATION_CREATED") for _ in range(10)]
    assert started.count(True) == 1  # the third event started it; the other seven wait for it
    assert backend.health()["training"]["running"] is True
    assert backend.predict([PredictTask(id=1, text=TEXT)])[0]["model_version"] == "v1"  # old model serves
    release.set()
    deadline = time.monotonic() + 10
    while (backend.training.running or backend.training.finished < 2) and time.monotonic() < deadline:
        time.sleep(0.02)
    # seven events arrived during the first run: at least 3 → exactly one more run, not seven
    assert len(calls) == 2 and backend.training.finished == 2
    assert backend.model_version == "v3"
    assert backend.health()["annotations_since_training"] == 0


def test_a_failed_training_keeps_the_old_model_and_says_why_on_health() -> None:
    def job(announced: Announced) -> FixedPredictor:
        raise RuntimeError("the corpus has no train split")

    backend = Backend(predictor=FixedPredictor("v1"), retrain=job, retrain_after=1)
    assert backend.webhook("ANNOTATION_UPDATED") is True
    backend.wait_for_training(10)
    health = backend.health()
    assert health["model_version"] == "v1"
    assert health["training"]["failed"] == 1
    assert health["training"]["last_error"] == "the corpus has no train split"
    assert TestClient(create_app(backend, label_config=OURS)).get("/health").json()["training"]["failed"] == 1


def test_after_a_failed_training_the_next_annotation_retries_and_health_keeps_why() -> None:
    outcomes = [RuntimeError("the validation split holds no article"), FixedPredictor("v2")]
    seen: list[Announced] = []

    def job(announced: Announced) -> FixedPredictor:
        seen.append(announced)
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    backend = Backend(predictor=FixedPredictor("v1"), retrain=job, retrain_after=3)
    assert [backend.webhook("ANNOTATION_CREATED", annotation_id=i) for i in (11, 12, 13)] == [False, False, True]
    backend.wait_for_training(10)
    health = backend.health()["training"]
    assert health["last_outcome"] == "failed" and health["retry_at_next_annotation"] is True
    assert health["last_error"] == "the validation split holds no article"
    assert backend.webhook("PROJECT_UPDATED") is False  # not an annotation: no retry
    assert backend.webhook("ANNOTATION_UPDATED", annotation_id=14) is True  # one more annotation retries
    backend.wait_for_training(10)
    assert seen == [Announced(ids=frozenset({11, 12, 13})), Announced(ids=frozenset({14}))]
    health = backend.health()
    assert health["model_version"] == "v2" and health["training"]["last_outcome"] == "finished"
    assert health["training"]["retry_at_next_annotation"] is False
    assert health["training"]["last_error"] == "the validation split holds no article"  # why the last failure
    assert backend.webhook("ANNOTATION_CREATED", annotation_id=15) is False  # back to every third


def test_the_webhook_passes_the_announced_annotation_id_through_the_app() -> None:
    seen: list[Announced] = []
    backend = Backend(predictor=FixedPredictor("v1"), retrain=lambda ids: seen.append(ids) or FixedPredictor("v2"),
                      retrain_after=1)
    client = TestClient(create_app(backend, label_config=OURS))
    r = client.post("/webhook", json={"action": "ANNOTATION_CREATED", "annotation": {"id": 42, "result": []},
                                      "project": {"id": 1}})
    assert r.status_code == 200 and r.json()["training_started"] is True
    backend.wait_for_training(10)
    # START_TRAINING (sent by the server itself every N annotations) carries the project's count, no id.
    r = client.post("/webhook", json={"action": "START_TRAINING", "project": {"id": 1, "total_annotations_number": 7}})
    assert r.json()["training_started"] is True
    backend.wait_for_training(10)
    assert seen == [Announced(ids=frozenset({42})), Announced(total=7)]


def test_start_training_webhook_trains_at_once() -> None:
    backend = Backend(predictor=FixedPredictor("v1"), retrain=lambda _: FixedPredictor("v2"), retrain_after=0)
    assert backend.webhook("ANNOTATION_CREATED") is False
    assert backend.webhook("START_TRAINING") is True
    backend.wait_for_training(10)
    assert backend.model_version == "v2"


def test_the_log_filter_cuts_the_token_and_the_pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import logging

    from incident_corpus.cli.serve import _Scrub

    key = "k" * 40
    monkeypatch.setenv("INCIDENT_CORPUS_PSEUDONYM_KEY", key)
    record = logging.LogRecord("incident_corpus.serve", logging.INFO, __file__, 1, "pulled with %s and %s",
                               ("token-1234567", key), None)
    assert _Scrub("token-1234567").filter(record) is True
    assert record.getMessage() == "pulled with <secret> and <secret>"


NAMES = ("Police named the gunman as Omar Haddad. Haddad had trained abroad, and Omar Haddad's cousin "
         "denied it. The Northern Liberation Front (NLF) claimed the attack.")


def _region(text: str, phrase: str, label: str) -> dict[str, Any]:
    start = text.index(phrase)
    return {"id": "ann1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": start + len(phrase), "text": phrase, "labels": [label]}}


def test_predict_with_a_marked_span_as_context_answers_with_the_entitys_other_mentions(
        rules_client: TestClient) -> None:
    body = {"tasks": [{"id": 7, "data": {"text": NAMES}}], "label_config": OURS,
            "params": {"context": {"result": [_region(NAMES, "Omar Haddad", "PERPETRATOR")]}}}
    r = rules_client.post("/predict", json=body)
    assert r.status_code == 200, r.text
    (result,) = r.json()["results"]
    got = [(i["value"]["text"], i["value"]["labels"]) for i in result["result"]]
    assert got == [("Haddad", ["PERPETRATOR"]), ("Omar Haddad", ["PERPETRATOR"])]
    assert all(NAMES[i["value"]["start"]:i["value"]["end"]] == i["value"]["text"] for i in result["result"])
    body["params"]["context"]["result"] = [_region(NAMES, "NLF", "PERPETRATOR")]
    (result,) = rules_client.post("/predict", json=body).json()["results"]
    assert [i["value"]["text"] for i in result["result"]] == ["Northern Liberation Front"]


def test_a_malformed_context_is_a_422_that_names_the_field(rules_client: TestClient) -> None:
    body = {"tasks": [{"id": 7, "data": {"text": NAMES}}], "params": {"context": {"result": "x"}}}
    r = rules_client.post("/predict", json=body)
    assert r.status_code == 422 and '"params.context"' in r.json()["error"]
    bad = _region(NAMES, "Omar Haddad", "PERPETRATOR")
    bad["value"]["start"] = "0"
    body["params"]["context"] = {"result": [bad]}
    r = rules_client.post("/predict", json=body)
    assert r.status_code == 422 and "params.context.result[0]" in r.json()["error"]
