from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("incident_corpus.quality.resolve")
pytest.importorskip("incident_corpus.export.counts")

from datasets import ClassLabel, Features, List, Value, load_dataset
from spacy.tokens import DocBin

from incident_corpus.core.errors import ExportError, InputError
from incident_corpus.core.labels import BIO_TAGS, LABELS, RELATION_TYPES
from incident_corpus.core.nlp import blank_nlp, tokenizer
from incident_corpus.export import build as export_mod
from incident_corpus.export.align import bio_to_spans, token_offsets
from incident_corpus.export.build import export
from incident_corpus.export.hub import upload

FIXTURE = Path(__file__).parent / "data" / "records" / "annotations.jsonl"
RATIOS = (0.5, 0.25, 0.25)  # with seed 13 every split of the fixture gets articles
SPLIT_NAMES = ["train", "validation", "test"]


def records() -> list[dict]:
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "ds"
    result = export(
        input_path=FIXTURE, out_dir=out, split=RATIOS, formats=("hf", "spacy"), command="annotate export X"
    )
    assert result.out_dir == out
    return out


def load(out: Path, config: str, tmp_path: Path):
    return load_dataset(str(out), config, cache_dir=str(tmp_path / "cache"))


def test_both_configs_load_with_exact_feature_types(out: Path, tmp_path: Path) -> None:
    spans, tokens = load(out, "spans", tmp_path), load(out, "tokens", tmp_path)
    assert list(spans) == SPLIT_NAMES and list(tokens) == SPLIT_NAMES
    string = Value("string")
    expected_spans = Features(
        {
            "id": string,
            "article_id": string,
            "text": string,
            "title": string,
            "url": string,
            "published": string,
            "source": string,
            "spans": List(
                {
                    "start": Value("int32"),
                    "end": Value("int32"),
                    "text": string,
                    "label": ClassLabel(names=list(LABELS)),
                    "attack_type": string,
                    "attack_stage": string,
                    "perpetrator_kind": string,
                    "outcome": string,
                    "claim_status": string,
                    "count_min": Value("int32"),
                    "count_max": Value("int32"),
                    "count_approximate": Value("bool"),
                }
            ),
            "relations": List(
                {
                    "head": Value("int32"),
                    "tail": Value("int32"),
                    "type": ClassLabel(names=list(RELATION_TYPES)),
                }
            ),
            "annotator": string,
            "annotation_id": Value("int64"),
            "near_duplicate_group": string,
        }
    )
    expected_tokens = Features(
        {
            "id": string,
            "article_id": string,
            "tokens": List(string),
            "ner_tags": List(ClassLabel(names=list(BIO_TAGS))),
        }
    )
    for split in SPLIT_NAMES:
        assert spans[split].features == expected_spans
        assert tokens[split].features == expected_tokens
    assert spans["train"].features["spans"].feature["label"].names == [
        "ATTACK",
        "PERPETRATOR",
        "CASUALTY",
        "CLAIM",
    ]
    assert tokens["train"].features["ner_tags"].feature.names[:3] == ["O", "B-ATTACK", "I-ATTACK"]


def test_spans_config_keeps_every_span_exactly(out: Path, tmp_path: Path) -> None:
    spans = load(out, "spans", tmp_path)
    rows = [r for s in SPLIT_NAMES for r in spans[s]]
    by_article = {r["article_id"]: r for r in records() if r["ground_truth"] or True}
    assert len(rows) == len({r["article_id"] for r in records()})
    for row in rows:
        assert len(row["spans"]) == len(by_article[row["article_id"]]["spans"]) or row["annotation_id"] == 501
        for s in row["spans"]:
            assert row["text"][s["start"] : s["end"]] == s["text"]
            if LABELS[s["label"]] != "CASUALTY":
                assert s["count_min"] is None and s["count_approximate"] is None
        for rel in row["relations"]:
            assert 0 <= rel["head"] < len(row["spans"]) and 0 <= rel["tail"] < len(row["spans"])
    # the article annotated twice comes out once, as its ground-truth annotation
    twice = [r for r in rows if r["id"].endswith(":501") or r["id"].endswith(":502")]
    assert [r["annotation_id"] for r in twice] == [501]
    emoji = next(r for r in rows if r["text"].startswith("😀"))
    assert {s["text"] for s in emoji["spans"]} >= {"gunmen", "5 guards"}


