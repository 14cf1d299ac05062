"""incident-rules-13 (issue 28, eleventh round): long reports that tell the attacker's part through reference.

A pronoun or a second verb carries the act ("he walked up to the gate and blew himself up"), the attacker is
"the 24-year-old" once named, and a police shooting of the attacker no longer hides the act. Every text is
made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import labelled, spans  # both check every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


def test_the_police_shooting_the_attacker_keeps_a_ramming(pre: Preannotator) -> None:
    text = "On Friday Haddad drove a rented van into the crowd, killing nine people. He was shot dead by police."
    assert labelled(pre, text) == [("PERPETRATOR", "Haddad"), ("ATTACK", "drove"), ("CASUALTY", "nine people")]


def test_a_police_shooting_alone_stays_out(pre: Preannotator) -> None:
    text = "An officer shot a man outside a shop on Friday, killing him. The shooting sparked protests."
    assert spans(pre, text, "ATTACK") == []


def test_a_police_station_is_a_place_not_the_agent(pre: Preannotator) -> None:
    text = "A suicide bomber walked up to the gate of the police station and blew himself up, killing two officers."
    assert spans(pre, text, "ATTACK") == ["blew himself up"]


@pytest.mark.parametrize("text", [
    "Rizky Pratama walked up to the gate and blew himself up, killing two officers.",
    "Rizky Pratama grew up in Solo. Pratama stopped speaking to his family. On the morning of 12 March, he walked "
    "up to the gate and blew himself up, killing two officers.",
])
def test_the_subject_of_a_second_verb_or_a_pronoun_is_the_attacker(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR")[-1] in ("Rizky Pratama", "Pratama")
    assert "Rizky Pratama" in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize("text", [
    "Rizky Pratama walked up to the gate, but the guard said he blew himself up, killing two officers.",
    "Rizky Pratama grew up in Solo. The guard, who knew him, said he walked up and blew himself up, killing two.",
])
def test_no_subject_across_another_clause(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == []


def test_a_pronoun_looks_back_only_to_a_name_opening_a_sentence(pre: Preannotator) -> None:
    text = ("Witnesses spoke to Anna Berg about the morning. On 12 March, he walked up to the gate and blew himself "
            "up, killing two officers.")
    assert spans(pre, text, "PERPETRATOR") == []


def test_the_age_of_a_named_attacker_given_only_later(pre: Preannotator) -> None:
    text = ("Rizky Pratama blew himself up at the gate of the police station, killing two officers. Friends remember "
            "the 24-year-old as shy.")
    assert spans(pre, text, "PERPETRATOR") == ["Rizky Pratama", "24-year-old"]


@pytest.mark.parametrize("text", [
    "Rizky Pratama blew himself up at the gate, killing two officers. The 24-year-old victim was a father of two.",
    "Rizky Pratama blew himself up at the gate, killing two officers. The 24-year-old was killed instantly.",
    "Rizky Pratama blew himself up at the gate, killing two officers, among them a 24-year-old. The 24-year-old "
    "had joined the force in May.",
    "Rizky Pratama blew himself up at the gate, killing two officers. The station was rebuilt. The roof fell. "
    "Its windows broke. The 24-year-old had joined the force in May.",
])
def test_an_age_that_is_anyone_elses_or_far_from_the_attacker_is_not_his(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == ["Rizky Pratama"]


def test_a_legal_word_under_a_condition_names_no_perpetrator(pre: Preannotator) -> None:
    text = ("A bomb killed 23 people at the ferry terminal in 2016. The trial of the former mayor, accused of fraud, "
            "is expected to last until March. If convicted, Benassi faces up to 12 years in prison.")
    assert spans(pre, text, "PERPETRATOR") == []


def test_the_name_a_nouns_of_takes_is_not_the_one_on_trial(pre: Preannotator) -> None:
    text = ("The former mayor of Porto Sereno went on trial on Monday accused of taking money from a fund for "
            "victims of the 2016 ferry terminal bombing.")
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "victims"), [
    ("Rebels ambushed an army convoy on Monday, killing six soldiers. The army sent troops to the hills. Two more "
     "soldiers were killed in the fighting on Tuesday.", ["six soldiers"]),
    # the fighting of an attack the sentence before reports is that attack's (tests/test_rules_wire.py)
    ("In the south, shelling killed four civilians. Militants bombed a bus in the north, killing nine people.",
     ["nine people"]),
    ("Gunmen opened fire on the crowd during clashes, killing two people.", ["two people"]),
])
def test_the_dead_of_fighting_or_shelling_are_no_attacks_casualties(pre: Preannotator, text: str,
                                                                    victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize("text", [
    "A man drove a van down the mall at speed, ploughing into shoppers, and killed five people.",
    "A man drove a van down the mall at speed, plowing into shoppers, and killed five people.",
])
def test_ploughing_into_is_the_ramming(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK")[-1] in ("ploughing into", "plowing into")


def test_the_named_dead_after_the_counted_killed_were(pre: Preannotator) -> None:
    text = ("A gunman opened fire in the church. The six people killed were the Rev. Anthony Mwangi, 58, the pastor; "
            "Lorraine Becker, 83, a retired teacher; and Miguel Arreola, 40, a volunteer.")
    assert spans(pre, text, "CASUALTY") == ["Rev. Anthony Mwangi", "Lorraine Becker", "Miguel Arreola"]
