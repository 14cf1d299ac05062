"""One record per article: ground-truth, latest and majority policies."""

from __future__ import annotations

import pytest

from incident_corpus.core.errors import InputError
from incident_corpus.core.resources import annotation_validator
from incident_corpus.quality.checks import check_export
from incident_corpus.quality.resolve import POLICIES, resolve
from incident_corpus.studio.convert import load_annotations
from tests import helpers

DATA = helpers.DATA / "ls"
TEXT = "Gunmen stormed a hotel, killing 12 guests. ISIS claimed it."


def _rec(annotation_id: int, annotator: str, spans: list[tuple], relations=(), *, gt=False,
         updated="2026-01-01T00:00:00Z") -> dict:
    out = []
    for s, e, label, attrs in spans:
        out.append({"id": f"{annotation_id}-{s}", "start": s, "end": e, "label": label, "text": TEXT[s:e],
                    "attributes": attrs})
    rels = [{"from_id": f"{annotation_id}-{f}", "to_id": f"{annotation_id}-{t}", "type": typ}
            for f, t, typ in relations]
    return {"id": f"0123456789abcdef:{annotation_id}", "article_id": "0123456789abcdef", "task_id": 1,
            "annotation_id": annotation_id, "text": TEXT, "meta": {"extra": {}}, "annotator": annotator,
            "created_at": updated, "updated_at": updated, "lead_time": 3.0, "ground_truth": gt,
            "model_version": None, "spans": out, "relations": rels, "repairs": []}


A1, A2, A3 = "ann-1111111111", "ann-2222222222", "ann-3333333333"
ATTACK = (7, 14, "ATTACK", {"attack_type": "armed_assault"})
GUNMEN = (0, 6, "PERPETRATOR", {})
GUESTS = (32, 41, "CASUALTY", {"outcome": "killed"})


def _three() -> list[dict]:
    return [
        _rec(1, A1, [GUNMEN, ATTACK, GUESTS], [(0, 7, "perpetrator_of"), (32, 7, "casualty_of")],
             updated="2026-01-03T00:00:00Z"),
        _rec(2, A2, [GUNMEN, (7, 14, "ATTACK", {"attack_type": "bombing"}), (32, 41, "CASUALTY", {})],
             [(0, 7, "perpetrator_of")], gt=True, updated="2026-01-01T00:00:00Z"),
        _rec(3, A3, [(7, 14, "ATTACK", {"attack_type": "bombing"}), (43, 47, "PERPETRATOR", {})],
             [], updated="2026-01-02T00:00:00Z"),
    ]


def test_policies_constant() -> None:
    assert POLICIES == ("ground-truth", "latest", "majority", "reviewed")
    with pytest.raises(InputError, match="unknown resolve policy 'vote'; use one of ground-truth, latest, "
                                         "majority, reviewed"):
        resolve([], policy="vote")


def test_ground_truth_and_latest() -> None:
    gt = resolve(_three(), policy="ground-truth")
    assert [r["annotation_id"] for r in gt.records] == [2]
    assert gt.records[0]["resolution"] == {"policy": "ground-truth", "annotation_ids": [2], "annotators": 3}
    latest = resolve(_three(), policy="latest")
    assert [r["annotation_id"] for r in latest.records] == [1]
    no_gt = [dict(r, ground_truth=False) for r in _three()]
    assert resolve(no_gt, policy="ground-truth").records[0]["annotation_id"] == 1
    two_gt = [dict(r, ground_truth=True) for r in _three()]
    assert resolve(two_gt, policy="ground-truth").records[0]["annotation_id"] == 1  # the latest of them
    assert gt.counts()["articles_with_conflicts"] == 1


def test_microsecond_free_timestamps_are_ordered_by_time() -> None:
    recs = _three()[:2]
    recs[0]["updated_at"], recs[1]["updated_at"] = "2026-01-01T00:00:03Z", "2026-01-01T00:00:03.500000Z"
    assert resolve(recs, policy="latest").records[0]["annotation_id"] == 2


