"""The loop on the sample corpus through the real pipeline: push → annotations (API) → pull → export → train,
then push --model / --no-rules with the trained pipeline."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import spacy

from incident_corpus.core.labels import LABELS
from incident_corpus.core.nlp import blank_nlp
from incident_corpus.core.scoring import score_spans
from incident_corpus.preannotate.runner import RULESET_VERSION
from incident_corpus.studio.client import Client
from incident_corpus.train.corpus import read_docs
from tests.helpers import invoke_cli

pytestmark = pytest.mark.integration
STEPS = 60


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, conn: Any) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("train")
    env = {"LABEL_STUDIO_URL": conn.url, "LABEL_STUDIO_API_KEY": conn.api_key,
           "INCIDENT_CORPUS_STUDIO_DIR": str(tmp / "no-studio")}
    samples = str(Path(__file__).resolve().parents[1] / "src" / "incident_corpus" / "samples")
    title = f"train {uuid.uuid4().hex[:8]}"
    invoke_cli(["push", samples, "--project", title, "-q"], env=env)
    with Client(conn) as client:
        project = client.get_project(title)
        tasks = json.loads(client.export_snapshot(project.id, finished_only=False, with_predictions=True))
        for task in tasks:  # the annotators accept the pre-annotations as they are
            client.sdk.annotations.create(id=task["id"], result=task["predictions"][0]["result"], lead_time=20.0)
    out = tmp / "export"
    invoke_cli(["pull", "--project", title, "--out", str(out), "--strict", "-q"], env=env)
    dataset = out / "dataset"
    invoke_cli(["export", "--in", str(out / "annotations.jsonl"), "--out", str(dataset), "--format", "spacy",
                "--split", "0.6/0.2/0.2", "--seed", "13", "-q"])
    model = tmp / "model"
    done = invoke_cli(["train", "--in", str(dataset), "--out", str(model), "--max-steps", str(STEPS), "--folds", "3",
                       "--json"])
    return {"tmp": tmp, "env": env, "samples": samples, "dataset": dataset, "model": model,
            "summary": json.loads(done.stdout), "tasks": tasks}


def _split_docs(dataset: Path, stem: str) -> list[Any]:
    return list(read_docs([dataset / "spacy" / f"{stem}.spacy"], blank_nlp().vocab))


def test_trained_pipeline_loads_and_its_meta_is_true(trained: dict[str, Any]) -> None:
    model, dataset, summary = trained["model"], trained["dataset"], trained["summary"]
    nlp = spacy.load(model)
    assert "ner" in nlp.pipe_names
    assert set(nlp.get_pipe("ner").labels) <= set(LABELS)
    block = json.loads((model / "meta.json").read_text())["incident_corpus"]
    assert block["model_version"] == summary["model_version"]
    assert block["model_version"].startswith("incident-ner-") and len(block["model_version"]) == len(
        "incident-ner-") + 12
    assert block["labels"] == list(LABELS)
    counts = {split: len(_split_docs(dataset, stem)) for split, stem in
              (("train", "train"), ("validation", "dev"), ("test", "test"))}
    assert block["articles"] == counts and counts["train"] > 0 and counts["validation"] > 0
    assert len(block["data_hash"]) == 64 and block["training_seconds"] > 0 and block["training_cpu_seconds"] > 0
    assert block["history"] and block["history"][-1]["step"] == STEPS
    # The test recomputes the scores from the splits and the loaded pipeline.
    for split, stem in (("validation", "dev"), ("test", "test")):
        docs = _split_docs(dataset, stem)
        gold = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
        pred = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in nlp.pipe(d.text for d in docs)]
        scores = score_spans(zip(gold, pred, strict=True))
        for mode in ("exact", "overlap"):
            for label in (*LABELS, "micro"):
                assert block["scores"][split][mode][label] == scores[mode][label].as_dict(), (split, mode, label)
    merge = block["merge"]
    assert set(merge["labels"]) == set(LABELS)
    assert merge["chosen_on"].startswith(f"3-fold cross-validation over {counts['train'] + counts['validation']} ")
    v = merge["cross_validation"]
    for label in LABELS:  # out of fold, the merge keeps every span the rules find
        assert v["merged"]["exact"][label]["recall"] >= v["rules"]["exact"][label]["recall"]
    assert merge["rules_version"] == RULESET_VERSION


def test_the_written_config_reruns_with_spacy_train(trained: dict[str, Any], tmp_path: Path) -> None:
    cfg = trained["model"] / "training" / "config.cfg"
    run = subprocess.run([sys.executable, "-m", "spacy", "train", str(cfg), "--output", str(tmp_path / "again"),
                          "--training.max_steps", "2", "--training.eval_frequency", "1"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert (tmp_path / "again" / "model-best" / "meta.json").exists()


@pytest.mark.parametrize("no_rules", [False, True])
def test_push_with_the_trained_model(trained: dict[str, Any], conn: Any, no_rules: bool) -> None:
    title = f"model {uuid.uuid4().hex[:8]}"
    args = ["push", trained["samples"], "--project", title, "--model", str(trained["model"]), "--json"]
    pushed = json.loads(invoke_cli(args + (["--no-rules"] if no_rules else []), env=trained["env"]).stdout)
    if no_rules:
        assert pushed["merge"] is None
    else:  # push says per label what the merge does and why (meta.json's evidence)
        block = json.loads((trained["model"] / "meta.json").read_text())["incident_corpus"]
        assert pushed["merge"]["labels"] == block["merge"]["labels"]
        assert all(v["reason"] for v in pushed["merge"]["labels"].values())
    version = trained["summary"]["model_version"]
    expected = version if no_rules else f"{RULESET_VERSION}+{version}"
    with Client(conn) as client:
        project = client.get_project(title)
        tasks = json.loads(client.export_snapshot(project.id, finished_only=False, with_predictions=True))
    assert len(tasks) == len(trained["tasks"])
    regions = 0
    for task in tasks:
        (pred,) = task["predictions"]
        assert pred["model_version"] == expected
        assert 0.0 <= pred["score"] <= 1.0
        text = task["data"]["text"]
        for item in pred["result"]:
            if item["type"] == "labels":
                regions += 1
                value = item["value"]
                assert text[value["start"]:value["end"]] == value["text"]
                assert value["labels"][0] in LABELS
    assert regions > 0, "the model predicted nothing: the offset check checked nothing"


def test_curve_trains_on_growing_shares(trained: dict[str, Any]) -> None:
    done = invoke_cli(["train", "--in", str(trained["dataset"]), "--curve", "--max-steps", "4", "--json"])
    curve = json.loads(done.stdout)
    assert [p["fraction"] for p in curve["points"]] == [0.25, 0.5, 0.75, 1.0]
    sizes = [p["articles"] for p in curve["points"]]
    assert sizes == sorted(sizes) and sizes[-1] == curve["articles"]["train"]
    assert all("micro" in p["scores"]["exact"] for p in curve["points"])
