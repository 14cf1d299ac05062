"""spaCy output at scale: a split above SPACY_SHARD_DOCS becomes a folder of DocBin shards that spaCy's
own Corpus reader (what `spacy train` uses) reads as the same docs; small splits stay single files."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import DocBin
from spacy.training import Corpus

from incident_corpus.core.nlp import blank_nlp
from incident_corpus.export.build import export
from incident_corpus.export.formats import spacy_worker
from tests.helpers import DATA

FIXTURE = DATA / "records" / "annotations.jsonl"


def _docs(path: Path) -> list[tuple[str, list[tuple[int, int, str]], list[tuple[int, int, str]]]]:
    """(text, ents, spans["sc"]) per doc, as spacy train's Corpus reader yields them."""
    nlp = blank_nlp()
    return sorted((ex.reference.text, [(e.start_char, e.end_char, e.label_) for e in ex.reference.ents],
                   [(s.start_char, s.end_char, s.label_) for s in ex.reference.spans["sc"]])
                  for ex in Corpus(str(path))(nlp))


def test_a_split_above_the_shard_size_is_a_folder_spacy_reads_as_the_same_corpus(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = tmp_path / "whole"
    export(input_path=FIXTURE, out_dir=whole, split=(1.0, 0.0, 0.0), formats=("spacy",))
    assert (whole / "spacy" / "train.spacy").is_file()
    expected = _docs(whole / "spacy" / "train.spacy")
    assert len(expected) >= 5

    monkeypatch.setattr(spacy_worker, "SPACY_SHARD_DOCS", 2)
    sharded = tmp_path / "sharded"
    result = export(input_path=FIXTURE, out_dir=sharded, split=(1.0, 0.0, 0.0), formats=("spacy",))
    folder = sharded / "spacy" / "train"
    shards = sorted(p.name for p in folder.iterdir())
    assert shards == [f"{i:05d}.spacy" for i in range((len(expected) + 1) // 2)]
    assert not (sharded / "spacy" / "train.spacy").exists()
    assert all(len(DocBin().from_disk(folder / name)) <= 2 for name in shards)
    assert _docs(folder) == expected  # the folder is the corpus, as `spacy train --paths.train` reads it
    # Empty splits stay (valid, empty) single files; the written paths name every shard.
    assert (sharded / "spacy" / "dev.spacy").is_file() and (sharded / "spacy" / "test.spacy").is_file()
    written = {p.relative_to(sharded).as_posix() for p in result.paths}
    assert {f"spacy/train/{name}" for name in shards} <= written
