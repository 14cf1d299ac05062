"""incident-rules-8 (issue 28): wire and crime reports, on invented sentences.

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


def test_an_attacker_with_a_weapon_is_no_victim_phrase(pre: Preannotator) -> None:
    # "a + modifiers + victim noun" ("a little girl") never reaches across the trigger
    text = "A man with a knife attacked passengers on a train, injuring four people."
    got = labelled(pre, text)
    assert ("CASUALTY", "four people") in got
    assert ("ATTACK", "attacked") in got
    assert not any(t.startswith("a knife") for _label, t in got)


@pytest.mark.parametrize(("text", "names"), [
    # a list after a role noun goes on only as a list, not into the clause after the name
    ("Police blamed rebels for a car bomb that killed eight cadets. The bomber, Jose Rojas, drove a Nissan "
     "pickup into the academy.", ["Jose Rojas"]),
    ("A car bomb killed eight cadets. The suspected bombers, Ali Vance and Omar Vance, were arrested.",
     ["Ali Vance", "Omar Vance"]),
])
def test_names_after_a_role_noun(pre: Preannotator, text: str, names: list[str]) -> None:
    got = spans(pre, text, "PERPETRATOR")
    assert [t for t in got if t[0].isupper()] == names


def test_a_paternal_surname_is_a_mention_of_the_person(pre: Preannotator) -> None:
    # D1: every mention, the surname alone too; in a name of three words or more the one before the last
    # can be the surname people use ("Jose Aldemar Rojas Rodriguez" ... "Rojas")
    text = ("A car bomb killed eight police cadets at the academy. The bomber, Jose Aldemar Rojas Rodriguez, 56, "
            "drove a pickup loaded with explosives into the compound. Rojas, who died in the explosion, was an "
            "explosives expert.")
    assert [t for t in spans(pre, text, "PERPETRATOR") if t[0].isupper()] == [
        "Jose Aldemar Rojas Rodriguez", "Rojas"]


@pytest.mark.parametrize(("text", "claim"), [
    # D3 "said it carried out", with the channel between the speech and the claim
    ("A bomb exploded in the market. Two days later the ELN said in a statement that it carried out the attack.",
     "it carried out"),
    ("A bomb exploded in the market. The ELN said in a statement on its website that it had carried out the "
     "attack.", "it had carried out"),
    # and with a verb the phrase patterns do not list
    ("A bomb exploded in the market on Friday. The Red Dawn Front said it staged the bombing.", "said it staged"),
])
def test_a_group_says_what_it_did(pre: Preannotator, text: str, claim: str) -> None:
    claims = [s for s in pre.annotate(text)["spans"] if s["label"] == "CLAIM"]
    assert [(c["text"], c["attributes"]["claim_status"]) for c in claims] == [(claim, "claimed")]


@pytest.mark.parametrize("text", [
    # a denial is no claim of its own act, and a state's forces are out of scope
    "A bomb exploded in the market. The ELN said in a statement that it did not carry out the attack.",
    "A bomb exploded in the market. The ELN said in a statement that the army had staged the attack.",
])
def test_a_group_saying_something_else_claims_nothing(pre: Preannotator, text: str) -> None:
    assert [s for s in pre.annotate(text)["spans"] if s["label"] == "CLAIM" and
            s["attributes"]["claim_status"] == "claimed"] == []


@pytest.mark.parametrize(("text", "victim", "outcome"), [
    # the partitive of a victim noun keeps its quantity and head, like "11 of the injured"
    ("Gunmen attacked the bar on Friday. Police said three of the victims were seriously injured.",
     "three of the victims", "injured"),
    # "shot and killed" is a death, not the wound of "shot"
    ("Gunmen attacked the bar on Friday. A 23-year-old man was shot and killed outside the club.",
     "A 23-year-old man", "killed"),
    # D6: a name with an age or a description in apposition before its verb, the title kept with the name
    ("Gunmen attacked the bar on Friday. Daniel Ruiz, 34, was shot dead.", "Daniel Ruiz", "killed"),
    ("Gunmen attacked the bar on Friday. Officer Daniel Ruiz, a 12-year veteran of the force, was shot dead.",
     "Officer Daniel Ruiz", "killed"),
    # a definite victim with an age is one person, named for the first time
    ("Gunmen attacked the bar on Friday. The 19-year-old student was stabbed to death in a park.",
     "19-year-old student", "killed"),
    # D6: the names a report gives its dead
    ("Gunmen attacked the bar on Friday. The dead man was identified as Marcus Johnson.", "Marcus Johnson",
     "killed"),
    ("Gunmen attacked the bar on Friday. Authorities identified the dead as Sarah Kim, 34, and her husband.",
     "Sarah Kim", "killed"),
])
def test_victims_of_crime_reports(pre: Preannotator, text: str, victim: str, outcome: str) -> None:
    casualties = [s for s in pre.annotate(text)["spans"] if s["label"] == "CASUALTY"]
    assert [(c["text"], c["attributes"]["outcome"]) for c in casualties] == [(victim, outcome)]


def test_the_victims_names_are_listed(pre: Preannotator) -> None:
    text = "Gunmen attacked the bar on Friday. The victims have been identified as Sarah Kim and David Kim."
    assert spans(pre, text, "CASUALTY") == ["Sarah Kim", "David Kim"]


def test_an_attacker_identified_by_name_is_no_victim(pre: Preannotator) -> None:
    text = "Gunmen attacked the bar on Friday, killing two men. The gunman was identified as Marcus Johnson."
    assert spans(pre, text, "CASUALTY") == ["two men"]


@pytest.mark.parametrize("text", [
    # "the attack" after a state's act of war is that act (out of scope), and so are its dead
    "The Saudi-led coalition has been fighting the Houthi rebels since 2015. An air strike on a school bus in "
    "Dahyan killed 40 children last week. The coalition said the attack was a legitimate military action.",
    # a weapon of a state at war is no device of an attack
    "The regime's barrel bombs killed at least 15 people in Aleppo on Sunday.",
    "Dozens of civilians were killed in drone strikes in the valley, and the attack drew protests.",
])
def test_acts_of_war_named_by_their_weapon(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


@pytest.mark.parametrize(("text", "dead"), [
    # attackers killed are no casualties (the guideline's "Does not cover"), in an attack or an operation
    ("Security forces repelled a Taliban attack on a district center, killing 25 insurgents. Three police "
     "officers were killed in the fighting.", ["Three police officers"]),
    ("Troops repelled the attack, killing 25 attackers.", []),
    # fighters and rebels can be an attack's victims
    ("A suicide bomber attacked a base, killing more than two dozen pro-government fighters.",
     ["more than two dozen pro-government fighters"]),
])
def test_attackers_killed_are_no_casualties(pre: Preannotator, text: str, dead: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == dead


@pytest.mark.parametrize("text", [
    # a police shooting is out of scope in every mention, the officer's charge included (the police are
    # never PERPETRATOR, their acts are operations)
    "Officer Darren Wilson shot Michael Brown, an unarmed teenager, in August. The shooting sparked weeks of "
    "protests in Ferguson.",
    "The deputy fatally shot the man after he lunged at him with a knife, the sheriff's office said. The shooting "
    "is under review.",
    "The family of Tamir Rice, a 12-year-old boy killed by a Cleveland police officer, has filed a lawsuit. The "
    "shooting was captured on video.",
    "Two officers were indicted in the fatal shooting of an unarmed man in his apartment.",
])
def test_a_police_shooting_has_no_attack(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


def test_an_officer_charged_is_no_perpetrator(pre: Preannotator) -> None:
    text = ("Walter Scott was shot in the back as he ran from Officer Michael Slager after a traffic stop. Slager "
            "was charged with murder after a video of the shooting emerged.")
    assert spans(pre, text, "PERPETRATOR") == []


def test_a_police_shooting_beside_an_attacker_keeps_the_attack(pre: Preannotator) -> None:
    # an attacker named in the text: the shooting is his, and the officer's shot is the response
    text = "A gunman opened fire in the mall, killing two shoppers. An officer shot the gunman dead."
    got = labelled(pre, text)
    assert ("ATTACK", "opened fire") in got and ("CASUALTY", "two shoppers") in got


@pytest.mark.parametrize(("text", "victim", "outcome"), [
    # the agent of an active hurt verb is no named victim; the longest cue gives the outcome
    ("Gunmen attacked the bar. Sergeant Tom Berg shot one of the attackers.", None, None),
    ("Gunmen attacked the bar. Sergeant Tom Berg was shot dead.", "Sergeant Tom Berg", "killed"),
])
def test_a_titled_name_and_its_verb(pre: Preannotator, text: str, victim: str | None, outcome: str | None) -> None:
    casualties = [(c["text"], c["attributes"]["outcome"]) for c in pre.annotate(text)["spans"]
                  if c["label"] == "CASUALTY"]
    assert casualties == ([(victim, outcome)] if victim else [])


def test_a_head_of_state_is_no_perpetrator(pre: Preannotator) -> None:
    # a state and its leaders are never PERPETRATOR, however the text accuses them
    text = ("Syrian President Bashar al-Assad has been accused of using chemical weapons against civilians. The "
            "attack on the town killed more than 80 people. Assad denied any involvement.")
    assert spans(pre, text, "PERPETRATOR") == []


def test_the_agent_after_by_is_no_victim(pre: Preannotator) -> None:
    text = "The exiled politician was assassinated at the airport by two women who smeared his face with poison."
    assert spans(pre, text, "CASUALTY") == ["exiled politician"]
    assert spans(pre, text, "ATTACK") == ["assassinated"]


@pytest.mark.parametrize(("text", "name"), [
    # D1: the name a report gives the attacker, past an age, or for the one its relative clause describes
    ("A gunman opened fire at a school, killing nine people. The shooter has been identified as 26-year-old "
     "Chris Harper Mercer.", "Chris Harper Mercer"),
    ("A bomb exploded on a train, killing 14 people. Investigators identified the man who set off the bomb as "
     "Akbarzhon Jalilov. Jalilov died in the blast.", "Akbarzhon Jalilov"),
])
def test_the_attacker_identified_by_name(pre: Preannotator, text: str, name: str) -> None:
    assert name in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "who"), [
    # an indefinite person noun whose relative clause is the attack introduces the attacker (D1)
    ("A man who stabbed three people at a train station was jailed for life on Friday.", "man"),
    ("A woman who drove a car into a crowd of pedestrians, killing three people, was sentenced on Friday.",
     "woman"),
])
def test_the_attacker_in_a_relative_clause(pre: Preannotator, text: str, who: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == [who]
    assert who not in [t.split()[-1] for t in spans(pre, text, "CASUALTY")]


def test_a_person_who_was_hurt_is_no_attacker(pre: Preannotator) -> None:
    text = "A man who was stabbed at the station died in hospital."
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "victims"), [
    # the list of the dead names its people with heads no lexicon lists ("retiree"), in apposition too
    ("A car ploughed into pedestrians, killing three people. The victims, a 71-year-old retiree, a tourist from "
     "Japan and a 10-year-old boy, were crossing the street.",
     ["three people", "a 71-year-old retiree", "a tourist", "a 10-year-old boy"]),
    ("A car ploughed into pedestrians, killing three people. The dead were a 71-year-old retiree and a nurse.",
     ["three people", "a 71-year-old retiree", "a nurse"]),
])
def test_the_list_of_the_dead(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_the_victims_in_a_clause_are_no_list(pre: Preannotator) -> None:
    text = "A car ploughed into pedestrians, killing three people. The victims, who were tourists, died at the scene."
    assert spans(pre, text, "CASUALTY") == ["three people"]


@pytest.mark.parametrize(("text", "victims"), [
    # D6: the named dead in a list, with ages, suffixes and descriptions (the description after a name stays out)
    ("The gunman opened fire at the club. Among those killed were Edward Sotomayor Jr., 34; Stanley Almodovar III, "
     "23; and Luis Omar Ocasio-Capo, 20.", ["Edward Sotomayor Jr.", "Stanley Almodovar III", "Luis Omar Ocasio-Capo"]),
    ("The gunman opened fire at the club. Those killed included Edward Sotomayor, a travel agent, and Stanley "
     "Almodovar, a pharmacy technician.", ["Edward Sotomayor", "Stanley Almodovar"]),
    # a full name with an age before its death verb, and the one joined to it
    ("The gunman opened fire at the club. Edward Sotomayor, 34, and Stanley Almodovar, 23, were among the dead.",
     ["Edward Sotomayor", "Stanley Almodovar"]),
    ("The gunman opened fire at the club. Edward Sotomayor, 34, died at the scene.", ["Edward Sotomayor"]),
])
def test_the_named_dead(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_a_named_attacker_with_an_age_is_no_victim(pre: Preannotator) -> None:
    text = ("A bomb exploded on a train, killing 14 people. Police named the bomber as Akbarzhon Jalilov. "
            "Akbarzhon Jalilov, 22, died in the blast.")
    assert spans(pre, text, "CASUALTY") == ["14 people"]


@pytest.mark.parametrize(("text", "victim"), [
    # D6: a name after "the death of" in a text that reports an attack (never a phrase without a name)
    ("Gunmen attacked the car. After the death of Carlos Galan, a great Colombian leader, the government launched "
     "a crackdown.", "Carlos Galan"),
    # and after its participle: "the assassinated X"
    ("Gunmen attacked the car. The candidate replaced the assassinated Carlos Pizarro.", "Carlos Pizarro"),
])
def test_a_named_dead_after_a_noun_or_participle(pre: Preannotator, text: str, victim: str) -> None:
    assert spans(pre, text, "CASUALTY") == [victim]



def test_a_denial_with_its_channel_before_that(pre: Preannotator) -> None:
    # D3 denied, with "today in a communique" between the verb and its clause; the party denying is in role
    text = ("The Extraditables, the armed branch of the cartel, denied today in a communique that they had carried "
            "out the bombing.")
    got = labelled(pre, text)
    assert ("CLAIM", "denied") in got and ("PERPETRATOR", "Extraditables") in got


@pytest.mark.parametrize(("text", "group"), [
    # a group's name before its fighters' noun and their attack verb (D1)
    ("At 0640 an FMLN guerrilla unit launched an attack on the Conchagua Battalion.", "FMLN"),
    ("Sendero Rojo guerrillas attacked the police post on Monday.", "Sendero Rojo"),
])
def test_a_group_before_its_fighters(pre: Preannotator, text: str, group: str) -> None:
    assert any(t.startswith(group) for t in spans(pre, text, "PERPETRATOR"))


@pytest.mark.parametrize(("text", "who"), [
    # a name of several words before the fighters' noun is theirs; a date or a preposition before it is not
    ("Sendero Rojo guerrillas attacked the police post on Monday.", "Sendero Rojo guerrillas"),
    ("On Monday Free Syrian Army rebels attacked the town.", "Free Syrian Army rebels"),
])
def test_the_name_before_the_fighters(pre: Preannotator, text: str, who: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == [who]


@pytest.mark.parametrize(("text", "claim", "party"), [
    # D3 "held responsible" with its party between (D1: the party held is a perpetrator)
    ("A bomb killed 12 people at the market. The government held the Sangha Liberation Front responsible for the "
     "attack.", "responsible", "Sangha Liberation Front"),
    # D3 "said it carried out" when a spokesman speaks of "the group"
    ("A bomb killed 12 people at the market. A Taliban spokesman said the group had carried out the bombing.",
     "said the group had carried out", "Taliban"),
])
def test_attributions_with_their_party_inside(pre: Preannotator, text: str, claim: str, party: str) -> None:
    got = labelled(pre, text)
    assert ("CLAIM", claim) in got and ("PERPETRATOR", party) in got


def test_a_state_held_responsible_is_out_of_scope(pre: Preannotator) -> None:
    text = "A bomb killed 12 people at the market. The rebels held Russia responsible for the attack."
    assert spans(pre, text, "CLAIM") == []


def test_a_claim_never_swallows_the_attack(pre: Preannotator) -> None:
    # the trigger is the act's span; a claim over it would hide it
    text = "A bomb killed 12 people at the market. In a message posted online, the group said its fighters had " \
           "detonated the device."
    got = labelled(pre, text)
    assert ("ATTACK", "detonated") in got and ("PERPETRATOR", "fighters") in got


@pytest.mark.parametrize("text", [
    # attacks only discussed in general (the guideline's "Does not cover"): prevented, or a trend
    "The government has stepped up security to prevent attacks during the holiday season.",
    "Attacks on aid workers have risen sharply this year, the UN said.",
    "Shootings in the city rose by 20 percent last year.",
    "Mass shootings have become routine in America.",
])
def test_attacks_in_general(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


def test_a_series_of_attacks_is_reported(pre: Preannotator) -> None:
    text = "The group has carried out a series of attacks in the region, including a bombing in March."
    assert spans(pre, text, "ATTACK") == ["attacks", "bombing"]


@pytest.mark.parametrize(("text", "names"), [
    # a long apposition between a name and its suspect predicate (D1)
    ("Suicide bombers killed 32 people at the airport. Salah Abdeslam, the only surviving member of the attack "
     "team, was captured four days before the bombings.", ["Salah Abdeslam"]),
    # both names after "identified as"
    ("Suicide bombers killed 32 people at the airport. The bombers were identified as Ibrahim El Bakraoui and "
     "Najim Laachraoui.", ["Ibrahim El Bakraoui", "Najim Laachraoui"]),
])
def test_named_suspects_in_wire_reports(pre: Preannotator, text: str, names: list[str]) -> None:
    assert [t for t in spans(pre, text, "PERPETRATOR") if t[0].isupper() and " " in t and "bomb" not in t] == names


def test_a_charge_of_terrorist_murder_names_no_terrorist(pre: Preannotator) -> None:
    text = "Prosecutors charged a man with terrorist murder over the suicide bombings that killed 32 people."
    assert "terrorist" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "act", "atype"), [
    # D4: a headline's present tense after its attacker
    ("Gunmen Storm Hotel In Mogadishu, At Least 15 Dead", "Storm", "armed_assault"),
    ("Rebels Bomb Market In Northern Town", "Bomb", "bombing"),
    ("Militants kidnap 20 students in Nigeria", "kidnap", "kidnapping"),
])
def test_a_headlines_present_tense(pre: Preannotator, text: str, act: str, atype: str) -> None:
    attacks = [s for s in pre.annotate(text)["spans"] if s["label"] == "ATTACK"]
    assert [(a["text"], a["attributes"].get("attack_type")) for a in attacks] == [(act, atype)]


@pytest.mark.parametrize("text", ["A storm hit the coast on Monday.", "The bomb was found near the school."])
def test_the_nouns_of_those_verbs_are_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


def test_a_claim_posted_by_its_agency_is_no_states_act(pre: Preannotator) -> None:
    # "by its news agency" names a channel's owner, not a state's forces as the attack's agent
    text = ("A suicide bomber struck a crowd in Kabul on Tuesday. The Islamic State group's local affiliate claimed "
            "the attack in a statement posted by its Aamaq news agency.")
    got = labelled(pre, text)
    assert ("ATTACK", "attack") in got and ("PERPETRATOR", "Islamic State") in got


@pytest.mark.parametrize("text", [
    # D1 in trial and investigation reports: who appears in court charged, who acted alone, who built the device
    "A bomb exploded at the station, killing four people. Karim Dahl appeared in court on Monday charged with four "
    "counts of murder.",
    "A bomb exploded at the station, killing four people. Investigators believe Karim Dahl acted alone.",
    "A bomb exploded at the station, killing four people. Prosecutors allege that Karim Dahl built the device in "
    "his garage.",
    "A bomb exploded at the station, killing four people. Karim Dahl had allegedly assembled the pressure-cooker "
    "bombs.",
    "A bomb exploded at the station, killing four people. Police are hunting for Karim Dahl, the prime suspect.",
])
def test_the_accused_of_trial_reports(pre: Preannotator, text: str) -> None:
    assert "Karim Dahl" in spans(pre, text, "PERPETRATOR")


def test_a_builder_of_something_else_is_no_attacker(pre: Preannotator) -> None:
    text = "A bomb exploded at the station. Karim Dahl built the station in 1990."
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "claim"), [
    # D3: arrested on suspicion of the attack's offence; facing charges (the person charged is D1's suspect)
    ("A bomb exploded at the station, killing four people. Karim Dahl was arrested on suspicion of murder.",
     "on suspicion of"),
    ("A bomb exploded at the station, killing four people. Karim Dahl faces charges of terrorism and murder.",
     "charges"),
])
def test_suspicion_and_charges_faced(pre: Preannotator, text: str, claim: str) -> None:
    got = labelled(pre, text)
    assert ("CLAIM", claim) in got and ("PERPETRATOR", "Karim Dahl") in got


def test_a_suspicion_of_another_offence_is_no_claim(pre: Preannotator) -> None:
    text = "A bomb exploded at the station. Two men were arrested on suspicion of fraud."
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize("text", [
    # a shooting nobody in the text carries out, claims or is suspected of: gun crime or police news (scope)
    "A shooting outside a bar left two people dead on Friday, police said. No arrests have been made.",
    # a raid nobody in its sentence carries out is a police or army raid
    "A raid on the village before dawn left 12 people dead.",
])
def test_an_unowned_shooting_or_raid_is_no_attack(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


@pytest.mark.parametrize(("text", "act"), [
    ("A gunman opened fire outside a bar, killing two people. The shooting lasted a minute.", "shooting"),
    ("Police arrested a suspect after a shooting outside a bar left two people dead.", "shooting"),
    ("The senator said the president had failed the victims of the Orlando shooting.", "shooting"),
    ("Gunmen killed 12 people in a night raid on the village.", "raid"),
])
def test_an_owned_or_named_shooting_or_raid_is_an_attack(pre: Preannotator, text: str, act: str) -> None:
    assert act in spans(pre, text, "ATTACK")


def test_a_named_killer_in_crime_news_is_left_to_the_annotator(pre: Preannotator) -> None:
    # no group, no word of terror, no gunman, no ramming or bombing: a court story about a stabbing is crime news
    # (the claim rules read it so too: no CLAIM on its "charged")
    text = "A man was stabbed at a bar in Leeds on Friday. Police charged Tom Fenwick, 34, with attempted murder."
    assert spans(pre, text, "PERPETRATOR") == []
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize("text", [
    # the same named person where the text speaks of terror, a gunman or a ramming, or names the act generically
    "A man was stabbed at a bar in Leeds on Friday in what police called a terror attack. Police charged Tom "
    "Fenwick, 34, with attempted murder.",
    "A gunman opened fire at a bar in Leeds on Friday. Police charged Tom Fenwick, 34, with murder.",
    "Tom Fenwick drove a van into a crowd in Leeds on Friday, killing three people.",
    "Police said Tom Fenwick had planned the attack for months.",
])
def test_a_named_attacker_of_an_attack_report(pre: Preannotator, text: str) -> None:
    assert "Tom Fenwick" in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "expected"), [
    # D1: the aged description an attacker is identified as
    ("A man stabbed a police officer outside the cathedral on Tuesday. The assailant, identified as a 40-year-old "
     "Algerian doctoral student, was carrying a student ID card.",
     ["man", "assailant", "40-year-old Algerian doctoral student"]),
    # not the victim's
    ("A man stabbed a police officer on Tuesday. The victim was identified as a 40-year-old mother of two.",
     ["man"]),
])
def test_the_description_an_attacker_is_identified_as(pre: Preannotator, text: str, expected: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == expected
