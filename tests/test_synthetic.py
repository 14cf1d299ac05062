"""The synthetic-article generator the benchmarks and tests share: deterministic, and its gold is valid."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.synthetic import article_id, articles, result_items, write_articles, write_records
from incident_corpus.core.labels import ATTRIBUTES_BY_NAME, LABELS, RELATIONS
from incident_corpus.ingest.articles import read_articles
from incident_corpus.quality.outputs import validate_file


def test_stream_is_deterministic_and_any_slice_is_stable() -> None:
    whole = list(articles(5, seed=13))
    assert whole == list(articles(5, seed=13))
    assert list(articles(2, seed=13, offset=3)) == whole[3:5]
    assert whole[0]["text"] != next(articles(1, seed=14))["text"]
    assert len({a["text"] for a in whole}) == 5


def test_gold_spans_match_the_text_and_the_label_set() -> None:
    for a in articles(30, seed=7):
        text = a["text"]
        assert len(text) >= 3000
        ids = {s["id"] for s in a["spans"]}
        assert len(ids) == len(a["spans"])
        labels = {s["id"]: s["label"] for s in a["spans"]}
        for s in a["spans"]:
            assert text[s["start"]:s["end"]] == s["text"]
            assert s["label"] in LABELS
            for name, value in s["attributes"].items():
                assert ATTRIBUTES_BY_NAME[name].label == s["label"]
                assert value in ATTRIBUTES_BY_NAME[name].values
        for r in a["relations"]:
            assert RELATIONS[r["type"]] == (labels[r["from_id"]], labels[r["to_id"]])


def test_result_items_carry_every_span_attribute_and_relation() -> None:
    a = next(articles(1, seed=3))
    items = result_items(a["spans"], a["relations"])
    assert sum(i["type"] == "labels" for i in items) == len(a["spans"])
    assert sum(i["type"] == "choices" for i in items) == sum(len(s["attributes"]) for s in a["spans"])
    assert sum(i["type"] == "relation" for i in items) == len(a["relations"])


def test_push_input_reads_back_with_the_generated_ids(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    write_articles(path, 4, 13)
    read = [art.article_id for art in read_articles([path])]
    assert read == [article_id(a["text"]) for a in articles(4, 13)]


def test_records_pass_validation_untouched(tmp_path: Path) -> None:
    path = tmp_path / "annotations.jsonl"
    write_records(path, 25, 13)
    result, _agreement, _paths = validate_file(path=path, out_dir=tmp_path / "out")
    assert result.ok and len(result.records) == 25
    assert not any(r["repairs"] for r in result.records)
    written = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["spans"] for r in result.records] == [r["spans"] for r in written]
