"""Checks, repairs and quarantine on a hand-made export with one kind of trouble per task."""

from __future__ import annotations

import copy
import json
import random
import time
from pathlib import Path
from typing import Any

import pytest

from incident_corpus.core import resources
from incident_corpus.core.labels import LABELS
from incident_corpus.core.resources import annotation_validator
from incident_corpus.quality import reporter as report
from incident_corpus.quality.checks import check_export, validate_records
from incident_corpus.quality.outputs import validate_file, write_outputs
from incident_corpus.quality.result import CHECKS, REPAIR_KINDS
from incident_corpus.studio.convert import load_annotations
from incident_corpus.studio.results import spans_to_result
from tests import helpers

DATA = helpers.DATA / "ls"
TROUBLE = DATA / "trouble_export.json"
USERS = {1: "Alice@Example.org", 2: "bob@example.org"}


@pytest.fixture(scope="module")
def checked():
    return check_export(tasks=load_annotations(TROUBLE), users=USERS)


def _reasons(result) -> dict[int, list[tuple[str, str, str | None]]]:
    return {q["record"]["annotation_id"]: [(r["check"], r["message"], r["span_id"]) for r in q["reasons"]]
            for q in result.quarantine}


def test_valid_records_still_come_out(checked) -> None:
    result, _ = checked
    assert [r["annotation_id"] for r in result.records] == [101, 102, 901, 1001, 1101, 1201]
    assert validate_records(result.records).quarantine == []


def test_exact_quarantine_reasons(checked) -> None:
    result, _ = checked
    redraw = "redraw the region in Label Studio"
    assert _reasons(result) == {
        201: [("offsets", f"task 2, annotation 201, span b2: end 999 is past the end of the text (41 "
                          f"characters); "
                          f"{redraw}", "b2")],
        301: [("offsets", f"task 3, annotation 301, span n1: start -3 is negative; {redraw}", "n1")],
        401: [("offsets", "task 4, annotation 401, span i1: start 17 is not before end 10 (empty or inverted "
                          f"span); {redraw}", "i1")],
        501: [("label", "task 5, annotation 501, span v1: unknown label 'VICTIM' (known: ATTACK, "
                        "PERPETRATOR, "
                        "CASUALTY, CLAIM); relabel the region in Label Studio", "v1")],
        601: [("conversion", "task 6, annotation 601: result item 1 (region u1): unknown from_name "
                             "'severity' for "
                             "a choices item (expected attack_type, attack_stage, perpetrator_kind, outcome, "
                             "claim_status); the project's label config is not ours — "
                             "replace it with `annotate push --update-config` "
                             "and "
                             "fix the region", "u1")],
        701: [("span_text", "task 7, annotation 701, span m2: span text 'stormed' does not match the "
                            "article text "
                            f"at 11:18 ('tormed '); {redraw}", "m2")],
        801: [("relation_ends", "task 8, annotation 801, relation e1→r9: to_id 'r9' is not a span of this "
                                "annotation; delete the relation in Label Studio and draw it again", "e1")],
        1401: [
            ("conversion", "task 14, annotation 1401: result item 5 (region z4): unknown result type "
                           "'textarea' "
                           "(expected labels, choices or relation); the project's label config is not ours "
                           "— replace it with `annotate push --update-config` and re-annotate the task", "z4"),
            ("conversion", "task 14, annotation 1401: region z2 has 2 labels (PERPETRATOR, ATTACK), expected "
                           "exactly one; give the region one label in Label Studio", "z2"),
            ("conversion", "task 14, annotation 1401: region z3 has attribute choices (outcome) but no "
                           "labels "
                           "item; label the region in Label Studio or delete it", "z3"),
            ("attribute", "task 14, annotation 1401, span z1: attribute attack_type has value 'nuclear', "
                          "allowed: "
                          "bombing, armed_assault, assassination, kidnapping, arson, vehicle_ramming, "
                          "stabbing, "
                          "other; pick an allowed value in Label Studio", "z1"),
            ("attribute", "task 14, annotation 1401, span z1: attribute outcome applies to CASUALTY spans, "
                          "not "
                          "ATTACK; remove it in Label Studio", "z1"),
        ],
    }


def test_quarantine_keeps_raw_annotation_and_record(checked) -> None:
    result, _ = checked
    entry = next(q for q in result.quarantine if q["record"]["annotation_id"] == 201)
    assert set(entry) == {"record", "raw_annotation", "reasons"}
    assert entry["raw_annotation"]["id"] == 201 and entry["raw_annotation"]["result"]
    assert [s["id"] for s in entry["record"]["spans"]] == ["b1", "b2"]


