"""incident-rules-7 (issue 28): the party an attribution names, and the agents of wire reports, on invented
sentences.

Every text here is made up; none comes from a gold set. What each test pins is what guideline version 2
(schema/guideline.md, D1-D6) asks an annotator to draw.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import labelled, spans  # both check every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize(("text", "party"), [
    # D1 (held responsible) with D3 (official attribution is CLAIM): the party after "on" / "to"
    ("Police blamed the attack on the Red Hand.", "Red Hand"),
    ("The government blamed last week's bombing on the Sons of the Valley.", "Sons of the Valley"),
    ("Officials attributed the attack to the Red Hand, a little-known group.", "Red Hand"),
    ("Authorities attribute the bombings to drug traffickers.", "drug traffickers"),
    ("The minister blamed the attack on separatists.", "separatists"),
])
def test_the_party_an_attribution_blames(pre: Preannotator, text: str, party: str) -> None:
    got = labelled(pre, text)
    assert ("PERPETRATOR", party) in got
    assert [lab for lab, _t in got].count("CLAIM") == 1


@pytest.mark.parametrize("text", [
    "Officials blamed the attack on security lapses at the border.",  # a cause, not a party
    "The opposition blamed the attack on the government.",  # a state is out of scope
    "Officials blamed the attack on the Salvadoran air force.",  # a state's forces; "Salvadoran" is no name
    "Police blamed the rise in crime on drug traffickers.",  # no attack blamed
])
def test_a_cause_a_state_or_no_attack_is_no_party(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == []


def test_a_group_named_as_the_agent_counts_for_the_whole_text(pre: Preannotator) -> None:
    text = ("The attack was carried out by the Red Hand, police said. The Red Hand has bombed banks before.")
    assert spans(pre, text, "PERPETRATOR") == ["Red Hand", "Red Hand"]


def test_police_blaming_is_not_a_police_operation(pre: Preannotator) -> None:
    # the police are the subject of "blamed", not of the attack
    assert ("ATTACK", "attack") in labelled(pre, "Police blamed the attack on the Red Hand.")


def test_the_speaker_after_a_toll_is_no_victim(pre: Preannotator) -> None:
    got = labelled(pre, "The bombing killed 20 people, prosecutors said.")
    assert spans(pre, "The bombing killed 20 people, prosecutors said.", "CASUALTY") == ["20 people"]
    assert ("CASUALTY", "prosecutors") not in got


@pytest.mark.parametrize(("text", "attacker"), [
    # an indefinite description that introduces the attacker (the guideline's "a man stabbed eight people"),
    # its verb after a relative clause, a prepositional phrase or a first verb
    ("Two men who were passing by the building placed the explosives and fled.", "Two men"),
    ("A young man got out of a taxi and placed a bag at the entrance.", "young man"),
    ("A man walked into the mosque and opened fire, killing five people.", "man"),
    ("A man walked into the mosque and then opened fire.", "man"),
    ("Two men on a motorcycle threw a grenade into the crowd.", "Two men"),
    ("A man in his thirties stabbed three people at the station.", "man"),
])
def test_an_introduced_attacker_past_a_clause(pre: Preannotator, text: str, attacker: str) -> None:
    got = labelled(pre, text)
    assert ("PERPETRATOR", attacker) in got
    assert not any(lab == "CASUALTY" and attacker in t for lab, t in got)


@pytest.mark.parametrize("text", [
    "A man who was wounded when militants attacked the village died in hospital.",
    "A woman who lived near the market said the bomb exploded at noon.",
    "A man who witnessed the attack said it lasted minutes.",
    "A man was shot and the gunman fled.",
])
def test_a_witness_or_a_victim_is_no_introduced_attacker(pre: Preannotator, text: str) -> None:
    assert not any(t.lower().endswith(("man", "woman")) and not t.endswith("gunman")
                   for t in spans(pre, text, "PERPETRATOR"))


@pytest.mark.parametrize(("text", "planner"), [
    # D1: who planned or ordered an attack the article reports is held responsible for it
    ("Juan Morales masterminded the bombing of the embassy, prosecutors said.", "Juan Morales"),
    ("Prosecutors say Juan Morales ordered the assassination of the union leader.", "Juan Morales"),
    ("The Red Hand Brigade orchestrated the attack, police said.", "Red Hand Brigade"),
])
def test_who_planned_or_ordered_the_attack(pre: Preannotator, text: str, planner: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == [planner]


def test_a_state_that_planned_a_bombing_is_no_perpetrator(pre: Preannotator) -> None:
    assert spans(pre, "Russia planned the bombing of the city for weeks.", "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "expected"), [
    # the agent of a death is an attacker without an attack word; its victim is a casualty
    ("The mayor was shot to death by terrorists.", [("CASUALTY", "mayor"), ("PERPETRATOR", "terrorists")]),
    ("A policeman was shot dead by guerrillas in the capital.",
     [("CASUALTY", "A policeman"), ("PERPETRATOR", "guerrillas")]),
    # a definite victim with content, without its determiner (the guideline's extent), with "shot dead"'s outcome
    ("The former mayor was shot dead by gunmen outside his home.",
     [("CASUALTY", "former mayor"), ("PERPETRATOR", "gunmen")]),
])
def test_the_agent_and_victim_of_a_killing(pre: Preannotator, text: str, expected: list[tuple[str, str]]) -> None:
    assert labelled(pre, text) == expected
    assert pre.annotate(text)["spans"][0]["attributes"] == {"outcome": "killed"}


@pytest.mark.parametrize("text", [
    "A policeman was shot dead by gunmen. The policeman was killed instantly, police said.",  # a repeat
    "Gunmen attacked the village. The villagers were killed in their homes.",  # plural: most often a repeat
    "Gunmen attacked the village. The victims were killed in their homes.",  # generic
])
def test_a_definite_repeat_or_generic_victim_is_not_proposed(pre: Preannotator, text: str) -> None:
    assert len(spans(pre, text, "CASUALTY")) <= 1 and not any(
        t.lower() in ("policeman", "villagers", "victims") for t in spans(pre, text, "CASUALTY"))


@pytest.mark.parametrize("text", [
    "A jury on Thursday found Tomas Wexler guilty of murdering nine people in the bombing of a cafe.",
    "Tomas Wexler was found guilty of the bombing of a cafe.",
])
def test_d3_the_person_a_verdict_finds_guilty(pre: Preannotator, text: str) -> None:
    got = labelled(pre, text)
    assert ("PERPETRATOR", "Tomas Wexler") in got
    assert [lab for lab, _t in got].count("CLAIM") == 1


def test_guilty_of_another_offence_is_no_perpetrator(pre: Preannotator) -> None:
    text = ("A bomb killed three people at the station last year. Tomas Wexler, a friend of the bomber, was found "
            "guilty of obstruction of justice.")
    assert "Tomas Wexler" not in spans(pre, text, "PERPETRATOR")


def test_murdering_is_a_kill_verb(pre: Preannotator) -> None:
    text = "A jury found Tomas Wexler guilty of murdering nine people in the bombing of a cafe."
    assert spans(pre, text, "CASUALTY") == ["nine people"]


@pytest.mark.parametrize(("text", "act"), [
    # a show or a match as the attack's target or time is no sign of a figure of speech
    ("Karim Haddad planned the attack on the concert hall.", ["attack"]),
    ("A bomb exploded during the match, police said.", ["exploded"]),
    ("The striker led the attack in the second half of the match.", []),
])
def test_a_show_or_match_as_target_keeps_the_attack(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


def test_a_multi_word_name_as_an_attack_verbs_subject_is_a_group(pre: Preannotator) -> None:
    text = ("The Eastern Tigers have kidnapped more than 40 foreigners in the past two years. Gunmen loyal to the "
            "Eastern Tigers ambushed a convoy on Saturday.")
    assert spans(pre, text, "PERPETRATOR") == ["Eastern Tigers", "Gunmen", "Eastern Tigers"]


@pytest.mark.parametrize(("text", "victims"), [
    # the whole is hurt too, and its part is its own span (the guideline's subset rule)
    ("A car bomb exploded in the market. Eight people were hurt, three of them seriously.", ["Eight people", "three"]),
    # a bus's passengers are the whole, not victims: only the part
    ("A bomb hit a bus carrying 40 workers, killing three of them.", ["three"]),
    # the victims of the attack, past the attack they are of
    ("A car bomb exploded in the market. The victims of the bombing included a 12-year-old boy.",
     ["a 12-year-old boy"]),
    # a lost limb is an injury
    ("A car bomb exploded in the market. A woman lost both legs in the blast.", ["A woman"]),
])
def test_wholes_parts_and_injuries(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize("text", [
    # a state's act of war on a group's targets: the state is the actor, the group the target
    "The United States has bombed Islamic State targets in Syria and Iraq since 2014.",
    "Jets bombed Islamic State positions near the town on Sunday.",
])
def test_a_group_before_a_target_noun_is_the_target(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


def test_a_bullet_ends_a_sentence(pre: Preannotator) -> None:
    # a "See also" list: the state's forces in one item are not the agent of the bombing in the next
    text = "See also* United States Air Force Security Forces* 2007 Bagram Airfield bombing"
    assert spans(pre, text, "ATTACK") == ["bombing"]


@pytest.mark.parametrize("text", [
    # a battle's sides are combatants (the scope readings: battles are out of scope), not attackers
    "Fighting between the army and Kurdish fighters killed dozens of people last week.",
    "Clashes between government troops and rebels left 12 people dead.",
])
def test_the_sides_of_a_battle_are_not_attackers(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


def test_a_group_that_attacks_is_still_an_attacker(pre: Preannotator) -> None:
    got = labelled(pre, "Kurdish fighters attacked a checkpoint, killing two policemen.")
    assert ("PERPETRATOR", "Kurdish fighters") in got and ("CASUALTY", "two policemen") in got


@pytest.mark.parametrize(("text", "acts"), [
    # a text about a war that names no attacker and no claim: its attacks are acts of war (scope readings)
    ("The shelling of the city entered its third month. An attack on a convoy on Monday killed 20 people.", []),
    ("Government troops pressed their offensive in the north. A raid on a village left six people dead.", []),
    # an attacker or a claim in the text keeps them
    ("The siege of the city entered its third month. Militants attacked a convoy on Monday, killing 20 people.",
     ["attacked"]),
    ("A ceasefire was announced last week. A bomb exploded in a market on Monday and the Red Hand claimed "
     "responsibility.", ["exploded"]),
])
def test_a_war_text_without_attackers(pre: Preannotator, text: str, acts: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == acts


def test_a_gun_battle_does_not_make_a_war(pre: Preannotator) -> None:
    text = "A bomb exploded at the station on Monday. Days later, the suspect was killed in a gun battle with police."
    assert spans(pre, text, "ATTACK") == ["exploded"]


def test_the_agent_after_by_is_no_victim(pre: Preannotator) -> None:
    text = "The teacher was attacked by a student with a chair and suffered minor injuries."
    assert spans(pre, text, "CASUALTY") == []


def test_a_driver_who_rams_is_named_in_every_mention(pre: Preannotator) -> None:
    # "drove" is an irregular past: the agent before it is a perpetrator seed (D1), its first name too
    text = "Farid Osman drove a van into a crowd, killing 12 people. Farid had never been religious, his wife said."
    assert spans(pre, text, "PERPETRATOR") == ["Farid Osman", "Farid"]


def test_a_vehicle_as_the_subject_of_a_ramming(pre: Preannotator) -> None:
    text = ("A van drove into a crowd, killing 12 people. The Southern Caliphate Brigade claimed responsibility in a "
            "video released on Friday.")
    got = labelled(pre, text)
    assert ("ATTACK", "drove") in got and ("CLAIM", "claimed responsibility") in got
    assert spans(pre, "A van drove into a tree on the motorway.", "ATTACK") == []


@pytest.mark.parametrize(("text", "expected"), [
    # a named attacker's apposition does not hide the name (its last word, Marseille, is no subject)
    ("Farid Osman, a 29-year-old electrician from Marseille, drove a van into a crowd, killing 12 people.",
     ["Farid Osman", "29-year-old electrician"]),
    # an indefinite aged description as an attack verb's subject introduces the attacker; its age names him later
    ("Police said a 29-year-old electrician drove a van into a crowd, killing 12 people. The 29-year-old had no "
     "criminal record.", ["29-year-old electrician", "29-year-old"]),
    # the guideline's example 8: an age with its nouns up to a boundary is one description
    ("The attacker, a 24-year-old former bus driver, drove a van into a crowd.",
     ["attacker", "24-year-old former bus driver"]),
])
def test_aged_descriptions_of_an_attacker(pre: Preannotator, text: str, expected: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == expected


def test_an_aged_victim_is_no_attacker(pre: Preannotator) -> None:
    got = labelled(pre, "A car bomb exploded, and a 40-year-old woman was killed.")
    assert ("CASUALTY", "a 40-year-old woman") in got and not spans(
        pre, "A car bomb exploded, and a 40-year-old woman was killed.", "PERPETRATOR")


def test_wire_report_speakers_and_car_bombers(pre: Preannotator) -> None:
    text = ("Two female suicide bombers blew themselves up at a crowded market on Wednesday, killing 18 people and "
            "wounding 40 others, a rescue official said. A suicide car bomber rammed a convoy on Monday.")
    got = labelled(pre, text)
    assert ("CASUALTY", "a rescue official") not in got  # the speaker
    assert ("PERPETRATOR", "suicide car bomber") in got


@pytest.mark.parametrize(("text", "attackers"), [
    # a lower-case plural of people as an attack verb's subject, or of a verb that begins a series of attacks
    ("Since then, drug traffickers began a series of attacks with explosives in the capital.", ["drug traffickers"]),
    ("The rebels have waged a bombing campaign against the government since 2010.", ["rebels"]),
])
def test_plural_agents_of_attacks(pre: Preannotator, text: str, attackers: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == attackers


def test_a_trial_that_began_is_no_agent(pre: Preannotator) -> None:
    assert spans(pre, "The trial began on Monday, a year after the attack on the embassy.", "PERPETRATOR") == []


@pytest.mark.parametrize("text", [
    # a group that says it did it, past the channel, or through its fighters
    "A bomb exploded at the market. The Red Hand Brigade said in a statement that it had carried out the attack.",
    "A bomb exploded at the market. In a statement, the Red Hand Brigade said its fighters had planted the bomb.",
])
def test_a_group_that_says_it_did_it(pre: Preannotator, text: str) -> None:
    assert "Red Hand Brigade" in spans(pre, text, "PERPETRATOR")


def test_suspect_after_and_is_a_verb(pre: Preannotator) -> None:
    text = ("A bomb exploded at the market. Investigators are treating the blast as an act of terrorism and suspect "
            "Islamist militants.")
    got = labelled(pre, text)
    assert ("PERPETRATOR", "suspect") not in got and ("PERPETRATOR", "Islamist militants") in got


@pytest.mark.parametrize(("text", "attackers"), [
    # people as the agent after "by" of an attack
    ("The attack was carried out by two men on a motorcycle.", ["two men"]),
    ("A bomb, planted by unidentified persons, exploded in the cockpit of the plane.", ["unidentified persons"]),
])
def test_people_after_by(pre: Preannotator, text: str, attackers: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == attackers


def test_shot_at_a_building_is_an_attack(pre: Preannotator) -> None:
    text = "Gunmen shot at the offices of the newspaper on Tuesday."
    assert spans(pre, text, "ATTACK") == ["shot at"]


def test_an_adverb_before_the_victims_stays_out(pre: Preannotator) -> None:
    text = "A bomb exploded in the market on Monday. The victims were mostly women and children."
    assert spans(pre, text, "CASUALTY") == ["women and children"]


def test_a_claims_channel_is_not_its_object(pre: Preannotator) -> None:
    # two sentences after the attack, "in a video" says how the claim came, not what it is about
    text = ("Farid Osman drove a van into a crowd, killing 12 people. The brothers had been radicalised online, "
            "according to a report. The Southern Caliphate Brigade claimed responsibility in a video.")
    got = labelled(pre, text)
    assert ("CLAIM", "claimed responsibility") in got and ("PERPETRATOR", "Southern Caliphate Brigade") in got


@pytest.mark.parametrize("text", [
    # a police shooting is a police operation, however the officer is described
    "The fatal shooting of Michael Brown by a white police officer sparked protests in Ferguson.",
    "The shooting of the teenager by an off-duty officer is under investigation.",
])
def test_a_shooting_by_a_described_officer_is_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


def test_a_states_own_strike(pre: Preannotator) -> None:
    assert labelled(pre, "The coalition said its strike had killed an Islamic State commander near Mosul.") == []
    # a group's own act stays
    got = labelled(pre, "The Red Hand Brigade said its attack had killed three soldiers.")
    assert ("ATTACK", "attack") in got


@pytest.mark.parametrize("text", [
    # a trial report after a device-subject attack (no attack word but the bomb): D1 and D3's legal forms
    "A bomb killed nine people at a cafe in 2019. Tomas Wexler went on trial accused of planting the device.",
    "A bomb killed nine people at a cafe in 2019. Tomas Wexler, who is accused of planting it, appeared in court.",
    "A bomb killed nine people at a cafe in 2019. Tomas Wexler was sentenced to life in prison on Thursday.",
    "A bomb killed nine people at a cafe in 2019. Tomas Wexler, the man accused of the bombing, told the court he was "
    "innocent.",
])
def test_a_defendant_in_a_trial_report(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == ["Tomas Wexler"]


def test_a_person_who_admits_is_no_group(pre: Preannotator) -> None:
    result = pre.annotate("A bomb killed nine people at a cafe. Tomas Wexler admitted planting the bomb.")
    kinds = {s["text"]: s["attributes"].get("perpetrator_kind") for s in result["spans"] if s["label"] == "PERPETRATOR"}
    assert kinds == {"Tomas Wexler": "individual"}


@pytest.mark.parametrize("text", [
    "Urban guerrillas of the FMLN dynamited two power pylons last night.",
    # in capitals: a trigger word the casing table lacks is no name that swallows the verb
    "URBAN GUERRILLAS OF THE FMLN DYNAMITED TWO POWER PYLONS LAST NIGHT.",
])
def test_the_group_the_fighters_are_of(pre: Preannotator, text: str) -> None:
    assert [t.lower() for t in spans(pre, text, "PERPETRATOR")] == ["urban guerrillas", "fmln"]


def test_armed_men_in_an_attack_report(pre: Preannotator) -> None:
    text = "A group of armed men killed the judge in the city centre. The attackers fired on his car and fled."
    assert spans(pre, text, "PERPETRATOR")[0] == "armed men"
    assert spans(pre, "Armed men guard the entrance of the parliament.", "PERPETRATOR") == []


def test_a_channel_between_commas_before_a_claim(pre: Preannotator) -> None:
    text = "A bomb exploded at the market. The Red Hand Brigade, in a statement posted online, claimed the bombing."
    assert spans(pre, text, "PERPETRATOR") == ["Red Hand Brigade"]
