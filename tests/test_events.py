"""Events, incidents, the count rule and the TextEE layout on hand-built records (no server)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from datasets import ClassLabel, Features, List, Value, load_dataset
from spacy.tokens import DocBin

from incident_corpus.core.fileio import dumps
from incident_corpus.core.labels import LABELS
from incident_corpus.core.nlp import blank_nlp, tokenizer
from incident_corpus.export.build import export
from incident_corpus.export.counts import Mention, combine_counts, parse_count
from incident_corpus.export.formats.events import ROLES, events_row, incident_rows
from incident_corpus.export.formats.hf import EVENTS_FEATURES, INCIDENTS_FEATURES
from incident_corpus.export.formats.spacy_corpus import relations_of, to_spacy_doc
from incident_corpus.export.formats.textee import textee_line, textee_record
from incident_corpus.export.prepare import prepare
from incident_corpus.quality.checks import validate_records

FIXTURE = Path(__file__).parent / "data" / "records" / "annotations.jsonl"
AID = "a1a1a1a1a1a1a1a1"


def record(text: str, spans: list[tuple[str, str, str, dict[str, str]]],
           relations: list[tuple[str, str, str]], *, article_id: str = AID, nth: dict[str, int] | None = None,
           ) -> dict[str, Any]:
    """A pulled record: spans as (id, label, exact text, attributes), located by str.find (nth[id]-th hit)."""
    out = []
    for sid, label, phrase, attrs in spans:
        start = -1
        for _ in range((nth or {}).get(sid, 0) + 1):
            start = text.find(phrase, start + 1)
        assert start >= 0, phrase
        out.append({"id": sid, "start": start, "end": start + len(phrase), "label": label, "text": phrase,
                    "attributes": attrs})
    return {
        "id": f"{article_id}:1", "article_id": article_id, "task_id": 1, "annotation_id": 1, "text": text,
        "meta": {"title": "t", "author": None, "source": "example-news", "published": "2024-05-01",
                 "url": "https://news.example/1", "language": "en", "source_file": None, "extra": {}},
        "annotator": "ann-0123456789", "created_at": "2024-05-01T00:00:00Z", "updated_at": "2024-05-01T00:00:00Z",
        "lead_time": 1.0, "ground_truth": True, "model_version": None, "spans": out,
        "relations": [{"from_id": f, "to_id": t, "type": typ} for f, t, typ in relations], "repairs": [],
    }


def prepared(rec: dict[str, Any]):
    sdoc = tokenizer()(rec["text"])
    doc, _ = prepare(rec, "train", sdoc, parse_count=parse_count)
    return doc


def args_by_role(event: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {r: [] for r in ROLES}
    for a in event["arguments"]:
        out[ROLES[a["role"]]].append(a["text"])
    return out


def assert_offsets(text: str, row: dict[str, Any]) -> None:
    for ev in row["events"]:
        assert text[ev["trigger"]["start"]:ev["trigger"]["end"]] == ev["trigger"]["text"]
        for a in ev["arguments"]:
            assert text[a["start"]:a["end"]] == a["text"]
            if a["claimant"]:
                assert text[a["claimant"]["start"]:a["claimant"]["end"]] == a["claimant"]["text"]
    for u in row["unattached"]:
        assert text[u["start"]:u["end"]] == u["text"]


TWO_ATTACKS = record(
    "Gunmen stormed a hotel, killing nine guests and wounding nearly fifty more. Hours later a suicide bomber "
    "blew himself up at a checkpoint, killing two soldiers. Al-Shabaab claimed responsibility for the hotel "
    "attack.",
    [("p1", "PERPETRATOR", "Gunmen", {"perpetrator_kind": "individual"}),
     ("a1", "ATTACK", "stormed", {"attack_type": "armed_assault", "attack_stage": "accomplished"}),
     ("c1", "CASUALTY", "nine guests", {"outcome": "killed"}),
     ("c2", "CASUALTY", "nearly fifty more", {"outcome": "injured"}),
     ("p2", "PERPETRATOR", "suicide bomber", {"perpetrator_kind": "individual"}),
     ("a2", "ATTACK", "blew himself up", {"attack_type": "bombing"}),
     ("c3", "CASUALTY", "two soldiers", {"outcome": "killed"}),
     ("p3", "PERPETRATOR", "Al-Shabaab", {"perpetrator_kind": "organisation"}),
     ("k1", "CLAIM", "claimed responsibility", {"claim_status": "claimed"}),
     ("a3", "ATTACK", "attack", {})],
    [("p1", "a1", "perpetrator_of"), ("c1", "a1", "casualty_of"), ("c2", "a1", "casualty_of"),
     ("p2", "a2", "perpetrator_of"), ("c3", "a2", "casualty_of"), ("k1", "a3", "claim_for"),
     ("k1", "p3", "claimed_by"), ("p3", "a3", "perpetrator_of")],
)


def test_several_attacks_in_one_article_each_get_their_own_arguments() -> None:
    doc = prepared(copy.deepcopy(TWO_ATTACKS))
    row = events_row(doc)
    assert [e["trigger"]["text"] for e in row["events"]] == ["stormed", "blew himself up", "attack"]
    assert [e["event_id"] for e in row["events"]] == [f"{AID}-e0", f"{AID}-e1", f"{AID}-e2"]
    first, second, third = (args_by_role(e) for e in row["events"])
    assert first == {"perpetrator": ["Gunmen"], "casualty": ["nine guests", "nearly fifty more"], "claim": []}
    assert second == {"perpetrator": ["suicide bomber"], "casualty": ["two soldiers"], "claim": []}
    assert third == {"perpetrator": ["Al-Shabaab"], "casualty": [], "claim": ["claimed responsibility"]}
    claim = row["events"][2]["arguments"][1]
    assert claim["claimant"]["text"] == "Al-Shabaab" and claim["claim_status"] == "claimed"
    assert row["events"][0]["attack_type"] == "armed_assault" and row["events"][0]["attack_stage"] == "accomplished"
    assert row["unattached"] == []
    assert_offsets(doc.record["text"], row)

    incidents = incident_rows(doc)
    assert [(r["nkill_min"], r["nkill_max"], r["nwound_min"], r["nwound_max"]) for r in incidents] == [
        (9, 9, None, 50), (2, 2, None, None), (None, None, None, None)]
    assert [r["perpetrators"] for r in incidents] == [["Gunmen"], ["suicide bomber"], ["Al-Shabaab"]]
    assert [r["claimed"] for r in incidents] == [False, False, True]
    assert incidents[2]["claim_statuses"] == ["claimed"]
    assert incidents[0]["perpetrator_kinds"] == ["individual"]
    text = doc.record["text"]
    for r in incidents:
        assert text[r["attack_start"]:r["attack_end"]] == r["attack_text"]


def test_a_casualty_drawn_the_wrong_way_round_is_repaired_by_pull_and_counted() -> None:
    rec = record("A car bomb exploded near the market, killing 12 people.",
                 [("a", "ATTACK", "exploded", {"attack_type": "bombing"}),
                  ("c", "CASUALTY", "12 people", {"outcome": "killed"})],
                 [("a", "c", "casualty_of")])  # ATTACK -> CASUALTY: the arrow drawn backwards
    raw = copy.deepcopy(rec)
    result = validate_records([rec])
    assert len(result.records) == 1
    repaired = result.records[0]
    assert [r["kind"] for r in repaired["repairs"]] == ["relation_reversed"]
    assert repaired["relations"] == [{"from_id": "c", "to_id": "a", "type": "casualty_of"}]
    for r in (repaired, raw):  # read by the labels at its ends, the unrepaired record gives the same event
        row = events_row(prepared(r))
        assert args_by_role(row["events"][0])["casualty"] == ["12 people"] and row["unattached"] == []
        assert incident_rows(prepared(r))[0]["nkill_min"] == 12


def test_a_claim_tied_only_to_a_perpetrator_joins_every_attack_of_that_perpetrator() -> None:
    rec = record(
        "Boko Haram fighters attacked a village and later ambushed a convoy. The group's leader Abubakar "
        "claimed the attacks in a video.",
        [("p", "PERPETRATOR", "Boko Haram fighters", {"perpetrator_kind": "individual"}),
         ("a1", "ATTACK", "attacked", {}), ("a2", "ATTACK", "ambushed", {"attack_type": "armed_assault"}),
         ("k", "CLAIM", "claimed", {"claim_status": "claimed"})],
        [("p", "a1", "perpetrator_of"), ("p", "a2", "perpetrator_of"), ("k", "p", "claimed_by")])
    doc = prepared(rec)
    row = events_row(doc)
    for ev in row["events"]:
        claims = [a for a in ev["arguments"] if ROLES[a["role"]] == "claim"]
        assert [c["text"] for c in claims] == ["claimed"]
        assert claims[0]["claimant"] == {"start": 0, "end": 19, "text": "Boko Haram fighters"}
    assert row["unattached"] == []
    assert [r["claimed"] for r in incident_rows(doc)] == [True, True]


def test_spans_no_relation_ties_to_an_attack_are_kept_as_unattached() -> None:
    rec = record(
        "Police blamed the PKK for the blast. Separately, three protesters were hurt in clashes.",
        [("k", "CLAIM", "blamed", {"claim_status": "attributed"}),
         ("p", "PERPETRATOR", "PKK", {"perpetrator_kind": "organisation"}),
         ("a", "ATTACK", "blast", {"attack_type": "bombing"}),
         ("c", "CASUALTY", "three protesters", {"outcome": "injured"})],
        [("k", "p", "claimed_by")])  # a claim and a party, but nothing ties them (or the casualty) to the blast
    doc = prepared(rec)
    row = events_row(doc)
    assert row["events"][0]["arguments"] == []
    un = {u["text"]: u for u in row["unattached"]}
    assert set(un) == {"blamed", "PKK", "three protesters"}
    label = ClassLabel(names=list(LABELS))
    assert [label.names.index(un[t]["label"]) for t in ("blamed", "PKK")] == [3, 1]  # names, mapped on write
    assert un["blamed"]["claimant"]["text"] == "PKK" and un["blamed"]["claim_status"] == "attributed"
    assert un["three protesters"]["count_min"] == 3 and ROLES[un["three protesters"]["role"]] == "casualty"
    assert_offsets(rec["text"], row)
    inc = incident_rows(doc)[0]
    assert inc["perpetrators"] == [] and inc["claimed"] is False and inc["nwound_min"] is None


def test_a_casualty_with_unknown_outcome_is_counted_apart() -> None:
    rec = record("The ambush left twelve people killed or wounded, hurt a guard and killed a driver.",
                 [("a", "ATTACK", "ambush", {"attack_type": "armed_assault"}),
                  ("c1", "CASUALTY", "twelve people", {"outcome": "unknown"}),
                  ("c3", "CASUALTY", "a guard", {}),
                  ("c2", "CASUALTY", "a driver", {"outcome": "killed"})],
                 [("c1", "a", "casualty_of"), ("c2", "a", "casualty_of"), ("c3", "a", "casualty_of")])
    doc = prepared(rec)
    inc = incident_rows(doc)[0]
    assert inc["casualties_unknown_outcome"] == 2  # `unknown` and unset
    assert (inc["nkill_min"], inc["nkill_max"]) == (1, 1)
    assert (inc["nwound_min"], inc["nwound_max"]) == (None, None)
    outcomes = [a["outcome"] for a in events_row(doc)["events"][0]["arguments"]]
    assert outcomes == ["unknown", None, "killed"]


def _combine(text: str, *phrases: str) -> tuple[int | None, int | None]:
    mentions, pos = [], 0
    for p in phrases:
        start = text.index(p, pos)
        pos = start + len(p)
        c = parse_count(p) or {}
        mentions.append(Mention(start, pos, c.get("min"), c.get("max")))
    return combine_counts(text, mentions)


@pytest.mark.parametrize(("text", "phrases", "expected"), [
    ("The bomb killed 15 people, including eight soldiers.", ("15 people", "eight soldiers"), (15, 15)),
    ("It killed 15 people, including eight soldiers and two police officers.",
     ("15 people", "eight soldiers", "two police officers"), (15, 15)),
    ("Twenty people died, among them three children.", ("Twenty people", "three children"), (20, 20)),
    ("Eight soldiers were among the 15 killed.", ("Eight soldiers", "15"), (15, 15)),
    ("Seven people, including twelve children, died.", ("Seven people", "twelve children"), (12, 12)),
    ("Gunmen killed eleven guests and a security guard.", ("eleven guests", "a security guard"), (12, 12)),
    ("At least 30 people were killed. By Sunday the death toll rose to 41.", ("At least 30 people", "41"),
     (41, 41)),
    ("Three policemen and four civilians were killed, 23 in all.", ("Three policemen", "four civilians", "23"),
     (23, 23)),
    ("The blast killed two soldiers, and dozens of shoppers died too.", ("two soldiers", "dozens of shoppers"),
     (2, None)),
    ("It wounded nearly fifty commuters.", ("nearly fifty commuters",), (None, 50)),
    ("More than 100 people and at least 20 police officers were hurt.",
     ("More than 100 people", "at least 20 police officers"), (120, None)),
    ("Two soldiers died at the gate. Three civilians, including a boy, died later.",
     ("Two soldiers", "Three civilians", "a boy"), (5, 5)),
])
def test_count_rule(text: str, phrases: tuple[str, ...], expected: tuple[int | None, int | None]) -> None:
    assert _combine(text, *phrases) == expected


def test_count_rule_with_no_mentions_is_null() -> None:
    assert combine_counts("nothing", []) == (None, None)


def test_nested_totals_and_killed_plus_injured_in_incidents() -> None:
    rec = record(
        "The bombing killed 15 people, including eight soldiers, and wounded nearly fifty others.",
        [("a", "ATTACK", "bombing", {"attack_type": "bombing"}),
         ("c1", "CASUALTY", "15 people", {"outcome": "killed"}),
         ("c2", "CASUALTY", "eight soldiers", {"outcome": "killed"}),
         ("c3", "CASUALTY", "nearly fifty others", {"outcome": "injured"})],
        [("c1", "a", "casualty_of"), ("c2", "a", "casualty_of"), ("c3", "a", "casualty_of")])
    inc = incident_rows(prepared(rec))[0]
    assert (inc["nkill_min"], inc["nkill_max"], inc["nwound_min"], inc["nwound_max"]) == (15, 15, None, 50)


def test_textee_layout_has_token_offsets_entities_and_roles() -> None:
    doc = prepared(copy.deepcopy(TWO_ATTACKS))
    line = json.loads(json.dumps(textee_record(doc)))
    text, tokens = line["text"], line["tokens"]
    assert line["doc_id"] == AID and line["lang"] == "en"
    assert tokens == [t.text for t in blank_nlp().make_doc(text) if not t.is_space]
    entities = {e["id"]: e for e in line["entity_mentions"]}
    assert sorted(e["entity_type"] for e in entities.values()) == sorted(
        ["PERPETRATOR"] * 3 + ["CASUALTY"] * 3 + ["CLAIM"])
    for e in entities.values():
        assert text[e["char_start"]:e["char_end"]] == e["text"]
        assert e["text"].split()[0].startswith(tokens[e["start"]]) and e["end"] > e["start"]
    assert [ev["event_type"] for ev in line["event_mentions"]] == ["Conflict:Attack"] * 3
    first = line["event_mentions"][0]
    assert tokens[first["trigger"]["start"]:first["trigger"]["end"]] == ["stormed"]
    assert [(a["role"], entities[a["entity_id"]]["text"]) for a in first["arguments"]] == [
        ("Attacker", "Gunmen"), ("Victim", "nine guests"), ("Victim", "nearly fifty more")]
    for ev in line["event_mentions"]:
        for a in ev["arguments"]:
            ent = entities[a["entity_id"]]
            assert (a["start"], a["end"], a["text"]) == (ent["start"], ent["end"], ent["text"])
            assert " ".join(tokens[a["start"]:a["end"]]).replace(" ", "") == a["text"].replace(" ", "")
    assert [a["role"] for a in line["event_mentions"][2]["arguments"]] == ["Attacker", "Claim"]
    (rel,) = line["relation_mentions"]
    assert rel["relation_type"] == "claimed_by"
    assert [entities[a["entity_id"]]["text"] for a in rel["arguments"]] == ["claimed responsibility", "Al-Shabaab"]


ODD_TEXT = record(
    'Gunmen "stormed" a café\\bar\tin Zürich, killing nine guests 😢. Al-Shabaab claimed responsibility\u2028.',
    [("p1", "PERPETRATOR", "Gunmen", {"perpetrator_kind": 'say "who"\n'}),
     ("a1", "ATTACK", '"stormed"', {"attack_type": None}),
     ("c1", "CASUALTY", "nine guests 😢", {"outcome": "killed"}),
     ("cl", "CLAIM", "claimed responsibility", {"claim_status": "claimed"}),
     ("p2", "PERPETRATOR", "Al-Shabaab", {})],
    [("p1", "a1", "perpetrator_of"), ("c1", "a1", "casualty_of"), ("cl", "p2", "claimed_by"),
     ("p2", "a1", "perpetrator_of")])


@pytest.mark.parametrize("text", [None, "plain ascii", "naïve “quotes” 😢 only", "",
                                  "a \\u001f b \\ c\td", "x\x1fy \x1f z \"q\" \\\\u001f",
                                  'He said "go"\nnow,\ttab\r\x07 bell'])
def test_textee_line_is_dumps_of_the_record(text: str | None) -> None:
    """The writer's hand-joined line has exactly the characters of dumps(textee_record(doc))."""
    recs = [copy.deepcopy(TWO_ATTACKS), copy.deepcopy(ODD_TEXT)]
    recs += [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    if text is not None:  # a text with no spans: the token array alone
        recs = [{**recs[0], "text": text, "spans": [], "relations": []}]
    for rec in recs:
        doc = prepared(rec)
        assert textee_line(doc) == dumps(textee_record(doc))
    odd = prepared(copy.deepcopy(ODD_TEXT))
    odd.spans[0]["start"] = odd.spans[0]["start"] * 1.0  # not an int: through dumps itself
    assert textee_line(odd) == dumps(textee_record(odd))


def test_spacy_docs_carry_their_relations_through_a_docbin() -> None:
    doc = prepared(copy.deepcopy(TWO_ATTACKS))
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
    db.add(to_spacy_doc(doc))
    (back,) = DocBin().from_bytes(db.to_bytes()).get_docs(blank_nlp().vocab)
    got = sorted((h.text, h.label_, t.text, t.label_, typ) for h, t, typ in relations_of(back))
    assert got == sorted([
        ("Gunmen", "PERPETRATOR", "stormed", "ATTACK", "perpetrator_of"),
        ("nine guests", "CASUALTY", "stormed", "ATTACK", "casualty_of"),
        ("nearly fifty more", "CASUALTY", "stormed", "ATTACK", "casualty_of"),
        ("suicide bomber", "PERPETRATOR", "blew himself up", "ATTACK", "perpetrator_of"),
        ("two soldiers", "CASUALTY", "blew himself up", "ATTACK", "casualty_of"),
        ("claimed responsibility", "CLAIM", "attack", "ATTACK", "claim_for"),
        ("claimed responsibility", "CLAIM", "Al-Shabaab", "PERPETRATOR", "claimed_by"),
        ("Al-Shabaab", "PERPETRATOR", "attack", "ATTACK", "perpetrator_of"),
    ])


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("events") / "ds"
    export(input_path=FIXTURE, out_dir=out, split=(0.5, 0.25, 0.25), formats=("hf", "spacy", "textee"))
    return out


def test_events_and_incidents_load_offline_with_typed_features(out: Path, tmp_path: Path) -> None:
    events = load_dataset(str(out), "events", cache_dir=str(tmp_path / "c"))
    incidents = load_dataset(str(out), "incidents", cache_dir=str(tmp_path / "c"))
    assert list(events) == ["train", "validation", "test"]
    for ds in events.values():
        assert ds.features == EVENTS_FEATURES
    for ds in incidents.values():
        assert ds.features == INCIDENTS_FEATURES
    role = EVENTS_FEATURES["events"].feature["arguments"].feature["role"]
    assert isinstance(role, ClassLabel) and role.names == ["perpetrator", "casualty", "claim"]
    assert EVENTS_FEATURES["unattached"].feature["claimant"] == {
        "start": Value("int32"), "end": Value("int32"), "text": Value("string")}
    assert isinstance(INCIDENTS_FEATURES["perpetrators"], List)
    assert not any(isinstance(f, dict) and not f for f in Features(EVENTS_FEATURES).values())
    spans = load_dataset(str(out), "spans", cache_dir=str(tmp_path / "c"))
    n_events = 0
    for split, ds in events.items():
        assert len(ds) == len(spans[split])
        for row in ds:
            assert_offsets(row["text"], row)
            n_events += len(row["events"])
    assert n_events == sum(len(ds) for ds in incidents.values()) > 0
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "config_name: events" in card and "config_name: incidents" in card
    assert "15 people, including eight soldiers" in card and "| total | 9 |" in card


def test_spacy_corpus_files_keep_the_relations_of_the_spans_config(out: Path, tmp_path: Path) -> None:
    spans = load_dataset(str(out), "spans", cache_dir=str(tmp_path / "c"))
    names = spans["train"].features["spans"].feature["label"].names
    rel_names = spans["train"].features["relations"].feature["type"].names
    expected = {}
    for row in spans["train"]:
        s = row["spans"]
        expected[row["text"]] = [(s[r["head"]], s[r["tail"]], rel_names[r["type"]]) for r in row["relations"]]
    docs = list(DocBin().from_disk(out / "spacy" / "train.spacy").get_docs(blank_nlp().vocab))
    assert len(docs) == len(expected)
    for d in docs:
        got = relations_of(d)
        assert sorted((h.label_, t.label_, typ) for h, t, typ in got) == sorted(
            (names[s["label"]], names[t["label"]], typ) for s, t, typ in expected[d.text])
        for (h, t, typ), (s, e_t, e_typ) in zip(sorted(got, key=_key), sorted(expected[d.text], key=_ekey),
                                                strict=True):
            # Doc spans sit on token boundaries: each covers the non-space characters of its annotated span
            assert _covers(h, s) and _covers(t, e_t) and typ == e_typ
    assert any(expected.values())


def _covers(span: Any, s: dict[str, Any]) -> bool:
    start = s["start"] + len(s["text"]) - len(s["text"].lstrip())
    return span.start_char <= start and span.end_char >= s["start"] + len(s["text"].rstrip())


def _key(rel: tuple[Any, Any, str]) -> tuple[int, int, str]:
    return rel[0].start_char, rel[1].start_char, rel[2]


def _ekey(rel: tuple[dict[str, Any], dict[str, Any], str]) -> tuple[int, int, str]:
    return rel[0]["start"], rel[1]["start"], rel[2]


def test_textee_files_hold_one_line_per_article(out: Path) -> None:
    lines = {name: (out / "textee" / name).read_text(encoding="utf-8").splitlines()
             for name in ("train.jsonl", "dev.jsonl", "test.jsonl")}
    assert [len(v) for v in lines.values()] == [4, 2, 2]
    for rows in lines.values():
        for line in rows:
            rec = json.loads(line)
            for ev in rec["event_mentions"]:
                t = ev["trigger"]
                assert rec["text"][t["char_start"]:t["char_end"]] == t["text"]


def test_one_msgpack_lookup_writes_the_same_docbin_bytes() -> None:
    from srsly.msgpack import msgpack_encoders

    from incident_corpus.export.formats.spacy_corpus import one_msgpack_lookup

    def docbin_bytes() -> bytes:
        db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
        db.add(to_spacy_doc(prepared(copy.deepcopy(TWO_ATTACKS))))
        return db.to_bytes()

    plain = docbin_bytes()
    with one_msgpack_lookup():
        assert "get_all" in vars(msgpack_encoders)
        with one_msgpack_lookup():  # nested: a no-op
            fast = docbin_bytes()
        assert "get_all" in vars(msgpack_encoders)
    assert "get_all" not in vars(msgpack_encoders)  # restored
    assert fast == plain
