"""The export registry is the one list of formats: a format registered in EXPORTERS (here a throwaway
one, registered by the test) is a `--format` choice, is part of `--format all`, and gets its tokens and
tags from the tokenizer worker without any other module knowing its name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from incident_corpus.cli import cli
from incident_corpus.core.fileio import write_text
from incident_corpus.export import build, formats, workers
from incident_corpus.export.build import export
from incident_corpus.export.formats import EXPORTERS, Exporter, ExportOptions, PreparedDoc, WriterResult
from tests.helpers import DATA

FIXTURE = DATA / "records" / "annotations.jsonl"
RATIOS = "0.5/0.25/0.25"


class TagsWriter:
    """A throwaway format: one line per article with its non-space tokens and BIO tag ids, per split."""

    def __init__(self, folder: Path, options: ExportOptions) -> None:
        self.folder = folder / "dummy"
        self.lines: dict[str, list[str]] = {}

    def __enter__(self) -> TagsWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def add(self, doc: PreparedDoc) -> None:
        text = doc.record["text"]
        tokens = [text[a:b] for a, b in zip(doc.token_starts, doc.token_ends, strict=True)]
        self.lines.setdefault(doc.split, []).append(json.dumps([doc.record["article_id"], tokens, doc.tags]))

    def close(self) -> WriterResult:
        paths = []
        for split, lines in sorted(self.lines.items()):
            paths.append(self.folder / f"{split}.jsonl")
            write_text(paths[-1], "\n".join(lines) + "\n")
        return WriterResult(paths=paths, rows={"dummy": {s: len(v) for s, v in self.lines.items()}})


def open_writer(folder: Path, options: ExportOptions) -> TagsWriter:
    return TagsWriter(folder, options)


@pytest.fixture
def dummy(monkeypatch: pytest.MonkeyPatch) -> Exporter:
    exporter = Exporter("dummy", "tokens and BIO tags as JSONL (a test's format)", __name__)
    monkeypatch.setitem(EXPORTERS, "dummy", exporter)
    return exporter


def _export_cli(out: Path, fmt: str) -> Any:
    return CliRunner().invoke(cli, ["export", "--in", str(FIXTURE), "--out", str(out), "--split", RATIOS,
                                    "--format", fmt, "--json"])


def test_an_unregistered_format_is_not_a_choice(tmp_path: Path) -> None:
    result = _export_cli(tmp_path / "ds", "dummy")
    assert result.exit_code == 2
    assert "'dummy' is not one of" in result.output and "'hf'" in result.output
    assert not (tmp_path / "ds").exists()


def test_a_registered_format_is_a_cli_choice_and_writes(tmp_path: Path, dummy: Exporter) -> None:
    help_text = CliRunner().invoke(cli, ["export", "--help"]).output
    assert "dummy" in help_text and "all" in help_text
    result = _export_cli(tmp_path / "ds", "dummy")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["formats"] == ["dummy"]
    assert summary["rows"]["dummy"] == {"train": 4, "validation": 2, "test": 2}
    lines = (tmp_path / "ds" / "dummy" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    rows = [json.loads(line) for line in lines]
    assert all(tokens and len(tags) == len(tokens) for _aid, tokens, tags in rows)
    assert any(any(tags) for _aid, _tokens, tags in rows)  # BIO tags, not only "O"


def test_all_picks_up_a_registered_format(tmp_path: Path, dummy: Exporter) -> None:
    result = _export_cli(tmp_path / "ds", "all")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["formats"] == [*EXPORTERS]
    assert summary["formats"][-1] == "dummy" and {"hf", "spacy", "textee"} <= set(summary["formats"])
    written = {p.relative_to(tmp_path / "ds").parts[0] for p in (tmp_path / "ds").rglob("*") if p.is_file()}
    assert {"dummy", "data", "spacy", "textee"} <= written
    assert formats.chosen(["all"]) == tuple(EXPORTERS)


def test_a_format_without_a_worker_side_gets_the_same_tokens_and_tags_from_the_worker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dummy: Exporter) -> None:
    """Its default WorkerPlan: the worker sends each article's offsets and tags back, so the files match."""
    every = formats.chosen(["all"])
    export(input_path=FIXTURE, out_dir=tmp_path / "plain", split=(0.5, 0.25, 0.25), formats=every, command="x")
    monkeypatch.setattr(workers, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(workers, "_spare_cpus", lambda: 1)
    pools: list[Any] = []
    real_pool = build.tokenizer_pool

    def spy(*args: Any, **kwargs: Any) -> Any:
        pool_cm = real_pool(*args, **kwargs)

        class Spy:
            def __enter__(self) -> Any:
                pools.append(pool_cm.__enter__())
                return pools[-1]

            def __exit__(self, *exc: Any) -> Any:
                return pool_cm.__exit__(*exc)

        return Spy()

    monkeypatch.setattr(build, "tokenizer_pool", spy)
    export(input_path=FIXTURE, out_dir=tmp_path / "pooled", split=(0.5, 0.25, 0.25), formats=every, command="x")
    assert pools and pools[0] is not None and "dummy" not in pools[0].links and pools[0].tags
    for split in ("train", "validation", "test"):
        name = f"dummy/{split}.jsonl"
        assert (tmp_path / "pooled" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes()