def test_utf16_offsets_are_converted_for_every_span(checked) -> None:
    result, _ = checked
    rec = next(r for r in result.records if r["annotation_id"] == 901)
    assert [(s["id"], s["start"], s["end"], s["text"]) for s in rec["spans"]] == [
        ("w1", 10, 19, "militants"), ("w2", 22, 29, "stormed"), ("w3", 52, 60, "3 pupils")]
    assert all(rec["text"][s["start"]:s["end"]] == s["text"] for s in rec["spans"])
    assert rec["repairs"] == [
        {"kind": "utf16_offsets", "span_id": "w1", "detail": "offsets 11:20 were UTF-16 code units; now code "
                                                             "points 10:19"},
        {"kind": "utf16_offsets", "span_id": "w2", "detail": "offsets 24:31 were UTF-16 code units; now code "
                                                             "points 22:29"},
        {"kind": "utf16_offsets", "span_id": "w3", "detail": "offsets 55:63 were UTF-16 code units; now code "
                                                             "points 52:60"},
    ]


def test_collapsed_whitespace_is_rebuilt_from_the_text(checked) -> None:
    result, _ = checked
    rec = next(r for r in result.records if r["annotation_id"] == 1001)
    texts = {s["id"]: s["text"] for s in rec["spans"]}
    assert texts == {"s1": "stormed", "s2": "nine\n\nworshipers", "s3": "killed  nine"}
    assert [(r["kind"], r["span_id"]) for r in rec["repairs"]] == [("span_text_rebuilt", "s3"),
                                                                    ("span_text_rebuilt", "s2")]
    assert rec["repairs"][0]["detail"] == ("span text 'killed nine' rebuilt from the article text as "
                                           "'killed  nine' (whitespace differed)")


def test_relation_repairs(checked) -> None:
    result, _ = checked
    rec = next(r for r in result.records if r["annotation_id"] == 1101)
    assert rec["relations"] == [{"from_id": "q1", "to_id": "q2", "type": "perpetrator_of"},
                                {"from_id": "q3", "to_id": "q2", "type": "casualty_of"}]
    assert rec["repairs"] == [
        {"kind": "relation_type_inferred", "span_id": "q1",
         "detail": "relation q1→q2 had no type; PERPETRATOR → ATTACK can only be perpetrator_of"},
        {"kind": "relation_reversed", "span_id": "q3",
         "detail": "relation q2→q3 was drawn ATTACK → CASUALTY; turned round to q3→q2 (CASUALTY → ATTACK)"},
    ]


def test_counts(checked) -> None:
    result, _ = checked
    assert result.repairs == {"utf16_offsets": 3, "span_text_rebuilt": 2, "span_whitespace_trimmed": 0,
                              "relation_type_inferred": 1, "relation_reversed": 1}
    assert result.skipped == {"cancelled": 1, "drafts": 2}
    assert result.empty == 1
    assert result.labels == {"ATTACK": 6, "PERPETRATOR": 6, "CASUALTY": 5, "CLAIM": 1}
    assert result.annotators == {"ann-33db114379": {"valid": 3, "quarantined": 7},
                                 "ann-00213e2a8d": {"valid": 2, "quarantined": 1},
                                 "ann-937ae3cb93": {"valid": 1, "quarantined": 0}}
    assert result.checks["offsets"] == {"passed": 11, "failed": 3, "reasons": 3}
    assert result.checks["conversion"] == {"passed": 12, "failed": 2, "reasons": 4}
    assert result.checks["schema"] == {"passed": 14, "failed": 0, "reasons": 0}
    assert set(result.checks) == set(CHECKS)
    assert result.totals == {"tasks": 14, "candidates": 14, "valid": 6, "quarantined": 8,
                             "repaired_records": 3,
                             "spans": 18, "relations": 10, "empty": 1, "skipped": 3}


