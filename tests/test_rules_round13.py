"""incident-rules-15 (issue 28, thirteenth round): what real news excerpts from the web showed.

Sides of a battle are no attackers, a state's operation or a battle takes its dead with it, a gerund after "after"
belongs to the sentence's subject, "an Islamic state" is a kind of state, a murder story that never speaks of
terror is crime news; and what the rules now find: a bare figure with an adverb before its verb, victims after
"there were", a group's spokesman who "had said" it did it, the group holding the hostages, attacks to prevent
in general. Every text is made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import labelled, spans  # both check every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


def test_a_side_of_the_fighting_is_no_attacker(pre: Preannotator) -> None:
    text = ("A health official said warplanes hit two buses near the port, killing 19 people. He said 17 civilians "
            "were killed in the attack. The passengers were fleeing fighting between the rebels and government "
            "forces.")
    assert labelled(pre, text) == []


def test_rebels_who_attack_stay_attackers(pre: Preannotator) -> None:
    text = ("Rebels attacked a police post near the port, killing 19 people. Fighting between the rebels and "
            "government forces has displaced thousands.")
    assert "attacked" in spans(pre, text, "ATTACK")
    assert "19 people" in spans(pre, text, "CASUALTY")


@pytest.mark.parametrize("text", [
    "Militants attacked a police post on Sunday. One soldier was wounded during the operation that followed.",
    "Militants attacked a police post on Sunday. A soldier died in clashes with the militants on Monday.",
])
def test_the_dead_of_an_operation_or_a_battle_are_no_casualties(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") == []


def test_the_dead_of_the_attack_stay_casualties(pre: Preannotator) -> None:
    text = "Militants attacked a police post on Sunday. One soldier was wounded in the attack."
    assert spans(pre, text, "CASUALTY") == ["One soldier"]


def test_the_forces_shooting_an_attacker_is_no_attack(pre: Preannotator) -> None:
    text = ("The gunman fired at the entrance of the church. Security forces arrested the gunman after shooting "
            "him.")
    assert spans(pre, text, "ATTACK") == ["fired at"]


@pytest.mark.parametrize("text", [
    "The gunman was arrested after shooting three people at the market.",
    "Police say two brothers carried the bombs to the square before detonating them.",
])
def test_a_gerund_the_attacker_does_stays(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK")


def test_an_islamic_state_is_no_group(pre: Preannotator) -> None:
    text = ("Gunmen killed 12 villagers on Sunday. The insurgents want to establish an Islamic state in the "
            "region. Islamic State claimed the attack.")
    assert spans(pre, text, "PERPETRATOR").count("Islamic State") == 1
    assert "Islamic state" not in spans(pre, text, "PERPETRATOR")


def test_a_murder_story_with_no_word_of_terror_proposes_nothing(pre: Preannotator) -> None:
    text = ("The jury is out in the trial of four men accused of murdering a shopkeeper, who was fatally stabbed "
            "outside his shop in March. He was stabbed nine times and died at the scene.")
    assert labelled(pre, text) == []


@pytest.mark.parametrize("text", [
    ("Three men accused of murdering a shopkeeper were also charged over a car bomb that exploded outside the "
     "town hall, killing two people."),
    ("The jury is out in the trial of a man accused of murdering four worshippers, who were fatally stabbed "
     "during an extremist attack on the mosque in March."),
])
def test_a_murder_trial_about_an_attack_keeps_it(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK")


def test_a_bare_figure_with_an_adverb_is_a_casualty(pre: Preannotator) -> None:
    text = "A bomb exploded at the market on Sunday. Police said 27 had already died."
    assert spans(pre, text, "CASUALTY") == ["27"]


def test_victims_after_there_were(pre: Preannotator) -> None:
    text = ("A bomb exploded at the mosque on Sunday. There were mostly policemen and security officials among "
            "the dead and injured.")
    assert spans(pre, text, "CASUALTY") == ["policemen", "security officials"]


def test_there_were_no_list_of_people(pre: Preannotator) -> None:
    text = "A bomb exploded at the mosque on Sunday. There were Kurdish Party members among the dead."
    assert "Kurdish Party members" not in spans(pre, text, "CASUALTY")


def test_a_spokesman_who_had_said_it_did_it(pre: Preannotator) -> None:
    text = ("A car bomb hit the UN building on Friday. A spokesman for the Islamist group Boko Haram had said in "
            "a phone call that it had carried out the attack.")
    assert spans(pre, text, "CLAIM") == ["it had carried out"]


def test_the_group_holding_the_hostages_is_the_kidnapper(pre: Preannotator) -> None:
    text = ("Gunmen abducted six sailors off the coast in November. Three are still being held by Abu Sayyaf, "
            "which operates from the islands.")
    assert "Abu Sayyaf" in spans(pre, text, "PERPETRATOR")


def test_a_group_holding_a_rally_is_no_kidnapper(pre: Preannotator) -> None:
    text = "A rally was held by Abu Sayyaf sympathisers in the town on Friday."
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize("text", [
    "Gunmen stormed the church on Sunday. Security was tightened to thwart further attacks.",
    "Gunmen stormed the church on Sunday. Troops were deployed to prevent new attacks on the town.",
])
def test_attacks_to_prevent_are_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == ["stormed"]


def test_claimed_that_attack_is_a_demonstrative(pre: Preannotator) -> None:
    text = "An ambush killed 11 soldiers in March. The Front claimed that ambush in a video released a week later."
    assert spans(pre, text, "CLAIM") == ["claimed"]


def test_claimed_that_clause_is_no_claim(pre: Preannotator) -> None:
    text = "A bomb killed 12 people in the market. Officials claimed that the city was safe."
    assert spans(pre, text, "CLAIM") == []


def test_a_group_that_said_it_used_a_bomb(pre: Preannotator) -> None:
    text = "Gunmen killed five people at a market. The Front said that it used a car bomb to target the convoy."
    assert spans(pre, text, "CLAIM") == ["it used"]


def test_a_group_that_used_a_website_claims_nothing(pre: Preannotator) -> None:
    text = "Gunmen killed five people at a market. The Front said that it used a website to recruit students."
    assert spans(pre, text, "CLAIM") == []


def test_firing_at_completes_the_paradigm(pre: Preannotator) -> None:
    text = "Gunmen stormed the mosque after prayers. Two groups of gunmen were firing at ambulances."
    assert spans(pre, text, "ATTACK") == ["stormed", "firing at"]


@pytest.mark.parametrize(("text", "act"), [
    ("Gunmen stormed the village, sprinkling petrol on homes, then setting them alight.", "setting them alight"),
    ("The attacker fled to a school where he briefly took a hostage.", "took a hostage"),
])
def test_idioms_with_their_object(pre: Preannotator, text: str, act: str) -> None:
    assert act in spans(pre, text, "ATTACK")


def test_who_gives_the_toll_is_no_victim(pre: Preannotator) -> None:
    text = "A bomb exploded at the wedding. A local official put the death toll at 30."
    assert spans(pre, text, "CASUALTY") == ["30"]


def test_the_dead_of_an_air_strike_are_no_casualties(pre: Preannotator) -> None:
    text = ("A resident said 12 women died in the air strike on a wedding for a man affiliated with the Houthi "
            "group. Residents described bodies from the attack.")
    assert labelled(pre, text) == []


def test_the_kin_of_a_name_are_the_victims(pre: Preannotator) -> None:
    text = ("A car bomb exploded in the town. The wife and three children of Numan al-Mujamaie, the leader of the "
            "local militia, were killed.")
    assert "Numan al-Mujamaie" not in spans(pre, text, "CASUALTY")
    assert "three children" in spans(pre, text, "CASUALTY")


@pytest.mark.parametrize(("text", "status"), [
    ("A bomb exploded at the mosque. The Taliban quickly denied it carried out the attack.", "denied"),
    ("Gunmen killed dozens of people in the church, and the Front claimed it planted the bomb.", "claimed"),
])
def test_a_claim_word_with_it_did(pre: Preannotator, text: str, status: str) -> None:
    found = [s for s in pre.annotate(text)["spans"] if s["label"] == "CLAIM"]
    assert [(s["text"], s["attributes"]["claim_status"]) for s in found] == [(status, status)]
