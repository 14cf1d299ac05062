"""Agreement beyond span F1 (attribute κ, relation F1, token κ) and the pre-annotation audit, on
fixtures whose figures are computed by hand in the comments."""

from __future__ import annotations

import json
from typing import Any

import pytest

from incident_corpus.export.align import annotators_bio
from incident_corpus.quality.agreement import agreement, cohen_kappa, compare
from incident_corpus.quality.audit import audit_export, classify
from incident_corpus.studio.results import spans_to_result

TEXT = "Gunmen killed two guards today and the Front claimed it."
# Gunmen 0-6, killed 7-13, "two guards" 14-24, "guards" 18-24, "the Front" 35-44, "claimed it" 45-55


def span(sid: str, start: int, end: int, label: str, **attributes: str) -> dict[str, Any]:
    return {"id": sid, "start": start, "end": end, "label": label, "text": TEXT[start:end], "attributes": attributes}


def rel(a: str, b: str, typ: str) -> dict[str, str]:
    return {"from_id": a, "to_id": b, "type": typ}


def record(article: str, who: str, spans: list[dict[str, Any]], relations: list[dict[str, str]] = (),
           n: int = 1) -> dict[str, Any]:
    return {"article_id": article, "annotator": who, "annotation_id": n, "updated_at": None, "text": TEXT,
            "spans": spans, "relations": list(relations)}


def test_token_kappa_relations_and_span_f1_by_hand() -> None:
    a = record("x", "ann-a", [span("a1", 0, 6, "PERPETRATOR"), span("a2", 7, 13, "ATTACK"),
                              span("a3", 14, 24, "CASUALTY", outcome="killed")],
               [rel("a1", "a2", "perpetrator_of"), rel("a3", "a2", "casualty_of")])
    b = record("x", "ann-b", [span("b1", 0, 6, "PERPETRATOR"), span("b2", 7, 13, "ATTACK"),
                              span("b3", 18, 24, "CASUALTY")],
               [rel("b1", "b2", "perpetrator_of")], n=2)
    out = agreement([a, b], tagger=annotators_bio)
    micro = out["overall"]["micro"]
    # exact: PERPETRATOR and ATTACK (2 of 3+3) → 4/6; overlap: all three → 1.0
    assert micro["exact_f1"] == pytest.approx(4 / 6, abs=1e-4)
    assert micro["overlap_f1"] == 1.0
    # relations: A has 2, B has 1, the perpetrator_of between matched spans agrees → 2·1/3
    assert out["relations"] == {"relations_a": 2, "relations_b": 1, "matches": 1, "f1": 0.6667}
    # 11 tokens (Gunmen killed two guards today and the Front claimed it .)
    # A: B-PER B-ATT B-CAS I-CAS O×7; B: B-PER B-ATT O B-CAS O×7 → p_o = 9/11
    # p_e = (1·1 + 1·1 + 1·1 + 1·0 + 7·8) / 121 = 59/121; κ = (99−59)/(121−59) = 40/62
    tk = out["token_kappa"]
    assert tk["items"] == 11
    assert tk["observed"] == pytest.approx(9 / 11, abs=1e-4)
    assert tk["expected"] == pytest.approx(59 / 121, abs=1e-4)
    assert tk["kappa"] == pytest.approx(40 / 62, abs=1e-4)
    # outcome: one matched CASUALTY pair, killed vs not set → p_o 0, p_e 0, κ 0
    assert out["attributes"]["outcome"] == {"label": "CASUALTY", "items": 1, "observed": 0.0, "expected": 0.0,
                                            "kappa": 0.0}
    cmp = compare(a, b)
    assert cmp.attribute_conflicts == [{"attribute": "outcome", "span": [14, 24, "CASUALTY"],
                                        "values": ["killed", "(not set)"]}]
    assert cmp.relation_conflicts == 1


def test_attribute_kappa_by_hand() -> None:
    # Four articles, one CASUALTY each, marked by both. A: killed killed injured injured;
    # B: killed injured injured injured → p_o 3/4; p_e = (2·1 + 2·3)/16 = 1/2; κ = (3/4 − 1/2)/(1/2) = 1/2
    recs = []
    for i, (va, vb) in enumerate([("killed", "killed"), ("killed", "injured"), ("injured", "injured"),
                                  ("injured", "injured")]):
        recs.append(record(f"art{i}", "ann-a", [span("a", 14, 24, "CASUALTY", outcome=va)]))
        recs.append(record(f"art{i}", "ann-b", [span("b", 14, 24, "CASUALTY", outcome=vb)], n=2))
    out = agreement(recs)["attributes"]["outcome"]
    assert (out["items"], out["observed"], out["expected"], out["kappa"]) == (4, 0.75, 0.5, 0.5)
    # κ is undefined when both always chose the same single value
    assert cohen_kappa([("killed", "killed")] * 3) == (1.0, 1.0, None)


def test_single_annotator_articles_give_no_figures() -> None:
    out = agreement([record("x", "ann-a", [span("a", 0, 6, "PERPETRATOR")])], tagger=annotators_bio)
    assert out["articles_with_multiple_annotators"] == 0
    assert out["token_kappa"]["kappa"] is None and out["relations"]["f1"] is None
    assert "token_kappa" not in agreement([])  # no tagger given: the figure is left out, not faked