def test_every_reason_is_reported_not_just_the_first() -> None:
    text = "Rebels shelled the market."
    rec = {
        "id": "0123456789abcdef:5", "article_id": "0123456789abcdef", "task_id": 1, "annotation_id": 5,
        "text": text, "meta": {}, "annotator": "ann-0123456789", "created_at": None, "updated_at": None,
        "lead_time": -1, "ground_truth": False, "model_version": None, "repairs": [],
        "spans": [
            {"id": "a", "start": 7, "end": 14, "label": "ATTACK", "text": "shelled", "attributes": {}},
            {"id": "b", "start": 7, "end": 14, "label": "ATTACK", "text": "shelled", "attributes": {"x": 1}},
            {"id": "c", "start": 0, "end": 6, "label": "PERPETRATOR", "text": "Rebels", "attributes": {}},
            {"id": "d", "start": "0", "end": 6, "label": "CASUALTY", "text": "Rebels", "attributes": {}},
        ],
        "relations": [{"from_id": "a", "to_id": "c", "type": "claim_for"},
                      {"from_id": "c", "to_id": "a", "type": "blamed"},
                      {"from_id": "a", "to_id": "a"}],
    }
    result = validate_records([rec])
    assert [(r["check"], r["span_id"], r["message"]) for r in result.quarantine[0]["reasons"]] == [
        ("attribute", "b", "task 1, annotation 5, span b: unknown attribute 'x' (known: attack_type, "
                           "attack_stage, perpetrator_kind, outcome, claim_status); remove it or update the "
                           "label config"),
        ("duplicate_span", "b", "task 1, annotation 5, span b: same start/end/label (7:14 ATTACK) as span a; "
                                "delete one of the two regions in Label Studio"),
        ("offsets", "d", "task 1, annotation 5, span d: start/end must be integers, got start='0' end=6; "
                         "redraw the region in Label Studio"),
        ("relation_type", "a", "task 1, annotation 5, relation a→c: type claim_for links CLAIM → ATTACK but "
                               "the "
                               "spans are ATTACK → PERPETRATOR; fix the relation type in Label Studio"),
        ("relation_type", "c", "task 1, annotation 5, relation c→a: unknown relation type 'blamed' (known: "
                               "perpetrator_of, casualty_of, claimed_by, claim_for); pick a known type in "
                               "Label "
                               "Studio"),
        ("relation_type", "a", "task 1, annotation 5, relation a→a: the relation has no type and no type "
                               "links "
                               "ATTACK → ATTACK; delete the relation in Label Studio"),
        ("schema", None, "task 1, annotation 5, field lead_time: -1 is less than the minimum of 0; the "
                         "record "
                         "does not match annotation.schema.json — fix it in Label Studio and pull again"),
    ]


def test_inconsistent_utf16_offsets_are_not_repaired() -> None:
    text = "A 😀 bomb hit a bus."
    # "bomb" uses UTF-16 offsets, "bus" code points: no single reading fits, so nothing is repaired
    spans = [{"id": "a", "start": 5, "end": 9, "label": "ATTACK", "text": "bomb", "attributes": {}},
             {"id": "b", "start": 15, "end": 18, "label": "ATTACK", "text": "bus", "attributes": {}}]
    assert text[15:18] == "bus"
    result = validate_records([_record(text, spans)])
    assert result.records == []
    assert [r["check"] for r in result.quarantine[0]["reasons"]] == ["span_text"]
    assert result.quarantine[0]["record"]["repairs"] == []


def test_jsonl_records_revalidate_to_the_same_bytes(tmp_path: Path, checked) -> None:
    result, agreement = checked
    first = write_outputs(result, out_dir=tmp_path / "a", agreement=agreement)
    again, agreement2, second = validate_file(path=first["annotations"], out_dir=tmp_path / "b")
    assert again.quarantine == [] and sum(again.repairs.values()) == 0
    assert first["annotations"].read_bytes() == second["annotations"].read_bytes()
    assert agreement2 == agreement


def test_outputs_are_deterministic(tmp_path: Path) -> None:
    outs = []
    for name in ("one", "two"):
        tasks = load_annotations(TROUBLE)
        random.Random(name).shuffle(tasks)
        result, agreement = check_export(tasks=tasks, users=USERS)
        outs.append(write_outputs(result, out_dir=tmp_path / name, agreement=agreement))
    assert set(outs[0]) == {"annotations", "quarantine", "report", "agreement"}
    for key in outs[0]:
        assert outs[0][key].read_bytes() == outs[1][key].read_bytes(), key
    lines = outs[0]["quarantine"].read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8 and json.loads(lines[0])["reasons"]


def test_report_renders_text_and_json(checked) -> None:
    result, agreement = checked
    text = report.render_text(result, agreement=agreement, top=2)
    first = "6 valid record(s), 8 quarantined, 3 repaired (14 annotation(s) checked from 14 task(s))"
    assert text.splitlines()[0] == first
    repairs = "repairs: utf16_offsets 3, span_text_rebuilt 2, relation_type_inferred 1, relation_reversed 1"
    assert repairs in text
    assert "  [offsets] task 2, annotation 201, span b2: end 999 is past the end" in text
    assert "… and 10 more reason(s): see quarantine.jsonl" in text
    data = report.to_json(result, agreement=agreement)
    assert list(data) == ["totals", "skipped", "checks", "repairs", "labels", "annotators", "quarantine",
                          "agreement"]
    assert data["quarantine"][0] == {"id": "70988c6fbc150754:201", "task_id": 2, "annotation_id": 201,
                                     "reasons": result.quarantine[0]["reasons"]}
    json.dumps(data)


