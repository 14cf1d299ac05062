"""Pairwise span agreement between annotators of the same article."""

from __future__ import annotations

from typing import Any

from incident_corpus.quality.agreement import agreement


def _rec(article: str, annotation_id: int, annotator: str, spans: list[tuple[int, int, str]],
         updated_at: str = "2026-01-01T00:00:00Z") -> dict[str, Any]:
    return {"article_id": article, "annotation_id": annotation_id, "annotator": annotator,
            "updated_at": updated_at,
            "spans": [{"id": f"s{i}", "start": s, "end": e, "label": lb, "text": "x", "attributes": {}}
                      for i, (s, e, lb) in enumerate(spans)], "relations": []}


def test_exact_and_overlap_f1_per_label_pair_and_overall() -> None:
    records = [
        _rec("a", 1, "ann-1", [(0, 5, "ATTACK"), (10, 20, "CASUALTY"), (30, 40, "CLAIM")]),
        _rec("a", 2, "ann-2", [(0, 5, "ATTACK"), (12, 20, "CASUALTY"), (50, 60, "PERPETRATOR")]),
        _rec("b", 3, "ann-1", [(0, 5, "ATTACK")]),  # single annotator: not compared
    ]
    out = agreement(records)
    assert out["articles"] == 2 and out["articles_with_multiple_annotators"] == 1
    micro = out["overall"]["micro"]
    assert micro == {"spans_a": 3, "spans_b": 3, "exact_matches": 1, "overlap_matches": 2,
                     "exact_f1": round(2 / 6, 4), "overlap_f1": round(4 / 6, 4)}
    per = out["overall"]["per_label"]
    assert per["CASUALTY"]["exact_f1"] == 0.0 and per["CASUALTY"]["overlap_f1"] == 1.0
    assert per["CLAIM"]["exact_f1"] == 0.0 and per["CLAIM"]["spans_b"] == 0
    assert [p["annotators"] for p in out["pairs"]] == [["ann-1", "ann-2"]]
    assert out["pairs"][0]["articles"] == 1 and out["pairs"][0]["micro"] == micro


def test_overlap_matching_is_one_to_one_and_same_label_only() -> None:
    records = [_rec("a", 1, "ann-1", [(0, 10, "ATTACK")]),
               _rec("a", 2, "ann-2", [(0, 4, "ATTACK"), (5, 10, "ATTACK"), (0, 10, "CLAIM")])]
    micro = agreement(records)["overall"]["micro"]
    assert micro["overlap_matches"] == 1 and micro["exact_matches"] == 0


def test_same_annotator_twice_counts_once_with_latest_and_empty_pairs_have_null_f1() -> None:
    records = [_rec("a", 1, "ann-1", [(0, 5, "ATTACK")], "2026-01-01T00:00:00Z"),
               _rec("a", 2, "ann-1", [], "2026-01-02T00:00:00Z"),
               _rec("a", 3, "ann-2", [])]
    out = agreement(records)
    assert out["articles_with_multiple_annotators"] == 1
    assert out["overall"]["micro"]["exact_f1"] is None
    assert agreement([records[0], records[1]])["articles_with_multiple_annotators"] == 0
