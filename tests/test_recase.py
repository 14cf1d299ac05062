"""Lines in capitals (old wire copy, shouted headlines) are read with ordinary casing (preannotate/recase.py).

Every text here is made up. The recased text must keep every offset (one character for one character), leave
ordinary text alone, and let the rules find in capitals what they find in the same text in ordinary case.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources

import pytest

from incident_corpus.preannotate.recase import recase, shouting_lines
from incident_corpus.preannotate.runner import Preannotator, score_spans
from tests import helpers
from tests.test_preannotate import check_result

WIRE = ("SAN ISIDRO, 12 MAY 90 (RADIO DEL SUR) -- [TEXT] URBAN GUERRILLAS OF THE PEOPLE'S REVOLUTIONARY FRONT "
        "(FRP) TODAY KILLED JUDGE ERNESTO VALDIVIA MORALES IN DOWNTOWN SAN ISIDRO. THE FRP CLAIMED "
        "RESPONSIBILITY FOR THE ATTACK IN A STATEMENT.")


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


def test_wire_copy_in_capitals_reads_like_prose() -> None:
    assert recase(WIRE) == (
        "San Isidro, 12 may 90 (radio del sur) -- [Text] Urban guerrillas of the People's Revolutionary Front "
        "(FRP) today killed Judge Ernesto Valdivia Morales in downtown San Isidro. The FRP claimed "
        "responsibility for the attack in a statement.")


@pytest.mark.parametrize(("caps", "prose"), [
    # names the table does not hold are names; a title before a name is part of it
    ("MAJOR GENERAL OLEG VANTSOV DIED WHEN A BOMB WENT OFF.", "Major General Oleg Vantsov died when a bomb went off."),
    # an acronym without a vowel, and one introduced in parentheses, stay in capitals everywhere
    ("THE MOUNTAIN LIBERATION FRONT (MLF) SAID MLF FIGHTERS WERE NOT INVOLVED.",
     "The Mountain Liberation Front (MLF) said MLF fighters were not involved."),
    ("THE KARSA BRIGADES (KAVOR) CLAIMED IT. KAVOR SAID SO.", "The Karsa Brigades (KAVOR) claimed it. KAVOR said so."),
    # IS and US: the acronym where the neighbours say so, the verb and the pronoun elsewhere
    ("POLICE SAID IS MILITANTS ATTACKED US-BACKED FORCES. AN IS SPOKESMAN SAID IT IS TRUE AND TOLD US SO.",
     "Police said IS militants attacked US-backed forces. An IS spokesman said it is true and told us so."),
    # initials, an abbreviation's full stop, a possessive, a name with an apostrophe
    ("GEN. J. O'NEILL SAID THE U.S. EMBASSY'S GUARDS FIRED.", "Gen. J. O'Neill said the U.S. embassy's guards fired."),
    # an organisation's head after a name is part of it (not a state's army); a name's infix stays small
    ("THE ZAPATA BRIGADE AND THE MEDELLIN CARTEL BLAMED THE SYRIAN ARMY.",
     "The Zapata Brigade and the Medellin Cartel blamed the Syrian army."),
    ("FIGHTERS OF LASHKAR-E-TAIBA AND JAMAAT-UL-AHRAR WERE BLAMED.",
     "Fighters of Lashkar-e-Taiba and Jamaat-ul-Ahrar were blamed."),
    # the usual modifiers between a name and its head, and after a head's "of", are the name's too; a state's
    # head only with such a tail; not after an acronym (its fighters)
    ("THE FARABUNDO MARTI NATIONAL LIBERATION FRONT SAID ITS URBAN COMMANDOS STAGED THE ATTACKS.",
     "The Farabundo Marti National Liberation Front said its urban commandos staged the attacks."),
    ("TERRORISTS FROM THE ZARATE WILLKA ARMED FORCES OF LIBERATION SHOT THEM. THE SALVADORAN ARMY DENIED IT.",
     "Terrorists from the Zarate Willka Armed Forces of Liberation shot them. The Salvadoran army denied it."),
    ("POLICE SAID IT WAS CHARACTERISTIC OF THE FMLN URBAN COMMANDOS.",
     "Police said it was characteristic of the FMLN urban commandos."),
    # the words of an office before a title before a name are the title's; not without a name
    ("THEY KILLED FORMER SUPREME COURT PRESIDENT FRANCISCO JOSE GUERRERO. THE COURT HEARD THE CASE.",
     "They killed former Supreme Court President Francisco Jose Guerrero. The court heard the case."),
    ("REBELS ATTACKED THE HOME OF DEFENSE MINISTER RAFAEL LARIOS. THE POLICE CHIEF SAID SO.",
     "Rebels attacked the home of Defense Minister Rafael Larios. The police chief said so."),
    # a group's acronym from the lexicon keeps its own form
    ("JNIM AND JEM FIGHTERS WERE BLAMED FOR THE ATTACK.", "JNIM and JeM fighters were blamed for the attack."),
    # a quoted phrase an organisation's head follows, or that "a ... group" glosses, is a name; quoted speech
    # is not
    ('IT COULD HAVE BEEN THE MAOIST "RED DAWN" GROUP OR THE "ANDEAN PEOPLE\'S ARMY" (EPA) GROUP.',
     'It could have been the Maoist "Red Dawn" group or the "Andean People\'s Army" (EPA) group.'),
    # a group's head in its own language opens a name; a translation in parentheses with the acronym is a name
    ("THE FRENTE POPULAR AUTONOMO (AUTONOMOUS POPULAR FRONT, FPA) CLAIMED THE BOMBING.",
     "The Frente Popular Autonomo (Autonomous Popular Front, FPA) claimed the bombing."),
    ("THE COMANDO HONOR Y PATRIA CLAIMED THE KILLING OF THE JOURNALIST.",
     "The Comando Honor y Patria claimed the killing of the journalist."),
    ('"THE UNTOUCHABLES," A COLOMBIAN MAFIA GROUP, CLAIMED IT. HE SAID "WE WILL FIGHT ON" AND LEFT.',
     '"The Untouchables," a Colombian mafia group, claimed it. He said "we will fight on" and left.'),
])
def test_recasing_rules(caps: str, prose: str) -> None:
    assert recase(caps) == prose


def test_a_headline_in_capitals_learns_names_from_the_body() -> None:
    text = "GUNMEN KILL TWELVE AT VANSKOG MARKET\nGunmen from the Ostrava Front attacked the market in Vanskog."
    assert recase(text).splitlines()[0] == "Gunmen kill twelve at Vanskog market"
    assert shouting_lines(text) == [(0, text.index("\n") + 1)]


@pytest.mark.parametrize("text", [
    "Gunmen stormed a hotel in Kabul, killing 12. ISIS claimed responsibility.",
    "KABUL (Reuters) - A suicide bomber blew himself up outside a school, the UN said.",
    "Police said TTP and ISKP fighters attacked the FBI office in the USA TODAY building.",
    "",
])
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert recase(text) is text
    assert shouting_lines(text) == []


def test_recasing_keeps_every_offset() -> None:
    for text in (WIRE, "İSTANBUL'DA BOMBA PATLADI. STRASSE ÖL MASSE ÉTÉ", "ﬁre ﬂames IN THE STRASSE NOW BURN"):
        out = recase(text)
        assert len(out) == len(text)
        assert all(a == b or a.lower() == b.lower() for a, b in zip(out, text, strict=True))


def test_the_rules_read_capitals_as_prose_and_spans_keep_the_capitals(pre: Preannotator) -> None:
    prose = ("San Isidro, 12 May 90 (Radio del Sur) -- [TEXT] Urban guerrillas of the People's Revolutionary Front "
             "(FRP) today killed Judge Ernesto Valdivia Morales in downtown San Isidro. The FRP claimed "
             "responsibility for the attack in a statement.")
    assert prose.upper() == WIRE
    result = pre.annotate(WIRE)
    check_result(WIRE, result)  # text[start:end] == span text, in capitals
    assert [(s["label"], s["start"], s["end"]) for s in result["spans"]] == \
        [(s["label"], s["start"], s["end"]) for s in pre.annotate(prose)["spans"]]
    got = [(s["label"], s["text"]) for s in result["spans"]]
    assert ("PERPETRATOR", "FRP") in got and ("CLAIM", "CLAIMED RESPONSIBILITY") in got
    assert ("ATTACK", "ATTACK") in got


def test_the_team_gold_in_capitals_scores_within_a_hair_of_the_prose(pre: Preannotator) -> None:
    """The surface check: the team's gold texts upper-cased (same offsets) against the same gold spans."""
    rows = [json.loads(line) for line in (helpers.REPO / "tests/data/gold/gold.jsonl").read_text().splitlines()]
    rows = [r for r in rows if "text" in r]
    gold = [r["spans"] for r in rows]
    prose = score_spans(gold, [r["spans"] for r in pre.annotate_many([r["text"] for r in rows])])
    upper = [r["text"].upper() for r in rows]
    assert all(len(u) == len(r["text"]) for u, r in zip(upper, rows, strict=True))
    caps = score_spans(gold, [r["spans"] for r in pre.annotate_many(upper)])
    for label in ("ATTACK", "PERPETRATOR", "CASUALTY", "CLAIM"):
        # before recasing, PERPETRATOR fell from 0.87 to 0.80 here (and from 0.89 to 0.44 on the real-news dev gold)
        assert caps["overlap"][label]["f1"] >= prose["overlap"][label]["f1"] - 0.02, label


def test_the_casing_table_is_the_generated_one() -> None:
    data = resources.files("incident_corpus.preannotate").joinpath("patterns/casing.txt.gz").read_bytes()
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    assert lines[0].startswith("# word\tform")
    rows = dict(line.split("\t") for line in lines[1:])
    assert set(rows.values()) == {"l", "U"} and len(rows) > 50_000
    assert rows["the"] == rows["attack"] == rows["guerrillas"] == "l" and rows["fbi"] == "U"
    assert "cristiani" not in rows and "london" not in rows  # names: title case, the default
    assert list(rows) == sorted(rows)