def test_fast_schema_predicate_never_accepts_what_jsonschema_rejects(checked) -> None:
    result, _ = checked
    fast, slow = resources.fast_check("annotation.schema.json"), annotation_validator()
    assert fast is not None
    rng = random.Random(7)
    mutations = [None, 0, -1, 1.5, 2.0, "", "x", True, [], {}, "ann-zz", "0123456789abcdeg"]
    samples = [copy.deepcopy(e["record"]) for e in result.quarantine] + copy.deepcopy(result.records)
    for _ in range(3000):
        rec = copy.deepcopy(rng.choice(result.records))
        node: Any = rec
        parent: Any = None
        key: Any = None
        for _depth in range(rng.randint(1, 4)):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            parent, key = node, rng.choice(keys)
            if not isinstance(node[key], (dict, list)) or rng.random() < 0.3:
                break
            node = node[key]
        if parent is not None:
            parent[key] = rng.choice(mutations)
        samples.append(rec)
    disagreements = [s for s in samples if fast(s) != slow.is_valid(s)]
    assert all(not fast(s) for s in disagreements)  # only ever "not sure", never a wrong "valid"
    assert any(not slow.is_valid(s) for s in samples)


def test_ten_thousand_records_are_fast() -> None:
    rng = random.Random(1)
    words = ["militants", "stormed", "a", "church", "and", "killed", "nine", "worshipers", "while", "police"]
    tasks = []
    for t in range(10_000):
        text = " ".join(rng.choice(words) for _ in range(450))[:3000]
        spans = [{"id": f"r{k}", "start": 250 * k + 3, "end": 250 * k + 23, "label": LABELS[k % 4],
                  "text": text[250 * k + 3:250 * k + 23], "attributes": {}} for k in range(10)]
        tasks.append({"id": t + 1, "data": {"text": text}, "annotations": [
            {"id": t + 1, "completed_by": 1, "result": spans_to_result(spans), "updated_at": None}]})
    start = time.process_time()
    result, _ = check_export(tasks=tasks)
    elapsed = time.process_time() - start
    assert len(result.records) == 10_000
    assert elapsed < 6.0, f"10k records took {elapsed:.1f} s of CPU"


def _record(text: str, spans: list[dict]) -> dict:
    return {"id": "0123456789abcdef:1", "article_id": "0123456789abcdef", "task_id": 1, "annotation_id": 1,
            "text": text, "meta": {"extra": {}}, "annotator": "ann-0123456789", "created_at": None,
            "updated_at": None, "lead_time": None, "ground_truth": False, "model_version": None,
            "spans": spans, "relations": [], "repairs": []}


def test_repair_kinds_match_the_schema() -> None:
    from incident_corpus.core.resources import load_schema

    schema = load_schema("annotation.schema.json")
    assert tuple(schema["properties"]["repairs"]["items"]["properties"]["kind"]["enum"]) == REPAIR_KINDS


def test_duplicate_record_in_jsonl_is_quarantined(tmp_path: Path, checked) -> None:
    result, _ = checked
    rec = result.records[0]
    path = tmp_path / "annotations.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (rec, rec)) + "\n", encoding="utf-8")
    again, _, _ = validate_file(path=path, out_dir=tmp_path / "out")
    assert len(again.records) == 1
    assert again.quarantine[0]["raw_annotation"] is None
    assert again.quarantine[0]["reasons"] == [{
        "check": "duplicate_record", "span_id": None,
        "message": f"task 1, annotation 101: record id {rec['id']} appears twice in the input; keep one copy "
                   "(pull again to get a clean annotations.jsonl)"}]


def test_surrounding_whitespace_from_a_sloppy_drag_is_trimmed() -> None:
    """Measured in a real browser: dragging onto the neighbouring spaces stores them in the span."""
    text = "The explosion killed nine passengers at the depot."
    start = text.index(" nine passengers ")
    task = {"id": 1, "data": {"text": text}, "drafts": [], "annotations": [{
        "id": 10, "completed_by": 1, "was_cancelled": False, "ground_truth": False, "lead_time": 3.0,
        "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "result": [
            {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": start, "end": start + 17, "text": " nine passengers ", "labels": ["CASUALTY"]}}]}]}
    result, _ = check_export(tasks=[task])
    assert not result.quarantine
    [rec] = result.records
    [span] = rec["spans"]
    assert (span["start"], span["end"], span["text"]) == (start + 1, start + 16, "nine passengers")
    assert text[span["start"]:span["end"]] == span["text"]
    assert rec["repairs"] == [{"kind": "span_whitespace_trimmed", "span_id": "a",
                               "detail": f"offsets {start}:{start + 17} included surrounding whitespace; "
                                         f"now {start + 1}:{start + 16} ('nine passengers')"}]
    assert result.repairs["span_whitespace_trimmed"] == 1