def test_classify_known_edits() -> None:
    predicted = [span("p1", 7, 13, "ATTACK"),                      # kept as is
                 span("p2", 18, 24, "CASUALTY", outcome="killed"),  # widened to "two guards": changed
                 span("p3", 0, 6, "PERPETRATOR", perpetrator_kind="individual"),  # attribute changed
                 span("p4", 45, 55, "CLAIM")]                       # deleted
    annotated = [span("a1", 7, 13, "ATTACK"), span("a2", 14, 24, "CASUALTY", outcome="killed"),
                 span("a3", 0, 6, "PERPETRATOR", perpetrator_kind="organisation"),
                 span("a4", 35, 44, "PERPETRATOR")]                 # added
    assert sorted(classify(predicted, annotated)) == sorted([
        ("ATTACK", "kept"), ("CASUALTY", "changed"), ("PERPETRATOR", "changed"), ("CLAIM", "deleted"),
        ("PERPETRATOR", "added")])


def test_audit_export_counts_and_lead_times() -> None:
    pred = [span("p1", 7, 13, "ATTACK"), span("p2", 18, 24, "CASUALTY"), span("p4", 45, 55, "CLAIM")]
    tasks = [
        {"id": 1, "predictions": [{"id": 10, "model_version": "r", "result": spans_to_result(pred)}],
         "annotations": [
             {"id": 100, "completed_by": 1, "lead_time": 10.0, "parent_prediction": 10,
              "result": spans_to_result([span("a1", 7, 13, "ATTACK"), span("a2", 14, 24, "CASUALTY")])},
             {"id": 101, "completed_by": 2, "lead_time": 30.0,
              "result": spans_to_result([*pred, span("a4", 35, 44, "PERPETRATOR")])},
             {"id": 102, "completed_by": 2, "was_cancelled": True, "result": []}]},
        {"id": 2, "annotations": [{"id": 103, "completed_by": 1, "lead_time": 50.0, "result": []}]},
    ]
    out = audit_export(tasks, users={1: "a@example.org", 2: "b@example.org"})
    assert out["annotations_compared"] == 2 and out["annotations_without_prediction"] == 1
    total = out["overall"]["total"]
    assert (total["predicted"], total["kept"], total["changed"], total["deleted"], total["added"]) == (6, 4, 1, 1, 1)
    assert total["kept_share"] == round(4 / 6, 4)
    assert out["overall"]["labels"]["CLAIM"]["deleted"] == 1 and out["overall"]["labels"]["PERPETRATOR"]["added"] == 1
    lead = out["overall"]["lead_time_median"]
    assert (lead["with_predictions"], lead["without_predictions"]) == (20.0, 50.0)
    assert len(out["by_annotator"]) == 2
    from incident_corpus.export.card import audit_section

    section = audit_section(json.loads(json.dumps(out)))  # as read back from audit.json
    assert "| all | 6 | 0.667 | 0.167 | 0.167 | 1 |" in section and "20.000 with a pre-annotation (2)" in section


def test_find_disagreements_triggers() -> None:
    from incident_corpus.pipeline.review import find_disagreements

    base = [span("a1", 0, 6, "PERPETRATOR"), span("a2", 7, 13, "ATTACK")]
    boundary_only = [span("b1", 0, 6, "PERPETRATOR"), span("b2", 7, 24, "ATTACK")]  # overlaps: F1 still 1
    missing_one = [span("c1", 0, 6, "PERPETRATOR")]  # F1 = 2·1/3 = 0.667
    recs = [record("same", "ann-a", base), record("same", "ann-b", base, n=2),
            record("bound", "ann-a", base), record("bound", "ann-b", boundary_only, n=2),
            record("miss", "ann-a", base), record("miss", "ann-b", missing_one, n=2),
            record("alone", "ann-a", base)]
    multi, found = find_disagreements(recs, min_agreement=0.8)
    assert multi == 3
    assert [(d["article_id"], d["lowest_overlap_f1"]) for d in found] == [("miss", 0.6667)]
    assert find_disagreements(recs, min_agreement=0.6)[1] == []


def test_agreement_tally_does_not_depend_on_article_order() -> None:
    """pull adds articles in the order its index sorts them, not in sorted article order: same figures."""
    from incident_corpus.quality.agreement import AgreementTally, latest_by_annotator

    recs = []
    for k, art in enumerate(("x", "y", "z")):
        recs.append(record(art, "ann-a", [span("a1", 0, 6, "PERPETRATOR"), span("a3", 14, 24, "CASUALTY",
                                                                               outcome="killed")], n=3 * k))
        recs.append(record(art, "ann-b", [span("b1", 0, 6, "PERPETRATOR"), span("b3", 18, 24, "CASUALTY")][:k + 1],
                           n=3 * k + 1))
        if k:
            recs.append(record(art, "ann-c", [span("c2", 7, 13, "ATTACK")], n=3 * k + 2))
    tally = AgreementTally(tagger=annotators_bio)
    by_article = latest_by_annotator(recs)
    for art in sorted(by_article, reverse=True):
        tally.add(by_article[art])
    assert tally.as_dict() == agreement(recs, tagger=annotators_bio)
    assert tally.as_dict()["token_kappa"]["items"] > 0
