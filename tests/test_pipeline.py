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


def _load_offline(monkeypatch: pytest.MonkeyPatch, folder: Path, config: str) -> datasets.DatasetDict:
    """load_dataset on the exported folder with the Hub switched off (what a user without network gets)."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", True, raising=False)
    return datasets.load_dataset(str(folder), config)


def _expected_events(rec: dict[str, Any]) -> list[tuple[str, list[tuple[str, int, int, str]]]]:
    """Events straight from a record's span ids and relations (pull has already turned reversed ones round)."""
    by_id = {s["id"]: s for s in rec["spans"]}
    attacks = sorted((s for s in rec["spans"] if s["label"] == "ATTACK"), key=lambda s: (s["start"], s["end"]))
    role = {"perpetrator_of": "perpetrator", "casualty_of": "casualty", "claim_for": "claim"}
    args: dict[str, set[tuple[str, int, int, str]]] = {a["id"]: set() for a in attacks}
    claimant = {r["from_id"]: r["to_id"] for r in rec["relations"] if r["type"] == "claimed_by"}
    claim_attacks = {r["from_id"] for r in rec["relations"] if r["type"] == "claim_for"}
    for r in rec["relations"]:
        if r["type"] in role:
            s = by_id[r["from_id"]]
            args[r["to_id"]].add((role[r["type"]], s["start"], s["end"], s["text"]))
    for claim, perp in claimant.items():
        if claim not in claim_attacks:
            for r in rec["relations"]:
                if r["type"] == "perpetrator_of" and r["from_id"] == perp:
                    s = by_id[claim]
                    args[r["to_id"]].add(("claim", s["start"], s["end"], s["text"]))
    return [(a["text"], sorted(args[a["id"]])) for a in attacks]


def test_events_and_incidents_load_offline_and_match_the_annotations(
        exported: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    records = [json.loads(line) for line in (exported["out"] / "annotations.jsonl").read_text().splitlines()]
    by_article = {r["article_id"]: r for r in records}
    events = _load_offline(monkeypatch, exported["dataset"], "events")
    incidents = _load_offline(monkeypatch, exported["dataset"], "incidents")
    roles = events["train"].features["events"].feature["arguments"].feature["role"]
    assert isinstance(roles, datasets.ClassLabel) and roles.names == ["perpetrator", "casualty", "claim"]
    n_events = n_args = 0
    for ds in events.values():
        for row in ds:
            rec, text = by_article[row["article_id"]], row["text"]
            got = [(e["trigger"]["text"], sorted((roles.int2str(a["role"]), a["start"], a["end"], a["text"])
                                                 for a in e["arguments"])) for e in row["events"]]
            assert got == _expected_events(rec)
            attached = {(a[1], a[2]) for _, args in got for a in args}
            unattached = sorted((s["start"], s["end"]) for s in rec["spans"]
                                if s["label"] != "ATTACK" and (s["start"], s["end"]) not in attached)
            assert sorted((u["start"], u["end"]) for u in row["unattached"]) == unattached
            for e in row["events"]:
                assert text[e["trigger"]["start"]:e["trigger"]["end"]] == e["trigger"]["text"]
                for a in e["arguments"]:
                    assert text[a["start"]:a["end"]] == a["text"]
            n_events += len(row["events"])
            n_args += sum(len(e["arguments"]) for e in row["events"])
    assert n_args > 0
    assert sum(len(ds) for ds in incidents.values()) == n_events
    # The Dunmore report: "The blasts killed at least 18 people and injured more than sixty".
    rows = [r for ds in incidents.values() for r in ds
            if "killed at least 18 people and injured more than sixty" in by_article[r["article_id"]]["text"]
            and r["attack_text"] == "blasts"]
    assert len(rows) == 1
    dunmore = rows[0]
    assert (dunmore["nkill_min"], dunmore["nkill_max"], dunmore["nwound_min"], dunmore["nwound_max"]) == (
        18, None, 60, None)
    assert dunmore["published"] == by_article[dunmore["article_id"]]["meta"]["published"]


def test_incidents_answer_killed_per_perpetrator_in_one_groupby(
        exported: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    incidents = _load_offline(monkeypatch, exported["dataset"], "incidents")
    df = datasets.concatenate_datasets(list(incidents.values())).to_pandas()

    killed = df.explode("perpetrators").groupby("perpetrators")["nkill_min"].sum()

    # The same figure from the annotation records: each perpetrator's attacks, their killed casualties summed.
    from incident_corpus.export.counts import parse_count
    records = [json.loads(line) for line in (exported["out"] / "annotations.jsonl").read_text().splitlines()]
    expected: dict[str, int] = {}
    for rec in records:
        by_id = {s["id"]: s for s in rec["spans"]}
        for attack in (s for s in rec["spans"] if s["label"] == "ATTACK"):
            into = [by_id[r["from_id"]] for r in rec["relations"] if r["to_id"] == attack["id"]]
            dead = sum((parse_count(s["text"]) or {}).get("min") or 0 for s in into
                       if s["label"] == "CASUALTY" and s["attributes"].get("outcome") == "killed")
            for name in dict.fromkeys(s["text"] for s in into if s["label"] == "PERPETRATOR"):
                expected[name] = expected.get(name, 0) + dead
    assert killed.to_dict() == expected
    assert max(expected.values()) > 0
