"""incident-rules-16 (issue 28, fourteenth round): named victims as news names them.

A description in apposition after a name and an age gives way to the name (D6: "Anna Berg, a nurse, died" ->
`Anna Berg`), a name with its age before "who was injured", a name after "named the dead man as". Every text is
made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import spans  # checks every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize(("text", "name"), [
    ("A gunman opened fire at the church. Denise Okafor, 45, a hospice nurse who was shot in the shoulder, "
     "testified on Tuesday.", "Denise Okafor"),
    ("A suicide bomber blew himself up at the rally. Afzal, 52, a former senator, died on the way to hospital.",
     "Afzal"),
])
def test_a_description_after_a_name_and_an_age_gives_way_to_the_name(pre: Preannotator, text: str, name: str
                                                                     ) -> None:
    assert spans(pre, text, "CASUALTY") == [name]


def test_a_name_and_age_before_who_was_injured(pre: Preannotator) -> None:
    text = "A bomb exploded at the market. Ahmed Raza, 30, who was injured in the blast, said he heard a bang."
    assert spans(pre, text, "CASUALTY") == ["Ahmed Raza"]


@pytest.mark.parametrize("text", [
    "A bomb exploded at the market. Police arrested Ahmed Raza, 30, who was injured while fleeing.",
    "A bomb exploded at the market. The suspect, Ahmed Raza, 30, who was injured in the blast, was arrested.",
])
def test_an_injured_attacker_stays_a_perpetrator(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") == []
    assert "Ahmed Raza" in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize("text", [
    "A bomb exploded at the market. Police named the dead man as Ahmed Raza, 30.",
    "A bomb exploded at the market. Police identified the slain officer as Ahmed Raza.",
])
def test_named_the_dead_man_as(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") == ["Ahmed Raza"]


def test_named_the_suspect_as_is_no_victim(pre: Preannotator) -> None:
    text = "A bomb exploded at the market. Police named the suspect as Ahmed Raza, 30."
    assert spans(pre, text, "CASUALTY") == []


@pytest.mark.parametrize(("text", "kin"), [
    ("Two men threw grenades at shoppers, wounding 12 civilians, including a woman and her nine-year-old "
     "daughter.", "nine-year-old daughter"),
    ("Gunmen attacked the house. Among those killed were a police officer and his wife.", "wife"),
    ("Gunmen attacked the house, killing the village chief and his 12-year-old grandson.", "12-year-old grandson"),
])
def test_a_victims_kin_after_and_with_an_age(pre: Preannotator, text: str, kin: str) -> None:
    assert kin in spans(pre, text, "CASUALTY")


def test_a_possessive_and_a_count_keep_their_extent(pre: Preannotator) -> None:
    text = "Gunmen attacked the house, killing a farmer and his two sons."
    assert spans(pre, text, "CASUALTY") == ["a farmer", "two sons"]


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen opened fire on the bus, hitting four passengers.", ["four passengers"]),
    ("A sniper fired on the crowd, hitting a 10-year-old boy in the leg.", ["a 10-year-old boy"]),
])
def test_hitting_after_fire_is_an_injury(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_hitting_a_place_is_no_casualty(pre: Preannotator) -> None:
    text = "Militants fired rockets at the town, hitting a school and a market."
    assert spans(pre, text, "CASUALTY") == []


def test_a_victim_and_kin_as_the_subject(pre: Preannotator) -> None:
    text = "Gunmen attacked the house. A woman and her son were among the dead."
    assert spans(pre, text, "CASUALTY") == ["A woman", "son"]


@pytest.mark.parametrize(("text", "claim"), [
    ("A bomb exploded at the market, killing nine people. Officials blame the BNLA.", "blame"),
    ("A bomb exploded at the market, killing nine people. Police blame the BNLA.", "blame"),
    ("A terrorist bomb killed nine people at the market. Officials blamed the BNLA.", "blamed"),
])
def test_blame_on_a_name_after_the_attack(pre: Preannotator, text: str, claim: str) -> None:
    assert spans(pre, text, "CLAIM") == [claim]


@pytest.mark.parametrize("text", [
    "The IRA planted a bomb that killed six people. After the deaths, the IRA tried to blame the security forces for "
    "failing to act on warnings.",
    "The IRA planted a bomb that killed six people. The IRA tried to blame the army.",
])
def test_blame_after_to_is_no_claim(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize("text", [
    "A bomb killed nine people at the market. Hamas issued a claim of responsibility for the bombing.",
    "A bomb killed nine people at the market. The claim of responsibility could not be verified.",
])
def test_a_claim_of_responsibility_as_a_noun(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == ["claim of responsibility"]


@pytest.mark.parametrize("text", [
    "A bomb exploded at the market. Hamas also claimed a grenade attack on an army checkpoint.",
    "A bomb exploded at the market. Hamas claimed an attack on an army checkpoint.",
])
def test_claimed_an_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == ["claimed"]


def test_claimed_a_victory_is_no_claim(pre: Preannotator) -> None:
    assert spans(pre, "A bomb exploded at the market. Hamas claimed a victory in the elections.", "CLAIM") == []


@pytest.mark.parametrize(("text", "group"), [
    ("A bomb killed nine people at the market. The Red Dawn Brigades posted a claim of responsibility on a website.",
     "Red Dawn Brigades"),
    ("A bomb killed nine people at the market. Hamas issued a claim of responsibility.", "Hamas"),
])
def test_who_posts_a_claim_of_responsibility_made_it(pre: Preannotator, text: str, group: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == [group]