def test_majority_keeps_what_more_than_half_agree_on() -> None:
    result = resolve(_three(), policy="majority")
    (rec,) = result.records
    assert [(s["id"], s["start"], s["end"], s["label"], s["attributes"]) for s in rec["spans"]] == [
        ("perpetrator-0-6", 0, 6, "PERPETRATOR", {}),
        ("attack-7-14", 7, 14, "ATTACK", {"attack_type": "bombing"}),
        ("casualty-32-41", 32, 41, "CASUALTY", {}),  # killed vs not set: tie → omitted
    ]
    assert rec["relations"] == [
        {"from_id": "perpetrator-0-6", "to_id": "attack-7-14", "type": "perpetrator_of"}]
    assert rec["id"] == "0123456789abcdef:majority" and rec["annotation_id"] == 0
    assert rec["annotator"] == "ann-majority"
    assert rec["resolution"] == {"policy": "majority", "annotation_ids": [1, 2, 3], "annotators": 3}
    assert result.spans_dropped == 1 and result.relations_dropped == 1 and result.attributes_omitted == 1
    assert list(annotation_validator().iter_errors(rec)) == []


def test_majority_of_two_needs_both_and_single_annotator_passes_through() -> None:
    two = _three()[:2]
    rec = resolve(two, policy="majority").records[0]
    assert [s["label"] for s in rec["spans"]] == ["PERPETRATOR", "ATTACK", "CASUALTY"]
    assert rec["spans"][1]["attributes"] == {}  # armed_assault vs bombing: tie
    single = _three()[:1]
    out = resolve(single, policy="majority").records[0]
    assert {k: v for k, v in out.items() if k != "resolution"} == single[0]
    assert out["resolution"] == {"policy": "majority", "annotation_ids": [1], "annotators": 1}


def test_resolved_fixture_records_validate_for_every_policy() -> None:
    result, _ = check_export(tasks=load_annotations(DATA / "trouble_export.json"), users={1: "a@x", 2: "b@x"})
    validator = annotation_validator()
    for policy in POLICIES:
        resolved = resolve(result.records, policy=policy)
        assert len({r["article_id"] for r in resolved.records}) == len(resolved.records) == 5
        assert resolved.articles == 5
        for rec in resolved.records:
            assert list(validator.iter_errors(rec)) == [], (policy, rec["id"])
    chosen = {r["article_id"]: r["annotation_id"]
              for r in resolve(result.records, policy="ground-truth").records}
    assert chosen["523848f6f68c3657"] == 102  # marked ground truth, although 101 is newer
    chosen = {r["article_id"]: r["annotation_id"] for r in resolve(result.records, policy="latest").records}
    assert chosen["523848f6f68c3657"] == 101


def test_reviewed_prefers_the_curator_and_falls_back_to_ground_truth() -> None:
    curator = _rec(9, "ann-c0c0c0c0c0", [GUNMEN, ATTACK, (32, 41, "CASUALTY", {"outcome": "killed"})],
                   [(0, 7, "perpetrator_of")], updated="2026-01-05T00:00:00Z")
    curator["task_id"] = 77  # a task of the review project
    older = _rec(8, "ann-c0c0c0c0c0", [GUNMEN], updated="2026-01-04T00:00:00Z")
    out = resolve(_three(), policy="reviewed", curated={"0123456789abcdef": [older, curator]})
    (rec,) = out.records
    assert rec["annotation_id"] == 9 and rec["task_id"] == 77
    assert rec["resolution"] == {"policy": "reviewed", "annotation_ids": [9], "annotators": 3, "reviewed": True,
                                 "reviewed_annotation_ids": [1, 2, 3]}
    assert out.counts()["adjudicated"] == 1
    assert not list(annotation_validator().iter_errors(rec))
    plain = resolve(_three(), policy="reviewed", curated={})
    assert plain.records[0]["annotation_id"] == 2  # the ground truth, as with --resolve ground-truth
    assert plain.counts()["adjudicated"] == 0
