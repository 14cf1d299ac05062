"""incident-rules-17 (issue 28, fifteenth round): the scope of an attack report, in general forms.

The readers of every real and invented set left riot and protest violence out (the guideline covers attacks, and
the scope readings in benchmarks/data/README.md name riots and protest clashes as no attack), and a walk-out is
no attack whatever its article calls it. Every text is made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import spans  # checks every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize("text", [
    "Thousands of bus drivers went on strike on Monday. The strike brought traffic in the capital to a halt.",
    "The opposition called a nationwide general strike after the clashes. The strike is due to run until Tuesday.",
    "Three prisoners have been on hunger strike for a month. The strike is the longest in the prison's history.",
    "Unions voted for strike action at the port. The strike will start on Friday.",
])
def test_a_walk_out_is_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


def test_the_strike_still_names_an_attack_in_a_text_without_a_walk_out(pre: Preannotator) -> None:
    text = "A rocket hit a bus in Basra, killing two passengers. No group has claimed the strike."
    assert "strike" in spans(pre, text, "ATTACK")


@pytest.mark.parametrize("text", [
    "Protesters set fire to a police kiosk and ransacked a ruling party office.",
    "Rioters torched dozens of cars overnight in the eastern suburbs.",
    "The riots spread to Tarven on Tuesday, with crowds looting shops and setting fire to a bus depot.",
    "Demonstrators stormed the parliament building and smashed windows.",
])
def test_riot_and_protest_violence_is_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


@pytest.mark.parametrize(("text", "act"), [
    ("Gunmen opened fire on protesters in the main square, killing five people.", "opened fire"),
    ("A suicide bomber blew himself up among demonstrators in Kabul on Friday, killing 14.", "blew himself up"),
    ("Protesters were attacked by masked men armed with knives.", "attacked"),
    ("Crowds fled after a car bomb exploded near the stadium.", "exploded"),
    ("Protesters said militants stormed the building and set fire to the office.", "stormed"),
])
def test_an_attack_on_or_near_protesters_stays(pre: Preannotator, text: str, act: str) -> None:
    assert act in spans(pre, text, "ATTACK")


@pytest.mark.parametrize(("text", "claim", "group"), [
    ("Gunmen believed to belong to the Islamic State stormed a hotel in Kabul on Monday, killing five guests.",
     "believed to belong to", "Islamic State"),
    ("A bomb exploded at a bus station, killing seven people. Two men suspected of being members of the Ansar "
     "Brigade were arrested.", "suspected of being members of", "Ansar Brigade"),
    ("A bomb exploded at a bus station, killing seven people. Police arrested two men thought to be linked to the "
     "Ansar Brigade.", "thought to be linked to", None),
])
def test_a_hedged_affiliation_is_an_attributed_claim(pre: Preannotator, text: str, claim: str,
                                                     group: str | None) -> None:
    assert spans(pre, text, "CLAIM") == [claim]
    if group:
        assert group in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize("text", [
    "A bomb exploded at a bus station, killing seven people. The car was believed to belong to his brother.",
    "Police arrested a man over the bank robbery. He is thought to be linked to the Red Gang, officials said.",
])
def test_an_affiliation_needs_a_group_and_the_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize(("text", "claim", "person"), [
    ("Salah Abdeslam will face trial in France for his alleged role in the 2015 Paris attacks, in which 130 people "
     "were killed.", "alleged role", "Salah Abdeslam"),
    ("A bomb exploded at a bus station, killing seven people. Karim Dahl's alleged involvement in the bombing came "
     "to light in May.", "alleged involvement", "Karim Dahl"),
])
def test_an_alleged_role_in_the_attack(pre: Preannotator, text: str, claim: str, person: str) -> None:
    assert spans(pre, text, "CLAIM") == [claim]
    assert person in spans(pre, text, "PERPETRATOR")


def test_an_alleged_role_in_something_else_is_no_claim(pre: Preannotator) -> None:
    text = ("A bomb exploded at a bus station, killing seven people. The minister resigned over her alleged role in "
            "the cover-up of police failures.")
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize("text", [
    "A bomb exploded at a market in Mogadishu, killing eight. The commander was part of an al-Shabaab network "
    "responsible for planning several bombings.",
    "A bomb exploded at a market, killing eight. The Ansar Brigade cell responsible for the attack was dismantled.",
])
def test_a_named_groups_unit_responsible_for_the_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == ["responsible"]


@pytest.mark.parametrize("text", [
    "A bomb exploded at a market, killing eight. Police vowed to root out those responsible for the bombing.",
    "A bomb exploded at a market, killing eight. The men responsible for the bombing have not been found.",
    "A bomb exploded at a market, killing eight. The group responsible for the bombing is unknown.",
])
def test_responsible_without_a_named_holder_is_no_claim(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []
