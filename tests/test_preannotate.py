"""The rule pre-annotator: record shape, offsets, schema validity, and a floor on gold-set quality."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from incident_corpus.core import cpu
from incident_corpus.core.batches import batches
from incident_corpus.core.errors import InputError
from incident_corpus.core.labels import ATTRIBUTES_BY_NAME, LABEL_DEFINITIONS, LABEL_HOTKEYS, LABELS, RELATIONS
from incident_corpus.core.resources import guideline_markdown, task_validator
from incident_corpus.preannotate import lexicon, runner
from incident_corpus.preannotate.rules import Candidate, Proposals, component
from incident_corpus.preannotate.runner import RULESET_VERSION, Preannotator, score_spans
from incident_corpus.studio.results import spans_to_result
from tests import helpers

DATA = helpers.DATA / "gold"

# Measured overlap-F1 on gold.jsonl (the team's own set, an upper bound): incident-rules-1 ATTACK 0.93,
# PERPETRATOR 0.81, CASUALTY 0.87, CLAIM 0.94; incident-rules-2 0.93 / 0.80 / 0.91 / 0.94. Guideline version 2
# (D3: sentenced, charges, pleaded not guilty are CLAIMs; D1: "the jihadist group") added 3 CLAIM and 1
# PERPETRATOR span: incident-rules-2 then scores 0.93 / 0.81 / 0.91 / 0.80; incident-rules-3 (issue 28: entity-level
# PERPETRATOR) 0.93 / 0.87 / 0.91 / 0.80; incident-rules-4 (D3's legal CLAIMs) and -5 (capitals, murder verbs)
# 0.93 / 0.87 / 0.91 / 1.00.
# The floors sit a little below.
OVERLAP_F1_FLOOR = {"ATTACK": 0.88, "PERPETRATOR": 0.76, "CASUALTY": 0.82, "CLAIM": 0.95}

NO_ATTACK = (
    "The city council approved a new budget for parks on Tuesday. The mayor praised volunteers who "
    "planted 300 trees, and said 12 people had applied to join the committee."
)
FANCY = (
    "🚨😀👍🏽 BREAKING ‼️ “Two gunmen” stormed a café 🇫🇷 on Friday, killing at least 12 people — "
    "and ‘Islamic State’ claimed responsibility for the attack 💔."
)


def read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return read("gold.jsonl") + read("dev.jsonl")


@pytest.fixture(scope="module")
def predictions(pre: Preannotator, corpus: list[dict]) -> list[dict]:
    return list(pre.annotate_many([row["text"] for row in corpus], batch_size=4))


def check_result(text: str, result: dict) -> None:
    assert set(result) == {"spans", "relations", "score"}
    assert 0.0 <= result["score"] <= 1.0
    ids = [s["id"] for s in result["spans"]]
    assert ids == [f"p{k}" for k in range(1, len(ids) + 1)]
    taken: set[int] = set()
    for span in result["spans"]:
        assert set(span) == {"id", "start", "end", "label", "text", "attributes", "score"}
        assert 0.0 < span["score"] <= 1.0
        assert 0 <= span["start"] < span["end"] <= len(text)
        assert text[span["start"]:span["end"]] == span["text"]
        assert span["text"] == span["text"].strip()
        assert span["label"] in LABELS
        for name, value in span["attributes"].items():
            attr = ATTRIBUTES_BY_NAME[name]
            assert attr.label == span["label"] and value in attr.values
        chars = set(range(span["start"], span["end"]))
        assert not chars & taken, f"overlapping spans: {span}"  # the guideline allows no overlaps
        taken |= chars
    labels = {s["id"]: s["label"] for s in result["spans"]}
    for rel in result["relations"]:
        assert (labels[rel["from_id"]], labels[rel["to_id"]]) == RELATIONS[rel["type"]]


def test_records_are_valid_on_all_articles(corpus: list[dict], predictions: list[dict]) -> None:
    assert len(predictions) == len(corpus)
    for row, result in zip(corpus, predictions, strict=True):
        check_result(row["text"], result)


def test_result_converts_and_validates_against_task_schema(
    corpus: list[dict], predictions: list[dict]
) -> None:
    validator = task_validator()
    for row, result in zip(corpus, predictions, strict=True):
        task = {
            "data": {"text": row["text"], "article_id": "0123456789abcdef"},
            "predictions": [{"model_version": RULESET_VERSION, "score": result["score"],
                             "result": spans_to_result(result["spans"], result["relations"])}],
        }
        errors = list(validator.iter_errors(task))
        assert not errors, errors[0].message


def test_emoji_and_curly_quotes_before_spans(pre: Preannotator) -> None:
    result = pre.annotate(FANCY)
    check_result(FANCY, result)
    found = {(s["label"], s["text"]) for s in result["spans"]}
    assert ("PERPETRATOR", "Two gunmen") in found
    assert ("ATTACK", "stormed") in found
    assert ("CASUALTY", "at least 12 people") in found
    assert ("PERPETRATOR", "Islamic State") in found
    assert ("CLAIM", "claimed responsibility") in found


def test_expected_spans_attributes_and_relations(pre: Preannotator) -> None:
    text = ("A suicide bombing at a market killed nine shoppers and wounded nearly fifty more. "
            "Al-Shabaab claimed responsibility.")
    result = pre.annotate(text)
    by_text = {s["text"]: s for s in result["spans"]}
    assert by_text["suicide bombing"]["attributes"]["attack_type"] == "bombing"
    assert by_text["nine shoppers"]["attributes"]["outcome"] == "killed"
    assert by_text["nearly fifty more"]["attributes"]["outcome"] == "injured"
    assert by_text["Al-Shabaab"]["attributes"]["perpetrator_kind"] == "organisation"
    assert by_text["claimed responsibility"]["attributes"]["claim_status"] == "claimed"
    rels = {(r["from_id"], r["to_id"], r["type"]) for r in result["relations"]}
    attack = by_text["suicide bombing"]["id"]
    assert (by_text["nine shoppers"]["id"], attack, "casualty_of") in rels
    assert (by_text["claimed responsibility"]["id"], by_text["Al-Shabaab"]["id"], "claimed_by") in rels


def test_attackers_are_not_casualties_and_claims_need_a_claimant(pre: Preannotator) -> None:
    text = "Both attackers were shot dead. No group has claimed responsibility. The blast claimed 30 lives."
    result = pre.annotate(text)
    assert not [s for s in result["spans"] if s["label"] == "CASUALTY" and "attackers" in s["text"]]
    assert not [s for s in result["spans"] if s["label"] == "CLAIM"]


def test_text_without_attack_has_no_attack_spans(pre: Preannotator) -> None:
    result = pre.annotate(NO_ATTACK)
    check_result(NO_ATTACK, result)
    assert not [s for s in result["spans"] if s["label"] in ("ATTACK", "CASUALTY")]


def test_empty_and_whitespace_texts(pre: Preannotator) -> None:
    for text in ("", "   \n\n  "):
        assert pre.annotate(text) == {"spans": [], "relations": [], "score": 0.0}


def test_annotate_many_keeps_order_and_matches_annotate(pre: Preannotator, corpus: list[dict]) -> None:
    texts = [row["text"] for row in corpus[:5]]
    assert list(pre.annotate_many(iter(texts), batch_size=2)) == [pre.annotate(t) for t in texts]


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_worker_process_gives_the_same_predictions_in_order(
        pre: Preannotator, corpus: list[dict], monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    """The shared path (chunks to a worker process, the chunks between them here) changes nothing."""
    monkeypatch.setattr(runner, "PARALLEL_CHUNK", 2)
    monkeypatch.setattr(runner, "_start_method", lambda: method)
    texts = [row["text"] for row in corpus] + ["", NO_ATTACK, FANCY]
    here = list(pre.annotate_many(texts, workers=0))
    assert any(r["spans"] for r in here)
    assert list(pre.annotate_many(texts, workers=1)) == here


def test_slim_vocabulary_changes_no_prediction(
        pre: Preannotator, corpus: list[dict], monkeypatch: pytest.MonkeyPatch) -> None:
    """New words get only component.LEXEME_ATTRS; a rule reading another attribute would see 0/False there."""
    texts = [row["text"] for row in corpus] + [NO_ATTACK, FANCY]
    slim = list(pre.annotate_many(texts, workers=0))
    monkeypatch.setattr(component, "LEXEME_ATTRS", None)  # every English attribute, as spacy.blank has
    full = Preannotator()
    assert len(full.nlp.vocab.lex_attr_getters) > len(pre.nlp.vocab.lex_attr_getters)
    assert list(full.annotate_many(texts, workers=0)) == slim


def test_slim_lexemes_keep_token_boundaries_and_the_attributes_kept() -> None:
    from spacy.attrs import LIKE_NUM, LOWER

    from incident_corpus.core.nlp import new_blank

    full, slim = new_blank(), new_blank(lexeme_attrs=(LOWER, LIKE_NUM))
    text = FANCY + " Zyxwvut-Qrst killed 14.Fourteen"
    a, b = full.make_doc(text), slim.make_doc(text)
    assert [(t.idx, t.text) for t in a] == [(t.idx, t.text) for t in b]
    assert [(t.lower_, t.like_num) for t in a] == [(t.lower_, t.like_num) for t in b]
    # a word neither vocabulary had before: the attributes not kept read as False / ""
    assert full.vocab["Zyxwvut"].is_alpha and full.vocab["Zyxwvut"].shape_ == "Xxxxx"
    assert not slim.vocab["Zyxwvut"].is_alpha and slim.vocab["Zyxwvut"].shape_ == ""


def test_only_a_large_list_goes_to_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_spare_cpus", lambda: 1)
    big = [""] * runner.PARALLEL_MIN_TEXTS
    assert runner.workers_for(big, None) == 1
    assert runner.workers_for(big[1:], None) == 0
    assert runner.workers_for(iter(big), None) == 0  # a stream of unknown length stays here
    assert runner.workers_for(big[:1], 2) == 2
    monkeypatch.setattr(runner, "_spare_cpus", lambda: 0)
    assert runner.workers_for(big, None) == 0


@pytest.mark.parametrize(("cpus", "free", "spare"), [
    (1, 1.0, 0), (2, 2.0, 1), (2, 1.6, 1), (2, 1.4, 0), (2, 1.0, 0), (2, 0.0, 0), (8, 6.0, 5), (8, 8.0, 7)])
def test_spare_cpus_counts_idle_ones(cpus: int, free: float, spare: int) -> None:
    assert cpu.spare_cpus(cpus, free) == spare


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat is Linux's")
def test_free_cpus_sees_another_process_busy_but_not_this_one() -> None:
    cpus = cpu.usable_cpus()
    spin = subprocess.Popen([sys.executable, "-c", "import time\nend = time.time() + 5\nwhile time.time() < end: pass"])
    try:
        time.sleep(0.3)  # the child is running
        cpu.free_cpus(cpus)  # a fresh window from here
        end = time.process_time() + 0.4
        while time.process_time() < end:  # this process busy too: its own CPU counts as free
            pass
        free = cpu.free_cpus(cpus)
    finally:
        spin.kill()
        spin.wait()
    assert 0.0 <= free <= cpus - 0.7, free  # the spinning child took (nearly) one CPU
    # and only it, on an otherwise idle machine (the 1-minute load counts this process and the child: past
    # cpus - 0.5 something else is running, and what it takes is not ours to assert)
    assert free >= cpus - 1.3 or cpus < 2 or os.getloadavg()[0] > cpus - 0.5, free


def test_missing_model_raises_input_error() -> None:
    with pytest.raises(InputError, match=r"spaCy model 'xx_no_such_pipeline_zz' is not installed.*"
                                         r"python -m spacy download xx_no_such_pipeline_zz.*--model"):
        Preannotator(model="xx_no_such_pipeline_zz")


def test_gold_overlap_f1_floor(pre: Preannotator) -> None:
    gold = read("gold.jsonl")
    assert len(gold) >= 12
    preds = list(pre.annotate_many([g["text"] for g in gold]))
    scores = score_spans([g["spans"] for g in gold], [p["spans"] for p in preds])
    for label, floor in OVERLAP_F1_FLOOR.items():
        assert scores["overlap"][label]["f1"] >= floor, (label, scores["overlap"][label])


def test_score_spans_counts_exact_and_overlap() -> None:
    gold = [[{"start": 0, "end": 10, "label": "ATTACK"}, {"start": 20, "end": 25, "label": "CLAIM"}]]
    pred = [[{"start": 0, "end": 10, "label": "ATTACK"}, {"start": 21, "end": 30, "label": "CLAIM"},
             {"start": 40, "end": 45, "label": "CLAIM"}]]
    s = score_spans(gold, pred)
    assert s["exact"]["ATTACK"]["f1"] == 1.0
    assert s["exact"]["CLAIM"]["tp"] == 0
    assert s["overlap"]["CLAIM"]["tp"] == 1 and s["overlap"]["CLAIM"]["precision"] == 0.5
    assert s["overlap"]["micro"]["recall"] == 1.0


def test_gold_files_follow_the_label_set() -> None:
    for row in read("gold.jsonl") + read("dev.jsonl"):
        ids = {s["id"]: s["label"] for s in row["spans"]}
        for span in row["spans"]:
            assert row["text"][span["start"]:span["end"]] == span["text"]
            assert span["label"] in LABELS
            for name, value in span["attributes"].items():
                attr = ATTRIBUTES_BY_NAME[name]
                assert attr.label == span["label"] and value in attr.values
        for rel in row["relations"]:
            assert (ids[rel["from_id"]], ids[rel["to_id"]]) == RELATIONS[rel["type"]], (row["id"], rel)


def test_guideline_table_uses_the_label_definitions() -> None:
    text = guideline_markdown()
    for label in LABELS:
        assert f"| {label} | {LABEL_HOTKEYS[label]} | {LABEL_DEFINITIONS[label]} |" in text
    for attr in ATTRIBUTES_BY_NAME.values():
        assert f"`{attr.name}`" in text
        for value in attr.values:
            assert f"`{value}`" in text, (attr.name, value)
    for rel in RELATIONS:
        assert f"`{rel}`" in text


# ---------------------------------------------------------------------------------------------
# incident-rules-2 and -3: the guideline's hard cases, in invented sentences (issue 12's failure classes).

def spans_of(pre: Preannotator, text: str, label: str | None = None) -> list[tuple[str, str]]:
    result = pre.annotate(text)
    check_result(text, result)
    return [(s["label"], s["text"]) for s in result["spans"] if label is None or s["label"] == label]


def test_pattern_files_are_valid() -> None:
    """The data files name only kinds and attribute values labels.py knows (was an import-time assert)."""
    assert lexicon.check() == []
    lex = lexicon.load()
    assert lex.values("ATK") and lex.values("CLAIM") and lex.by_kind("GROUP")
    bad = lexicon.Lexicon({("ATK", "bombingz"): ("x",), ("NOPE", ""): ("y",), ("CLAIM", "claimed"): (" pad",)}, {})
    problems = lexicon.check(bad)
    assert len(problems) == 3 and any("bombingz" in p for p in problems) and any("NOPE" in p for p in problems)


@pytest.mark.parametrize("text", [
    "The army said its battle against ISIS would go on after the bombing in the north killed 4 people.",
    "The government thanked allies for fighting ISIS, a week after the bombing that killed 9 people.",
    "Officials warned about the threat posed by ISIS after the market bombing.",
    "The minister said he would deal with terrorist groups like the Islamic State after the attack.",
    "Pakistan-based terrorist groups like Lashkar-e-Qudrat were cooperating with ISIS, the report said after the raid.",
    "Volunteers joined the Taliban last year, months before the attack on the school.",
])
def test_background_mentions_of_groups_are_not_perpetrators(pre: Preannotator, text: str) -> None:
    assert spans_of(pre, text, "PERPETRATOR") == []


def test_place_names_are_never_perpetrators(pre: Preannotator) -> None:
    text = ("A suicide bombing in Helmand Province killed 12 people, and the Kandahar Liberation Front claimed "
            "responsibility. Officials in Nangarhar Province said a second attack was foiled.")
    perps = spans_of(pre, text, "PERPETRATOR")
    assert ("PERPETRATOR", "Kandahar Liberation Front") in perps
    assert not [t for _label, t in perps if "Province" in t]


def test_perpetrator_mentions_in_a_role(pre: Preannotator) -> None:
    # Guideline v2 (D1): the first ISIS too (every mention of a perpetrator entity).
    text = ("Analysts have long studied ISIS. On Sunday ISIS claimed responsibility for the blast, and an "
            "ISIS attack in May killed 20 people. The bombing was carried out by the Islamic State, police said.")
    perps = [t for _label, t in spans_of(pre, text, "PERPETRATOR")]
    assert perps == ["ISIS", "ISIS", "ISIS", "Islamic State"]


def test_shared_responsibility_and_attribution_are_claims(pre: Preannotator) -> None:
    text = ("The Kurram Valley Brigade shared responsibility for the attack on the college. "
            "A leaked report said ISIS was also responsible for an August attack on a convoy.")
    result = pre.annotate(text)
    check_result(text, result)
    by_text = {s["text"]: s for s in result["spans"]}
    assert by_text["shared responsibility"]["attributes"]["claim_status"] == "claimed"
    assert by_text["was also responsible"]["attributes"]["claim_status"] == "attributed"
    assert by_text["Kurram Valley Brigade"]["label"] == "PERPETRATOR"
    assert by_text["ISIS"]["label"] == "PERPETRATOR"


@pytest.mark.parametrize("text", [
    "The blast at the bus station claimed 30 lives.",
    "No group has yet claimed responsibility for the bombing.",
    "After the bombing, the governor accused the mayor of lying about the budget.",
    "The police did not respond to the claims about the attack.",
])
def test_claim_exclusions(pre: Preannotator, text: str) -> None:
    assert spans_of(pre, text, "CLAIM") == []


def test_unknown_group_names_from_patterns(pre: Preannotator) -> None:
    text = ("Jamaat-ul-Nasr claimed responsibility for the bombing. Lashkar-e-Qudrat, which is close to the "
            "group, denied involvement in the attack.")
    perps = {t: s for s, t in spans_of(pre, text, "PERPETRATOR")}
    assert "Jamaat-ul-Nasr" in perps and "Lashkar-e-Qudrat" in perps


def test_names_learned_from_the_article(pre: Preannotator) -> None:
    text = ("On Monday the Red Sand Collective claimed responsibility for the bombing of a bus. "
            "Police said the Red Sand Collective carried out two earlier attacks. "
            "Students debated the Red Sand Collective in class.")
    result = pre.annotate(text)
    perps = [s for s in result["spans"] if s["label"] == "PERPETRATOR"]
    # Guideline v2 (D1): the third mention too (the class debate).
    assert [s["text"] for s in perps] == ["Red Sand Collective"] * 3
    assert perps[1]["start"] == text.index("Red Sand Collective carried")


def test_score_reflects_rule_confidence(pre: Preannotator) -> None:
    text = ("ISIS claimed responsibility for the bombing. Jamaat-ul-Nasr claimed responsibility for the "
            "shooting. The Blue Hand Society claimed responsibility for the arson attack.")
    scores = {s["text"]: s["score"] for s in pre.annotate(text)["spans"] if s["label"] == "PERPETRATOR"}
    assert scores["ISIS"] > scores["Jamaat-ul-Nasr"] > scores["Blue Hand Society"]


def test_police_raids_and_walk_outs_are_not_attacks(pre: Preannotator) -> None:
    text = ("Counter-terror officers launched raids in the east of the city. Dockers began a 48-hour strike. "
            "Doctors need resources to attack the virus.")
    assert spans_of(pre, text, "ATTACK") == []


def test_role_nouns_and_categories(pre: Preannotator) -> None:
    text = ("Thousands of militants live in the hills, officials said. "
            "Three heavily armed militants stormed the hotel, killing 11 guests, and the gunmen fled.")
    perps = [t for _label, t in spans_of(pre, text, "PERPETRATOR")]
    assert perps == ["Three heavily armed militants", "gunmen"]


def test_model_entities_in_a_perpetrator_role(tmp_path) -> None:
    """A user pipeline with NER adds named people in role, not the same names in other roles."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Dario Velk"}, {"label": "ORG", "pattern": "Ostrava Press"}])
    nlp.to_disk(tmp_path / "pipe")
    pre = Preannotator(model=str(tmp_path / "pipe"))
    text = ("Dario Velk detonated a bomb at the station, killing 4 people. Ostrava Press interviewed "
            "the family of Dario Velk after the bombing.")
    result = pre.annotate(text)
    check_result(text, result)
    perps = [(s["text"], s["attributes"]["perpetrator_kind"], s["start"]) for s in result["spans"]
             if s["label"] == "PERPETRATOR"]
    # Guideline v2 (D1): the second Dario Velk too.
    assert perps == [("Dario Velk", "individual", 0), ("Dario Velk", "individual", text.rindex("Dario Velk"))]
    assert "Ostrava Press" not in [p[0] for p in perps]
    assert "Ostrava Press" not in [s["text"] for s in Preannotator().annotate(text)["spans"]]