def test_ner_tags_decode_back_to_every_clean_span(out: Path, tmp_path: Path) -> None:
    spans, tokens = load(out, "spans", tmp_path), load(out, "tokens", tmp_path)
    text_of = {r["id"]: r for s in SPLIT_NAMES for r in spans[s]}
    checked = 0
    for split in SPLIT_NAMES:
        for row in tokens[split]:
            src = text_of[row["id"]]
            starts, ends = token_offsets(tokenizer()(src["text"]))
            assert row["tokens"] == [src["text"][s:e] for s, e in zip(starts, ends, strict=True)]
            decoded = set(bio_to_spans(row["ner_tags"], starts, ends))
            all_spans = [(s["start"], s["end"], LABELS[s["label"]]) for s in src["spans"]]
            for span in all_spans:
                s, e, _ = span
                aligned = s in starts and e in ends
                alone = not any(o != span and o[0] < e and s < o[1] for o in all_spans)
                if aligned and alone:
                    assert span in decoded, (src["text"], span)
                    checked += 1
            for s, e, label in decoded:  # every entity is token-aligned and comes from a span of its label
                assert s in starts and e in ends
                assert any(label == lb and a < e and s < b for a, b, lb in all_spans)
    assert checked >= 10


def test_splits_are_disjoint_and_reproducible(out: Path, tmp_path: Path) -> None:
    spans = load(out, "spans", tmp_path)
    ids = {s: set(spans[s]["article_id"]) for s in SPLIT_NAMES}
    assert not (
        ids["train"] & ids["validation"] or ids["train"] & ids["test"] or ids["validation"] & ids["test"]
    )
    again = tmp_path / "again"
    export(
        input_path=FIXTURE, out_dir=again, split=RATIOS, formats=("hf", "spacy"), command="annotate export X"
    )
    for path in sorted(out.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (again / path.relative_to(out)).read_bytes(), path


def test_card_counts_match_the_data(out: Path, tmp_path: Path) -> None:
    card = (out / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "config_name: spans" in card and "config_name: tokens" in card
    assert "license: other" in card and "named-entity-recognition" in card and "annotate export X" in card
    spans, tokens = load(out, "spans", tmp_path), load(out, "tokens", tmp_path)
    for split in SPLIT_NAMES:
        per_label = [
            sum(1 for r in spans[split] for s in r["spans"] if s["label"] == i) for i in range(len(LABELS))
        ]
        ents = [
            sum(1 for r in tokens[split] for t in r["ner_tags"] if t == BIO_TAGS.index(f"B-{lb}"))
            for lb in LABELS
        ]
        n_tokens = sum(len(r["tokens"]) for r in tokens[split])
        cells = [split, len(spans[split]), n_tokens, *per_label, *ents]
        assert "| " + " | ".join(str(c) for c in cells) + " |" in card, split
    assert re.search(r"\| annotation records|9 annotation records of 8 articles by 3 annotator", card)
    assert "agreement.json): not available" in card


def test_small_corpus_default_ratios_leave_empty_split_out(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    result = export(input_path=FIXTURE, out_dir=out, formats=("hf", "spacy"))
    empty = [s for s in SPLIT_NAMES if result.articles[s] == 0]
    assert empty and result.articles["train"] > 0
    loaded = load(out, "tokens", tmp_path)
    assert sorted(loaded) == sorted(s for s in SPLIT_NAMES if s not in empty)
    assert not (out / "data" / "tokens" / f"{empty[0]}-00000-of-00001.parquet").exists()
    assert (out / "spacy" / "dev.spacy").exists() and (out / "spacy" / "test.spacy").exists()


def test_spacy_corpus_has_ents_and_all_spans(out: Path) -> None:
    nlp = blank_nlp()
    docs = [
        d
        for name in ("train", "dev", "test")
        for d in DocBin().from_disk(out / "spacy" / f"{name}.spacy").get_docs(nlp.vocab)
    ]
    assert len(docs) == 8
    n_spans = sum(len(r["spans"]) for r in records() if r["annotation_id"] != 502)
    whitespace_only = sum(1 for r in records() for s in r["spans"] if not s["text"].strip())
    assert sum(len(d.spans["sc"]) for d in docs) == n_spans - whitespace_only
    claim_doc = next(d for d in docs if d.text.startswith("A suicide bombing"))
    assert [(e.text, e.label_) for e in claim_doc.ents][-1] == (
        "The Islamic State claimed responsibility",
        "CLAIM",
    )
    assert "The Islamic State" in [s.text for s in claim_doc.spans["sc"] if s.label_ == "PERPETRATOR"]


def test_spacy_train_runs_on_the_corpus(out: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "config.cfg"
    py = sys.executable
    subprocess.run(
        [py, "-m", "spacy", "init", "config", "-l", "en", "-p", "ner,spancat", str(cfg)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    done = subprocess.run(
        [
            py,
            "-m",
            "spacy",
            "train",
            str(cfg),
            "--paths.train",
            str(out / "spacy" / "train.spacy"),
            "--paths.dev",
            str(out / "spacy" / "dev.spacy"),
            "--training.max_epochs",
            "1",
            "--training.max_steps",
            "4",
            "--training.eval_frequency",
            "2",
            "--output",
            str(tmp_path / "model"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_malformed_line_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "annotations.jsonl"
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    bad.write_text("\n".join([lines[0], "{not json", *lines[1:]]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"{re.escape(str(bad))}:2: .*annotate validate"):
        export(input_path=bad, out_dir=tmp_path / "ds")
    rec = json.loads(lines[0])
    rec["spans"][0]["text"] = "wrong"
    bad.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r":1: record .* says 'wrong'"):
        export(input_path=bad, out_dir=tmp_path / "ds")
    assert not (tmp_path / "ds").exists()


def test_failed_export_keeps_the_previous_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ds"
    export(input_path=FIXTURE, out_dir=out, split=RATIOS)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    real = export_mod.prepare
    monkeypatch.setattr(export_mod, "prepare", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        export(input_path=FIXTURE, out_dir=out, split=RATIOS, formats=("hf", "spacy"))
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(os.listdir(tmp_path)) == ["ds"]  # no temp folders left behind


def test_refuses_to_replace_a_folder_that_is_not_an_export(tmp_path: Path) -> None:
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(ExportError, match="refusing to replace"):
        export(input_path=FIXTURE, out_dir=precious)
    assert (precious / "notes.txt").read_text() == "keep me"


class FakeApi:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, dict]] = []
        self.fail = fail

    def create_repo(self, **kwargs):
        self.calls.append(("create_repo", kwargs))

    def upload_folder(self, **kwargs):
        self.calls.append(("upload_folder", kwargs))
        if self.fail:
            raise ConnectionError("no network")
        return type("CommitInfo", (), {"commit_url": "https://huggingface.co/datasets/org/x/commit/abc"})()


def test_push_to_hub_uploads_the_swapped_in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeApi()
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", lambda: fake)
    out = tmp_path / "ds"
    result = export(input_path=FIXTURE, out_dir=out, split=RATIOS, push_to_hub="org/x")
    assert result.hub_url.endswith("/commit/abc")
    name, kwargs = fake.calls[-1]
    assert name == "upload_folder"
    assert (
        kwargs["repo_id"] == "org/x"
        and kwargs["repo_type"] == "dataset"
        and Path(kwargs["folder_path"]) == out
    )
    assert (out / "README.md").exists()


def test_upload_failure_is_an_export_error_that_keeps_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    shutil.copytree(FIXTURE.parent, folder)
    with pytest.raises(ExportError, match="HF_TOKEN"):
        upload(folder=folder, repo_id="org/x", api=FakeApi(fail=True))
    assert folder.exists()


def test_export_command_prints_a_summary_with_progress(tmp_path: Path) -> None:
    """The plain (not --json) path: progress on stderr, a summary on stdout, exit 0."""
    from click.testing import CliRunner

    from incident_corpus.cli import cli

    out = tmp_path / "ds"
    result = CliRunner().invoke(cli, ["export", "--in", str(FIXTURE), "--out", str(out), "--format", "all"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("9 records → 8 articles (train ")
    assert lines[1].startswith("tokens view: ")
    assert lines[2] == ("events: 9 attacks with 5 perpetrator, 6 casualty and 1 claim arguments; "
                        "5 spans tied to no attack (kept as unattached)")
    assert lines[3] == f"written to {out}"
    assert (out / "README.md").is_file() and (out / "spacy" / "train.spacy").is_file()
    assert (out / "textee" / "train.jsonl").is_file()
