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
