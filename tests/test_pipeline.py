"""The whole job on the sample corpus: push → annotate (API) → pull → export → load and train."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import datasets
import pytest
from click.testing import CliRunner

from incident_corpus.cli import cli
from incident_corpus.core import labels
from incident_corpus.core.nlp import blank_nlp
from incident_corpus.export.align import bio_to_spans
from incident_corpus.studio.client import Client

pytestmark = pytest.mark.integration


@pytest.fixture()
def exported(cli_env: dict[str, str], client: Client, project_title: str, samples_dir: Path,
             tmp_path: Path) -> dict[str, Any]:
    runner = CliRunner()
    pushed = runner.invoke(cli, ["push", str(samples_dir), "--project", project_title, "-q"], env=cli_env)
    assert pushed.exit_code == 0, pushed.output
    project = client.get_project(project_title)
    tasks = json.loads(client.export_snapshot(project.id, finished_only=False, with_predictions=True))
    # Annotators accept the pre-annotations as they are (the spans our rules found).
    for task in tasks:
        client.sdk.annotations.create(id=task["id"], result=task["predictions"][0]["result"], lead_time=30.0)
    out = tmp_path / "export"
    pulled = runner.invoke(cli, ["pull", "--project", project_title, "--out", str(out), "--strict", "-q"],
                           env=cli_env)
    assert pulled.exit_code == 0, pulled.output
    dataset = out / "dataset"
    done = runner.invoke(cli, ["export", "--in", str(out / "annotations.jsonl"), "--out", str(dataset),
                               "--format", "all", "--split", "0.6/0.2/0.2", "--seed", "7", "--json"])
    assert done.exit_code == 0, done.output
    return {"tasks": tasks, "out": out, "dataset": dataset, "summary": json.loads(done.stdout)}


def test_sample_corpus_round_trips_into_both_hf_configs(exported: dict[str, Any]) -> None:
    dataset, tasks = exported["dataset"], exported["tasks"]
    records = [json.loads(line) for line in (exported["out"] / "annotations.jsonl").read_text().splitlines()]
    assert len(records) == len(tasks)
    spans_ds = datasets.load_dataset(str(dataset), "spans")
    tokens_ds = datasets.load_dataset(str(dataset), "tokens")
    assert set(spans_ds) == set(tokens_ds) and "train" in spans_ds
    assert sum(len(s) for s in spans_ds.values()) == len(records)

    label_feature = spans_ds["train"].features["spans"][0]["label"] if isinstance(
        spans_ds["train"].features["spans"], list) else spans_ds["train"].features["spans"].feature["label"]
    assert isinstance(label_feature, datasets.ClassLabel)
    assert label_feature.names == list(labels.LABELS)
    tag_feature = tokens_ds["train"].features["ner_tags"].feature
    assert isinstance(tag_feature, datasets.ClassLabel)
    assert tag_feature.names == list(labels.BIO_TAGS)

    by_article = {r["article_id"]: r for r in records}
    seen: dict[str, str] = {}
    for split, ds in spans_ds.items():
        for row in ds:
            assert row["article_id"] not in seen, "an article is in two splits"
            seen[row["article_id"]] = split
            rec = by_article[row["article_id"]]
            assert row["text"] == rec["text"]
            got = sorted((s["start"], s["end"], label_feature.int2str(s["label"])) for s in row["spans"])
            assert got == sorted((s["start"], s["end"], s["label"]) for s in rec["spans"])
            for s in row["spans"]:
                assert row["text"][s["start"]:s["end"]] == s["text"]
    nlp = blank_nlp()
    for split, ds in tokens_ds.items():
        for row in ds:
            assert seen[row["article_id"]] == split
            doc = nlp.make_doc(by_article[row["article_id"]]["text"])
            toks = [t for t in doc if not t.is_space]
            assert row["tokens"] == [t.text for t in toks]
            decoded = bio_to_spans([tag_feature.int2str(t) for t in row["ner_tags"]],
                                   [t.idx for t in toks], [t.idx + len(t) for t in toks])
            # the rules never produce overlapping spans, and they tokenise on spaCy's boundaries
            expected = sorted((s["start"], s["end"], s["label"]) for s in by_article[row["article_id"]]["spans"])
            assert sorted(decoded) == expected


def test_card_counts_match_and_spacy_corpus_trains(exported: dict[str, Any], tmp_path: Path) -> None:
    dataset, summary = exported["dataset"], exported["summary"]
    card = (dataset / "README.md").read_text(encoding="utf-8")
    assert "configs:" in card and "config_name: spans" in card and "config_name: tokens" in card
    spans_ds = datasets.load_dataset(str(dataset), "spans")
    for split, ds in spans_ds.items():
        assert summary["articles"][split] == len(ds)
    assert "annotate export" in card
    spacy_dir = dataset / "spacy"
    assert {p.name for p in spacy_dir.glob("*.spacy")} == {"train.spacy", "dev.spacy", "test.spacy"}
    cfg = tmp_path / "config.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", str(cfg), "-l", "en", "-p", "ner"],
                   check=True, capture_output=True, timeout=120)
    train = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(cfg), "--paths.train", str(spacy_dir / "train.spacy"),
         "--paths.dev", str(spacy_dir / "train.spacy"), "--training.max_steps", "4", "--training.eval_frequency",
         "2", "--output", str(tmp_path / "model")], capture_output=True, text=True, timeout=300)
    assert train.returncode == 0, train.stderr[-2000:]