def test_model_without_ner_is_an_input_error(tmp_path) -> None:
    import spacy

    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(InputError, match="has no NER component"):
        Preannotator(model=str(tmp_path / "blank"))


def _check_gold_rows(path: Path) -> list[dict]:
    """A committed real-news gold file: valid labels, attributes and relations, no overlaps, clean edges.

    Its offsets are checked against the texts by the benchmark (the texts live in ../shared, not here)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert "_meta" in rows[0], path
    docs = rows[1:]
    assert len({d["doc_id"] for d in docs}) == len(docs), path
    for doc in docs:
        assert doc["split"] in ("dev", "sealed"), (path, doc["doc_id"])
        assert doc["annotation_seconds"] is None or doc["annotation_seconds"] > 0
        ids = {s["id"]: s["label"] for s in doc["spans"]}
        assert len(ids) == len(doc["spans"])
        last_end = -1
        for span in sorted(doc["spans"], key=lambda s: s["start"]):
            assert span["start"] >= last_end, (doc["doc_id"], span)
            last_end = span["end"]
            assert span["end"] - span["start"] == len(span["text"]) and span["text"] == span["text"].strip()
            assert span["label"] in LABELS
            for name, value in span["attributes"].items():
                attr = ATTRIBUTES_BY_NAME[name]
                assert attr.label == span["label"] and value in attr.values
        for rel in doc["relations"]:
            assert (ids[rel["from_id"]], ids[rel["to_id"]]) == RELATIONS[rel["type"]]
    return docs


def test_real_news_gold_file_is_consistent() -> None:
    docs = _check_gold_rows(helpers.REPO / "benchmarks" / "data" / "real-news.gold.jsonl")
    assert len(docs) == 21 and all(d["split"] == "dev" for d in docs)  # the rules were developed on them


def test_invented_gold_file_is_consistent() -> None:
    """benchmarks/data/invented.gold.jsonl: every span's text at its offsets, valid labels and attributes, no
    overlaps, and both parts present (the held-out part is scored in aggregate only)."""
    from benchmarks import invented

    rows = invented.read_rows()
    assert {r["split"] for r in rows} == set(invented.SPLITS)
    assert len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        last_end = -1
        for span in sorted(row["spans"], key=lambda s: s["start"]):
            assert span["start"] >= last_end, (row["id"], span)
            last_end = span["end"]
            assert row["text"][span["start"]:span["end"]] == span["text"] == span["text"].strip(), (row["id"], span)
            assert span["label"] in LABELS
            for name, value in span.get("attributes", {}).items():
                attr = ATTRIBUTES_BY_NAME[name]
                assert attr.label == span["label"] and value in attr.values, (row["id"], span)
    texts, gold = invented.invented_set()["held-out"]
    assert len(texts) == len(gold) >= 8


def test_rams_gold_files_follow_the_sealed_split() -> None:
    """Every RAMS gold row is a chosen window with the split fixed in rams.split.jsonl before annotation,
    each window is annotated once, and sealed texts are at least a third of all real-news gold texts."""
    data = helpers.REPO / "benchmarks" / "data"
    split = [json.loads(line) for line in (data / "rams.split.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    by_key = {r["doc_key"]: r for r in split}
    assert len(by_key) == len(split) >= 70
    for url in {r["source_url"] for r in split}:  # an article's windows share one split
        assert len({r["split"] for r in split if r["source_url"] == url}) == 1, url
    files = sorted(data.glob("rams*.gold.jsonl"))
    assert files
    seen: list[str] = []
    for path in files:
        for doc in _check_gold_rows(path):
            assert doc["doc_id"] in by_key, (path.name, doc["doc_id"])
            assert doc["split"] == by_key[doc["doc_id"]]["split"], (path.name, doc["doc_id"])
            seen.append(doc["doc_id"])
    assert len(seen) == len(set(seen))
    sealed = sum(by_key[k]["split"] == "sealed" for k in seen)
    assert sealed * 3 >= 21 + len(seen), (sealed, len(seen))


# ---------------------------------------------------------------------------------------------
# issue 12, second round: named people, repeated descriptions, victims without a number, glued text.

def test_tokenizer_splits_sentences_glued_after_numbers_and_quotes() -> None:
    from incident_corpus.core.nlp import tokenizer

    cases = {
        "injured more than 260.Magistrate Judge": ["injured", "more", "than", "260", ".", "Magistrate", "Judge"],
        'on Saturday."Three men': ["on", "Saturday", ".", '"', "Three", "men"],
        "an “attack”.Heitz said": ["an", "“", "attack", "”", ".", "Heitz", "said"],
        "were killed.== References": ["were", "killed", ".", "==", "References"],
        "Kabul bombing==References": ["Kabul", "bombing", "==", "References"],
        "the U.S. embassy, No.5 and 3.5 km": ["the", "U.S.", "embassy", ",", "No.5", "and", "3.5", "km"],
    }
    for text, tokens in cases.items():
        assert [t.text for t in tokenizer()(text)] == tokens


def test_glued_sentences_keep_their_spans(pre: Preannotator) -> None:
    text = "The bombing killed two people and injured more than 40.Twelve militants were later killed."
    found = spans_of(pre, text)
    assert ("CASUALTY", "more than 40") in found and ("PERPETRATOR", "Twelve militants") in found


def test_named_people_learned_from_a_role(pre: Preannotator) -> None:
    text = ("A bomb exploded at the station, killing 3 people. Police are searching for the suspected bomber "
            "Arlen Voss. Voss detonated a second bomb at the depot. Reporters later visited the street where "
            "Voss grew up.")
    perps = [t for _label, t in spans_of(pre, text, "PERPETRATOR")]
    # Guideline v2 (D1): the last Voss too (every mention).
    assert perps == ["suspected bomber", "Arlen Voss", "Voss", "Voss"]


def test_named_people_in_apposition_and_lists(pre: Preannotator) -> None:
    text = ("Ruben Kaspar, the gunman behind the mall shooting, was 24. After the attack on the convoy, "
            "Mara Quell, Colonel Ivo Brandt and Teo Lasko were all indicted. Judge Ana Pike read the charges.")
    perps = [t for _label, t in spans_of(pre, text, "PERPETRATOR")]
    assert perps == ["Ruben Kaspar", "gunman", "Mara Quell", "Ivo Brandt", "Teo Lasko"]


def test_named_people_need_an_attack_report(pre: Preannotator) -> None:
    text = "Mara Quell, Ivo Brandt and Teo Lasko were all indicted for tax fraud, the court said."
    assert spans_of(pre, text, "PERPETRATOR") == []


def test_definite_repeats_of_a_described_attacker(pre: Preannotator) -> None:
    text = ("Police are hunting a man believed to be responsible for the bombing. The man was seen on video. "
            "Witnesses said the man wore a cap. One of the men has since been released.")
    perps = [t for _label, t in spans_of(pre, text, "PERPETRATOR")]
    # Guideline v2 (D1) marks only the indefinite "a man": "the man" has a generic head.
    assert perps == ["man"]
    hurt = "A man was seen running from the bombing. The man died in hospital."
    assert spans_of(pre, hurt, "PERPETRATOR") == []


def test_suspects_by_count_and_group_names_after_their_noun(pre: Preannotator) -> None:
    text = ("Police arrested 9 people, four women and five men in connection with the bombing. "
            "The bombing was carried out by the separatist group KRV. Two militants tried to plant a bomb "
            "near the bridge. Investigators said 14 people were involved in the failed attack.")
    perps = [t for _label, t in spans_of(pre, text, "PERPETRATOR")]
    assert perps == ["9 people", "four women", "five men", "KRV", "Two militants", "14 people"]


def test_a_groups_unit_and_its_decision(pre: Preannotator) -> None:
    text = ("By noon the Taliban's Kandahar brigade had detonated a car bomb. Analysts said the Taliban's "
            "decision to carry out the attack surprised no one.")
    perps = [t for _label, t in spans_of(pre, text, "PERPETRATOR")]
    assert perps == ["Taliban's Kandahar brigade", "Taliban"]


def test_victims_without_a_number(pre: Preannotator) -> None:
    text = ("A car bomb exploded, killing innocent bystanders and security forces. Scores died in the attacks. "
            "At least 9 people died in the bombing. They included two soldiers, a little girl and a messenger boy. "
            "There were six men, a 12-year-old boy and three women injured. Sergeant Lena Ortiz died after the "
            "ambush. The mortar attack killed 3 herdsmen instantly. By the end of the year, 212 had been killed "
            "in the bombings.")
    cas = [t for _label, t in spans_of(pre, text, "CASUALTY")]
    for want in ("innocent bystanders", "security forces", "Scores", "At least 9 people", "two soldiers",
                 "a little girl", "a messenger boy", "six men", "a 12-year-old boy", "three women",
                 "Sergeant Lena Ortiz", "3 herdsmen", "212"):
        assert want in cas, (want, cas)


@pytest.mark.parametrize("text", [
    "Soldiers were killed in the ambush, and the army said the attackers fled.",
    "The bombing was condemned. Police killed the attacker at the scene.",
    "After the attack, scores of people gathered at the station.",
    "The attack came in a battle between troops and rebels near the market.",
])
def test_no_victims_from_passives_repeats_or_prepositions(pre: Preannotator, text: str) -> None:
    assert spans_of(pre, text, "CASUALTY") == []


def test_crashes_into_and_see_also_bombings_are_attacks(pre: Preannotator) -> None:
    text = ("==The attack==A truck loaded with explosives crashed into the checkpoint, killing 4 soldiers."
            "==See also==* 2016 Kabul bombing")
    attacks = [t for _label, t in spans_of(pre, text, "ATTACK")]
    # Guideline v2 (D4) annotates headings like the body, so "==The attack==" gives `attack` too.
    assert attacks == ["attack", "crashed into", "bombing"]


def test_the_other_end_of_a_range_of_attackers(pre: Preannotator) -> None:
    text = ("The attacks were carried out by people ranging from masked gunmen to deeply troubled teenagers. "
            "Residents ranged from farmers to teachers.")
    perps = [t for _label, t in spans_of(pre, text, "PERPETRATOR")]
    assert perps == ["masked gunmen", "deeply troubled teenagers"]


def test_victims_behind_a_long_subject_or_a_clause(pre: Preannotator) -> None:
    """A subject whose post-modifier and apposition push the outcome past the cue window, a bare plural
    opening a joined clause, a state-aligned fighter noun and a singular demonym as victims."""
    text = ("A truck bomb went off near the depot. A senior commander of the Northern Valley Guard, a "
            "pro-government militia, was also reportedly killed. The roof caved in and residents living on the "
            "floor above were injured. Nearly two dozen pro-government fighters were killed in rebel attacks "
            "last month. Three Canadians died, with a Briton injured.")
    cas = [t for _label, t in spans_of(pre, text, "CASUALTY")]
    for want in ("A senior commander", "residents", "Nearly two dozen pro-government fighters", "a Briton"):
        assert want in cas, (want, cas)


@pytest.mark.parametrize("text", [
    # the apposition is not followed by the outcome: the commander speaks
    "A truck bomb went off. The commander of the Northern Valley Guard, a pro-government militia, was quoted.",
    # a bare plural after a reporting verb, or in a generic present
    "A truck bomb went off, and officials said residents were unhurt.",
    "A truck bomb went off, and residents are injured in such blasts every year.",
    # a bare plural at a sentence start stays unmarked (it may be generic; no number pins it)
    "A truck bomb went off. Residents were injured.",
    # pro-government fighters who shoot are not victims, only their victims are
    "Masked pro-government fighters opened fire on the crowd; nobody else was there.",
])
def test_no_victims_from_a_speaking_subject_or_a_generic_plural(pre: Preannotator, text: str) -> None:
    assert spans_of(pre, text, "CASUALTY") == []


def test_partitives_of_the_dead_and_wounded(pre: Preannotator) -> None:
    text = ("A parcel bomb exploded in the lobby. Three of the 9 initially killed and 14 of the wounded were "
            "bank clerks. Police said two of the 5 suspects were arrested.")
    assert spans_of(pre, text, "CASUALTY") == [("CASUALTY", "Three of the 9"), ("CASUALTY", "14 of the wounded")]
    outcomes = [s["attributes"]["outcome"] for s in pre.annotate(text)["spans"] if s["label"] == "CASUALTY"]
    assert outcomes == ["killed", "injured"]


def test_outcome_from_the_phrases_own_clause(pre: Preannotator) -> None:
    text = ("A mortar attack hit the base: three soldiers were killed with two other Americans and a guard wounded. "
            "Later, five people were dead and some 40 more were burned, injured and shaken. "
            "Two guards were injured and four people died.")
    got = [(s["text"], s["attributes"]["outcome"]) for s in pre.annotate(text)["spans"] if s["label"] == "CASUALTY"]
    assert got == [("three soldiers", "killed"), ("two other Americans", "injured"), ("a guard", "injured"),
                   ("five people", "killed"), ("some 40 more", "injured"), ("Two guards", "injured"),
                   ("four people", "killed")]


def test_a_stage_word_inside_the_trigger(pre: Preannotator) -> None:
    text = "The assassination attempt on the governor failed to kill him. A second bombing hit the port."
    got = [(s["text"], s["attributes"]["attack_stage"]) for s in pre.annotate(text)["spans"] if s["label"] == "ATTACK"]
    assert got == [("assassination attempt", "attempted"), ("bombing", "accomplished")]


def test_chunks_keep_order_and_end_a_list_in_quarter_chunks() -> None:
    texts = [str(i) for i in range(1000)]
    chunks = list(batches(texts, 256, small_tail=runner.TAIL_CHUNKS))
    assert [t for c in chunks for t in c] == texts
    assert [len(c) for c in chunks] == [232 + 1] + [64] * 11 + [63]  # the last 3 x 256 in quarters
    # a stream of unknown length: whole chunks only
    assert [len(c) for c in batches(iter(texts), 256, small_tail=runner.TAIL_CHUNKS)] == [256, 256, 256, 232]
    assert [len(c) for c in batches(texts, 256)] == [256, 256, 256, 232]  # no small tail unless asked


def test_error_listings_refuse_sealed_texts() -> None:
    """Sealed texts are scored in aggregate only: the error listing stops before it reads one."""
    from benchmarks import preannotate, rams

    split = rams.read_split()
    sealed = [k for k, r in split.items() if r["split"] == "sealed"]
    dev = [k for k, r in split.items() if r["split"] == "dev"]
    preannotate.refuse_sealed([*dev, "road_ied_8"])
    with pytest.raises(ValueError, match="sealed texts are scored in aggregate only"):
        preannotate.refuse_sealed([*dev, sealed[0]])


def test_muc4_entities_and_recall_on_an_invented_report(tmp_path: Path) -> None:
    """benchmarks/muc4.py: the mapping (perpetrators of every template, victims of attacks and bombings only),
    recall over any occurrence of any mention, and a skip without the file (invented report, GTT layout)."""
    from benchmarks import muc4

    doc = {"docid": "X-1", "doctext": "urban guerrillas killed judge ana ruiz. the guerrillas also kidnapped a mayor.",
           "templates": [
               {"incident_type": "attack", "PerpInd": [[["urban guerrillas", 0], ["guerrillas", 6]]], "PerpOrg": [],
                "Victim": [[["judge ana ruiz", 30]]], "Target": [], "Weapon": []},
               {"incident_type": "kidnapping", "PerpInd": [[["urban guerrillas", 0], ["guerrillas", 6]]],
                "PerpOrg": [], "Victim": [[["a mayor", 68]]], "Target": [], "Weapon": []}]}
    path = tmp_path / "dev.json"
    path.write_text(json.dumps([doc]), encoding="utf-8")
    texts, ents = muc4.dev_set(str(path)) or ([], [])
    assert texts == [doc["doctext"].upper()]
    assert ents == [[("PERPETRATOR", ("GUERRILLAS", "URBAN GUERRILLAS")), ("CASUALTY", ("JUDGE ANA RUIZ",))]]
    second = texts[0].index("THE GUERRILLAS") + 4  # only the second mention is proposed: still found
    pred = [[{"label": "PERPETRATOR", "start": second, "end": second + 10}]]
    assert muc4.entity_recall(texts, ents, pred) == {
        "CASUALTY": {"found": 0, "entities": 1, "recall": 0.0},
        "PERPETRATOR": {"found": 1, "entities": 1, "recall": 1.0}}
    assert muc4.dev_set(str(tmp_path / "missing.json")) is None


def test_the_sealed_split_follows_its_content_blind_rule() -> None:
    """rams.select/split from event types and hashes alone: deterministic, articles kept whole, sealed at
    least half of the articles and a third of all texts (synthetic windows, no text needed)."""
    from benchmarks import rams

    types = ["conflict.attack.n/a", "life.die.deathcausedbyviolentevents", "justice.arrest"] * 40
    rows = [{"doc_key": f"k{i}", "source_url": f"u{i % 40}", "events": [{"type": t}]} for i, t in enumerate(types)]
    chosen = rams.select(rows, n=72)
    assert len(chosen) == 72 and not any(r["events"][0]["type"] == "justice.arrest" for r in chosen)
    assert sum(r["events"][0]["type"].startswith("conflict.attack.") for r in chosen) == 40  # attacks first
    assert rams.select(list(reversed(rows)), n=72) == chosen  # order of the input does not matter
    by_url = rams.split(chosen)
    sealed = [r for r in chosen if by_url[r["source_url"]] == "sealed"]
    assert 3 * len(sealed) >= 21 + len(chosen)
    assert 2 * sum(v == "sealed" for v in by_url.values()) >= len(by_url)


def test_words_are_frozen_and_the_once_inline_sets_come_from_words_json(pre: Preannotator) -> None:
    import dataclasses

    w = pre.rules.words
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.the = 0  # type: ignore[misc]
    data, strings = lexicon.load().words, pre.nlp.vocab.strings
    for field, key in (("possessive", "possessive"), ("quotes", "quotes"), ("claim_bare", "claim_bare"),
                       ("subject_fillers", "subject_fillers"), ("state_names", "state_names")):
        assert getattr(w, field) == {strings[x] for x in data[key]}, field
    assert [strings[int(h)] for h in w.sent_hashes] == data["sentence_ends"]


def test_the_component_leaves_typed_candidates_on_the_doc(pre: Preannotator) -> None:
    doc = pre.nlp("Gunmen killed 14 people in a bombing. ISIS claimed responsibility.")
    found = doc.user_data[component.USER_KEY]
    assert isinstance(found, Proposals) and found.context.n == len(doc)
    assert all(isinstance(c, Candidate) for c in found.candidates)
    got = {(doc[c.start:c.end].text, c.label) for c in found.candidates}
    assert {("Gunmen", "PERPETRATOR"), ("14 people", "CASUALTY"), ("bombing", "ATTACK"),
            ("claimed responsibility", "CLAIM")} <= got
    claim = next(c for c in found.candidates if c.label == "CLAIM")
    assert claim.attributes["claim_status"] == "claimed" and 0 < claim.score <= 1
