"""LS export → candidate records: grouping, counting, metadata, and input files."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from incident_corpus.core.errors import InputError
from incident_corpus.core.pseudonyms import pseudonym, pseudonym_key
from incident_corpus.ingest.articles import content_hash as article_id_for
from incident_corpus.studio.convert import load_annotations, normalize_export
from tests import helpers

DATA = helpers.DATA / "ls"
TROUBLE = DATA / "trouble_export.json"
USERS = {1: "Alice@Example.org", 2: "bob@example.org"}
ALICE = pseudonym(email=None, user_id=1)  # keyed on the user id (tests/test_pseudonyms.py: the key)


def _by_annotation(result):  # annotation_id -> Candidate
    return {c.record["annotation_id"]: c for c in result.candidates}


def test_pseudonym_is_keyed_hmac_of_user_id_else_lower_cased_email() -> None:
    key = pseudonym_key()
    assert pseudonym(email="Alice@Example.org", user_id=1) == ALICE
    assert "ann-" + hmac.new(key, b"user-id:1", hashlib.sha256).hexdigest()[:10] == ALICE
    # pull (e-mails known) and validate FILE (ids only) name the same annotator alike
    assert pseudonym(email=None, user_id=1) == ALICE
    by_email = "ann-" + hmac.new(key, b"email:alice@example.org", hashlib.sha256).hexdigest()[:10]
    assert pseudonym(email="Alice@Example.org", user_id=None) == by_email
    with pytest.raises(ValueError):
        pseudonym(email=None, user_id=None)


def test_counts_cancelled_drafts_and_empty_and_keeps_one_candidate_per_annotation() -> None:
    result = normalize_export(load_annotations(TROUBLE), users=USERS)
    assert result.tasks == 14
    assert result.skipped == {"cancelled": 1, "drafts": 2}
    assert result.empty == 1
    ids = [(c.record["task_id"], c.record["annotation_id"]) for c in result.candidates]
    assert ids == sorted(ids)
    assert 103 not in {a for _, a in ids}  # the cancelled one
    assert len(ids) == 14


def test_good_annotation_becomes_full_record() -> None:
    cand = _by_annotation(normalize_export(load_annotations(TROUBLE), users=USERS))[101]
    rec = cand.record
    assert cand.reasons == []
    assert cand.raw_annotation is not None and cand.raw_annotation["id"] == 101
    assert rec["id"] == "523848f6f68c3657:101"
    assert rec["article_id"] == article_id_for(rec["text"])
    assert rec["annotator"] == ALICE
    assert "annotator_email" not in rec
    assert rec["model_version"] == "rules-0.1"
    assert rec["ground_truth"] is False and rec["lead_time"] == 42.5
    assert rec["meta"] == {"title": "Hotel siege", "author": None, "source": "Example Wire",
                           "published": "2026-11-19", "url": "https://example.org/a1", "language": "en",
                           "source_file": "inputs/batch1.jsonl:1", "extra": {"section": "world"}}
    keys = [(s["start"], s["end"], s["label"]) for s in rec["spans"]]
    assert keys == sorted(keys)
    attack = next(s for s in rec["spans"] if s["id"] == "a1")
    assert attack == {"id": "a1", "start": 7, "end": 14, "label": "ATTACK", "text": "stormed",
                      "attributes": {"attack_type": "armed_assault", "attack_stage": "accomplished"}}
    assert {"from_id": "k1", "to_id": "p1", "type": "claimed_by"} in rec["relations"]
    assert rec["repairs"] == []


def test_with_emails_keeps_email_and_unknown_users_fall_back_to_user_id() -> None:
    cands = _by_annotation(normalize_export(load_annotations(TROUBLE), users=USERS, with_emails=True))
    assert cands[101].record["annotator_email"] == "Alice@Example.org"
    assert cands[1201].record["annotator_email"] is None
    assert cands[1201].record["annotator"] == pseudonym(email=None, user_id=3)
    # without a users map the pseudonym is the user id one
    plain = _by_annotation(normalize_export(load_annotations(TROUBLE)))
    assert plain[101].record["annotator"] == pseudonym(email=None, user_id=1)


def test_task_without_article_id_gets_the_push_id_and_unknown_data_keys_go_to_extra() -> None:
    rec = _by_annotation(normalize_export(load_annotations(TROUBLE)))[1201].record
    text = "The city council approved the new budget on Tuesday."
    assert rec["article_id"] == hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    assert rec["spans"] == [] and rec["relations"] == []
    assert rec["meta"]["extra"] == {"headline": "Budget approved"}


def test_conversion_problems_are_all_reasons_on_the_candidate() -> None:
    cand = _by_annotation(normalize_export(load_annotations(TROUBLE)))[1401]
    assert [r.message for r in cand.reasons] == [
        "task 14, annotation 1401: result item 5 (region z4): unknown result type 'textarea' (expected "
        "labels, "
        "choices or relation); the project's label config is not ours — "
        "replace it with `annotate push --update-config` and re-annotate "
        "the task",
        "task 14, annotation 1401: region z2 has 2 labels (PERPETRATOR, ATTACK), expected exactly one; give "
        "the "
        "region one label in Label Studio",
        "task 14, annotation 1401: region z3 has attribute choices (outcome) but no labels item; label the "
        "region "
        "in Label Studio or delete it",
    ]
    assert {r.check for r in cand.reasons} == {"conversion"}
    assert [r.span_id for r in cand.reasons] == ["z4", "z2", "z3"]
    assert [s["id"] for s in cand.record["spans"]] == ["z1"]  # built as far as possible


def test_missing_value_fields_and_relation_direction() -> None:
    task = {"id": 1, "data": {"text": "Rebels shelled the market."}, "annotations": [{
        "id": 9, "completed_by": 1, "result": [
            {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 7, "text": "shelled", "labels": ["ATTACK"]}},
            {"from_id": "b", "to_id": "a", "type": "relation", "direction": "left", "labels": []},
        ]}]}
    cand = normalize_export([task]).candidates[0]
    assert [r.message for r in cand.reasons] == [
        "task 1, annotation 9: result item 0 (region a): value lacks end; redraw the region in Label Studio"]
    assert cand.record["relations"] == [{"from_id": "b", "to_id": "a", "type": None}]
    assert cand.broken_regions == frozenset({"a"})


def test_output_is_deterministic_and_input_order_free() -> None:
    tasks = load_annotations(TROUBLE)
    a = normalize_export(tasks, users=USERS)
    b = normalize_export(list(reversed(json.loads(json.dumps(tasks)))), users=USERS)
    dump = lambda r: json.dumps([c.record for c in r.candidates], sort_keys=True)  # noqa: E731
    assert dump(a) == dump(b)


def test_load_records_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "annotations.jsonl"
    path.write_text('{"id": "x", "spans": []}\n\n{"id": "y", "spans": []}\n', encoding="utf-8")
    assert [r["id"] for r in load_annotations(path)] == ["x", "y"]


def test_truncated_export_names_file_and_position() -> None:
    path = DATA / "truncated_export.json"
    with pytest.raises(InputError) as info:
        load_annotations(path)
    assert str(info.value) == (
        f"{path}: not valid JSON at line 1 column 1501 (Expecting ',' delimiter); "
        "the file looks truncated — download the export again"
    )


@pytest.mark.parametrize(("content", "suffix", "message"), [
    ("", ".json", "{p}: the file is empty; download the export again"),
    ('[{"a": 1} {"b": 2}]', ".json", "{p}: not valid JSON at line 1 column 11 (Expecting ',' delimiter); "
                                     "the file "
                                     "is damaged — download the export again or fix it by hand"),
    ('{"id": 1, "spans": []}\n{"id": 2, "sp', ".jsonl",
     "{p}: line 2 is not valid JSON at column 11 (Unterminated "
                                                      "string starting at); the file looks truncated — "
                                                      "download "
                                                      "the export again"),
    ('[{"id": 3, "text": "x", "annotator": "a@b.c", "annotation_id": 4}]', ".json",
     "{p}: this looks like a JSON-MIN export, which drops region ids and relations; export the project as "
     "JSON instead"),
    ('[{"id": 3}]', ".json", "{p}: item 0 is neither a Label Studio task (no \"annotations\") nor an "
                             "annotation "
                             "record (no \"spans\"); give a JSON export or annotations.jsonl"),
    ('"hello"', ".json", "{p}: expected a JSON list of Label Studio tasks, found a str; export the project "
                         "as JSON"),
])
def test_bad_input_files(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    path = tmp_path / f"export{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_annotations(path)
    assert str(info.value) == message.format(p=path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.json: no such file; check the path"):
        load_annotations(tmp_path / "nope.json")
