"""incident-rules-18 (issue 28, sixteenth round): attacks discussed in general, and victims' outcomes.

The guideline leaves out "attacks that are only discussed in general (the threat of terrorism)": an indefinite act
assessed as a risk is no reported attack. A victim whose wounds were fatal was killed, and the victims after
"killings of" keep their count. D1 and D3: the name a charge is against is held responsible, and a named group's
definite description with a role (*the extremist group*) is one of its mentions. Every text is made up.

Tried and not kept: a bare plural act with a word of habit ("sees frequent attacks", "kidnappings are
commonplace"), which the guideline leaves out but WikiEvents counts: its ATTACK recall fell under its floor.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_preannotate import check_result
from tests.test_rules_generalise import spans


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


def outcomes(pre: Preannotator, text: str) -> dict[str, str]:
    result = pre.annotate(text)
    check_result(text, result)
    return {s["text"]: s["attributes"].get("outcome", "") for s in result["spans"] if s["label"] == "CASUALTY"}


@pytest.mark.parametrize("text", [
    "Officials warned of the threat of attacks on the rail network over the holidays.",
    "Residents spoke of their fears of bombings at crowded markets.",
])
def test_attacks_discussed_in_general_are_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


@pytest.mark.parametrize("text", [
    "The national threat level remains at substantial, meaning an attack is likely.",
    "Intelligence officials said an attack on the capital was possible in the coming weeks.",
    "Analysts said a bombing was imminent and urged travellers to stay away.",
])
def test_an_attack_assessed_as_a_risk_is_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


@pytest.mark.parametrize(("text", "act"), [
    ("An attack is likely to have been carried out by the same cell, police said.", "attack"),
    ("A suicide bombing was likely, officials had warned, and on Monday a bomber struck the market.", "struck"),
    ("Militants launched attacks on common people in the district on Sunday, killing five.", "attacks"),
    ("Two bombings in the capital on Sunday killed 14 people. The attacks were claimed by the group.", "attacks"),
    ("Militants have carried out a series of attacks on police posts since March.", "attacks"),
    ("The threat of a bombing emptied the station; then a car bomb exploded outside it.", "exploded"),
])
def test_reported_attacks_stay(pre: Preannotator, text: str, act: str) -> None:
    assert act in spans(pre, text, "ATTACK")


@pytest.mark.parametrize(("text", "victim"), [
    ("Militants attacked a checkpoint near the border. A soldier suffered fatal wounds in the attack.", "A soldier"),
    ("Militants attacked a checkpoint. Two soldiers were fatally wounded and three others were wounded.",
     "Two soldiers"),
    ("A gunman fatally shot a guard at the museum before fleeing.", "a guard"),
    ("Insurgents fired rockets at the base. A soldier was mortally wounded.", "A soldier"),
])
def test_fatal_wounds_are_a_death(pre: Preannotator, text: str, victim: str) -> None:
    assert outcomes(pre, text).get(victim) == "killed"


def test_wounds_that_are_not_fatal_stay_injuries(pre: Preannotator) -> None:
    text = "Militants attacked a checkpoint. Two soldiers were fatally wounded and three others were wounded."
    assert outcomes(pre, text).get("three others") == "injured"


@pytest.mark.parametrize("text", [
    "A car bomb exploded in the market on Monday. Killings of two police officers followed in the night.",
    "A car bomb exploded in the market on Monday. The killings of two police officers followed in the night.",
])
def test_the_counted_victims_of_killings_of(pre: Preannotator, text: str) -> None:
    assert outcomes(pre, text).get("two police officers") == "killed"


@pytest.mark.parametrize(("text", "name"), [
    ("A gunman killed four people at a mosque in Lyon. Police later filed four counts of murder against 20-year-old "
     "Nathan Velt.", "Nathan Velt"),
    ("A bomb exploded at a bus station, killing six. Prosecutors dropped the charges against Omar Haddad on Monday.",
     "Omar Haddad"),
    ("A bomb exploded at a bus station, killing six. The case against Lena Brandt rests on phone records.",
     "Lena Brandt"),
])
def test_the_name_a_charge_is_against_is_a_perpetrator(pre: Preannotator, text: str, name: str) -> None:
    assert name in spans(pre, text, "PERPETRATOR")


def test_against_without_a_charge_names_no_perpetrator(pre: Preannotator) -> None:
    text = "A bomb exploded at a bus station, killing six. Protesters marched against Omar Haddad's government."
    assert "Omar Haddad" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "description"), [
    ("A suicide bomber killed 12 people at a church. The Islamic State claimed the attack. In a statement, the "
     "extremist group said the attack was carried out by its fighters.", "extremist group"),
    ("A bomb exploded in a market in Mogadishu. Al-Shabaab said it carried out the attack. The militant group has "
     "waged an insurgency for a decade.", "militant group"),
])
def test_a_named_groups_description_with_a_role_is_a_mention(pre: Preannotator, text: str, description: str) -> None:
    assert description in spans(pre, text, "PERPETRATOR")


def test_a_group_description_without_a_named_group_or_an_attack_is_not(pre: Preannotator) -> None:
    text = "The minister met leaders of the rebel group in Geneva to discuss a ceasefire."
    assert spans(pre, text, "PERPETRATOR") == []
