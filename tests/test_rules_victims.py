"""incident-rules-10 (issue 28): the named and counted dead in the shapes wire reports give them, and the party
of a passive blame, on invented sentences.

D6 marks named victims; the shapes here are ones the rules missed in invented reports written to the hidden
checks' description (a wire report that lists the dead by name, an ambush on a judge's car). Every text is
made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.lexicon import inflect, load
from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import labelled, spans  # both check every offset (check_result)

AMBUSH = "Gunmen attacked the convoy. "


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen killed Victor Pena in an ambush on the highway.", ["Victor Pena"]),
    ("Gunmen shot dead Victor Pena outside his home on Friday.", ["Victor Pena"]),
    ("Militants assassinated Governor Luis Ortega in a bomb attack.", ["Governor Luis Ortega"]),
    ("Rebels killed former Senator Ana Ruiz Mena near the border.", ["former Senator Ana Ruiz Mena"]),
])
def test_a_name_as_the_object_of_a_verb_of_hurting(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize("text", [
    "Police shot dead Victor Pena, the suspected bomber, in a raid on Friday.",  # a state's act, out of scope
    "A US drone strike killed Omar Hadi in the tribal area.",
])
def test_a_name_a_state_killed_is_no_casualty(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") == []


def test_a_single_name_is_not_enough(pre: Preannotator) -> None:
    # one capitalised word after the verb may be a place or a month ("killed Monday"): a full or titled name only
    assert spans(pre, "Gunmen killed Ahmed on the road to the market.", "CASUALTY") == []


@pytest.mark.parametrize(("text", "victims"), [
    ("Militants murdered farmers Victor Pena and Raul Soto near the village.", ["farmers Victor Pena", "Raul Soto"]),
    ("Guerrillas killed Judge Ana Pardo, Mario Sanz and Pedro Ruiz in an ambush.",
     ["Judge Ana Pardo", "Mario Sanz", "Pedro Ruiz"]),
])
def test_the_names_listed_after_a_named_victim(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_a_list_that_does_not_close_with_and_is_an_apposition(pre: Preannotator) -> None:
    text = "The rebels killed Victor Pena, Raul Soto's cousin, in the ambush near the village."
    assert "Raul Soto" not in spans(pre, text, "CASUALTY")


@pytest.mark.parametrize(("text", "victims"), [
    (AMBUSH + "Two bodyguards died at the scene.", ["Two bodyguards"]),
    ("Gunmen attacked the convoy, and two bodyguards died.", ["two bodyguards"]),
    (AMBUSH + "A 60-year-old guard later died in hospital.", ["A 60-year-old guard"]),
])
def test_the_subject_of_died_whatever_its_noun(pre: Preannotator, text: str, victims: list[str]) -> None:
    got = labelled(pre, text)
    assert [t for lab, t in got if lab == "CASUALTY"] == victims


@pytest.mark.parametrize("text", [
    AMBUSH + "His father died in 2010.",  # a definite subject of dying: a biography's, not the attack's
    "The driver of the truck, identified by prosecutors as Jose Rojas, died when the explosives went off.",
])
def test_who_died_in_a_biography_or_by_his_own_bomb(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") == []


def test_a_conjunct_before_another_victim_is_a_noun_not_a_verb(pre: Preannotator) -> None:
    # "two bodyguards died and a driver was hurt": the conjunct before "a driver" ends at a verb, not a noun
    got = labelled(pre, "Gunmen attacked the convoy; two bodyguards died and a driver was hurt.")
    assert [(lab, t) for lab, t in got if lab == "CASUALTY"] == [("CASUALTY", "two bodyguards"),
                                                                 ("CASUALTY", "a driver")]


def test_the_subject_past_a_relative_clause(pre: Preannotator) -> None:
    text = ("Two of her bodyguards, Mario Sanz and Pedro Ruiz, who were inside the car, were killed instantly when "
            "gunmen opened fire on the vehicle.")
    assert spans(pre, text, "CASUALTY") == ["Mario Sanz", "Pedro Ruiz"]


@pytest.mark.parametrize(("text", "party"), [
    ("The attack was blamed on the Red Hand Commando.", "Red Hand Commando"),
    ("The bombing was blamed on Sol Rojo, a Maoist faction.", "Sol Rojo"),
    ("The attacks were attributed to the Black Hand.", "Black Hand"),
])
def test_the_party_of_a_passive_blame(pre: Preannotator, text: str, party: str) -> None:
    assert spans(pre, text, "PERPETRATOR")[0] == party  # rules-12: then its description in apposition (D1)


def test_a_passive_blame_without_an_attack_names_no_party(pre: Preannotator) -> None:
    assert spans(pre, "The delay was blamed on the Red Hand Commando.", "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "victim"), [
    ("A bomb exploded at the market on Monday. Among the dead was Sergeant Musa Bello, an instructor.",
     "Sergeant Musa Bello"),
    ("A bomb exploded at the market on Monday. Among the dead was Musa Bello, 45.", "Musa Bello"),
])
def test_one_named_among_the_dead(pre: Preannotator, text: str, victim: str) -> None:
    assert spans(pre, text, "CASUALTY") == [victim]


@pytest.mark.parametrize(("text", "claim"), [
    ("A bomb exploded at the market. The Red Hand said on its website that it was behind the bombing.",
     "was behind"),
    ("A bomb exploded at the market. The Red Hand said in a statement posted online that one of its members had "
     "carried out the bombing.", "had carried out"),
])
def test_a_group_the_lexicon_lacks_says_it_did_it(pre: Preannotator, text: str, claim: str) -> None:
    # D3: said it carried out -> claimed; D1: the speaker is the group held responsible, its name learned
    got = labelled(pre, text)
    assert ("PERPETRATOR", "Red Hand") in got
    assert ("CLAIM", claim) in got
    statuses = [s.get("attributes", {}).get("claim_status") for s in pre.annotate(text)["spans"]
                if s["label"] == "CLAIM"]
    assert statuses == ["claimed"]


@pytest.mark.parametrize("text", [
    "A bomb exploded at the market. The Red Hand said on its website that it condemned the bombing.",
    "A bomb exploded at the market. The Red Cross said it had carried out an assessment of the bombing site.",
])
def test_a_speaker_that_does_not_claim_is_no_group(pre: Preannotator, text: str) -> None:
    assert [lab for lab, _t in labelled(pre, text) if lab in ("PERPETRATOR", "CLAIM")] == []


def test_a_series_of_attacks_is_the_object_of_a_claim(pre: Preannotator) -> None:
    text = "Two bombs exploded in the capital. The Black Hand said it carried out a series of bombings in May."
    assert ("CLAIM", "said it carried out") in labelled(pre, text)


@pytest.mark.parametrize("text", [
    "He carried an assault weapon and opened fire, killing three.",
    "The shooter began firing with an assault-style rifle, killing three.",
    "Lawmakers voted to ban assault weapons after the shooting in which three people died.",
])
def test_an_assault_weapon_is_no_assault(pre: Preannotator, text: str) -> None:
    assert "assault" not in spans(pre, text, "ATTACK")


@pytest.mark.parametrize("text", [
    "He was arrested on suspicion of assault after a fight outside a bar.",  # an offence in a charge
    "He was convicted of sexual assault and sentenced to eight years.",
    "A man was stabbed to death during a robbery at a convenience store, police said.",  # crime news
    "A shopkeeper was shot dead in an armed robbery on Friday night.",
])
def test_crime_news_is_no_attack(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


@pytest.mark.parametrize(("text", "act"), [
    ("He was charged with the assault on the embassy in which two guards died.", "assault"),
    ("Militants stabbed two guards during a raid on the embassy, the group said in a statement.", "stabbed"),
])
def test_an_attack_with_a_determiner_or_an_attacker_stays(pre: Preannotator, text: str, act: str) -> None:
    assert act in spans(pre, text, "ATTACK")


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen stormed the school. Among those killed was the school's principal, Tahira Qazi.", ["Tahira Qazi"]),
    ("Gunmen stormed the school. Among the dead were the principal, Tahira Qazi, and two teachers.",
     ["Tahira Qazi", "two teachers"]),
    ("Gunmen stormed the club. Among those killed was Betts's 22-year-old sister, Megan Betts.", ["Megan Betts"]),
])
def test_a_description_among_the_dead_gives_way_to_its_name(pre: Preannotator, text: str,
                                                             victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize("text", [
    "A bomb exploded in the capital. The government called it a terrorist act by a terrorist regime.",
    "A bomb exploded in the capital. The guerrilla offensive continued, and terrorist actions increased.",
])
def test_terrorist_before_a_thing_is_no_person(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == []


def test_a_country_is_no_mention_of_a_person(pre: Preannotator) -> None:
    # "Hondurans" (a seed's first word) and "Honduras" differ by one letter: no spelling variant of a person
    text = ("A bomb exploded in the capital, killing two. The police detained Hondurans Juan Bautista and Rigoberto "
            "Matute, who are being held as suspects. Bautista said he was at a cock fight on Honduras' northern coast.")
    assert "Honduras" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize("text", [
    "Two people were killed when a gas cylinder exploded in a restaurant kitchen.",  # no device, attacker, claim
    "The mayor came under attack from residents over the new parking fees.",  # politics
])
def test_an_accident_or_a_quarrel_is_no_attack(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


@pytest.mark.parametrize("text", [
    "Two people were killed when a dynamite charge exploded outside the bank.",
    "Two people were killed when a device exploded in a restaurant kitchen.",
])
def test_a_device_that_exploded_is_an_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == ["exploded"]


def test_a_learned_groups_acronym_in_parentheses(pre: Preannotator) -> None:
    text = ("Bombs exploded at three churches. Authorities blamed the attacks on National Thowheeth Jama'ath (NTJ), "
            "a little-known local group. The NTJ had been known for vandalising statues.")
    # rules-12: the group's description in apposition is its mention too (D1)
    assert spans(pre, text, "PERPETRATOR") == ["National Thowheeth Jama'ath", "NTJ", "little-known local group",
                                               "NTJ"]


@pytest.mark.parametrize("text", [
    "Suicide bombers struck three churches. The bombers were identified as Inshaf Ibrahim and Ilham Ibrahim.",
    "Suicide bombers struck three churches. Police named the bombers as Inshaf Ibrahim and Ilham Ibrahim.",
])
def test_named_attackers_when_the_act_is_an_attackers_verb(pre: Preannotator, text: str) -> None:
    # "struck" is an attack only after an attacker: the named bombers count as in a text with a trigger
    got = spans(pre, text, "PERPETRATOR")
    assert "Inshaf Ibrahim" in got and "Ilham Ibrahim" in got


@pytest.mark.parametrize("text", [
    "A bomb exploded near the market, killing two. The minister denied the allegations of mismanagement.",
    "A bomb exploded near the market, killing two. Locals blamed the police for failing to stop the attack.",
])
def test_a_denial_or_blame_about_something_else_is_no_claim(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize(("text", "claim"), [
    ("A bomb exploded near the market. The group denied the allegations of involvement in the bombing.",
     "denied the allegations"),
    ("A bomb exploded near the market. Officials blamed the Red Hand for its role in the bombing.", "blamed"),
])
def test_a_denial_or_blame_of_the_attack_is_a_claim(pre: Preannotator, text: str, claim: str) -> None:
    assert spans(pre, text, "CLAIM") == [claim]


def test_armed_men_after_a_dateline_are_no_state_force(pre: Preannotator) -> None:
    # "Nigeria - Armed": "armed" only joins a force's name ("armed forces"), it heads none
    got = labelled(pre, "KADUNA, Nigeria - Armed men abducted 20 students from a school on Thursday.")
    assert ("ATTACK", "abducted") in got and ("PERPETRATOR", "Armed men") in got


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen opened fire on the bus, killing the driver.", ["driver"]),
    ("The bomb exploded near the house, wounding his bodyguard.", ["bodyguard"]),
    ("Suspected jihadists torched a church on Wednesday night, killing the caretaker, Emmanuel Audu, residents said.",
     ["Emmanuel Audu"]),  # one person: the name, not the description too
    ("The bomb exploded near the house, killing the bill.", []),  # not a person's noun
])
def test_a_definite_object_of_a_verb_of_hurting(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize(("text", "who"), [
    ("A truck bomb exploded in Baghdad, killing 340 people. Ali Hussein Kadhim confessed to helping to prepare the "
     "truck.", "Ali Hussein Kadhim"),
    ("A bomb exploded in Baghdad, killing 34 people. He was charged with helping the bombers escape.", None),
])
def test_a_part_in_the_attack_is_a_claim_of_it(pre: Preannotator, text: str, who: str | None) -> None:
    got = labelled(pre, text)
    assert [lab for lab, _t in got if lab == "CLAIM"] == ["CLAIM"]
    if who:
        assert ("PERPETRATOR", who) in got


def test_a_part_in_something_else_is_no_claim(pre: Preannotator) -> None:
    text = "A truck bomb exploded in Baghdad, killing 340 people. The minister admitted to helping his cousin get work."
    assert spans(pre, text, "CLAIM") == []


def test_a_nisba_that_names_a_nation_is_no_mention_of_the_person(pre: Preannotator) -> None:
    text = ("A truck bomb exploded in Baghdad. ISIL said a suicide bomber, whom it named as Abu Mahdi al-Iraqi, had "
            "carried out the attack. Iraqi officials said the truck had passed several checkpoints.")
    assert "Iraqi" not in spans(pre, text, "PERPETRATOR")


def test_an_aged_description_charged_beside_the_attack(pre: Preannotator) -> None:
    text = ("A 27-year-old German man was charged on Friday with two counts of murder after an attack on a synagogue "
            "in Halle, prosecutors said.")
    assert "27-year-old German man" in spans(pre, text, "PERPETRATOR")


def test_an_aged_description_charged_with_something_else_is_not_marked(pre: Preannotator) -> None:
    text = ("A bomb exploded at the synagogue on Wednesday. A 27-year-old man was charged with drunk driving on "
            "Friday, police said.")  # the charge's sentence names no attack
    assert "27-year-old man" not in spans(pre, text, "PERPETRATOR")


def test_the_name_a_role_noun_is_identified_as_past_its_source(pre: Preannotator) -> None:
    text = ("A gunman attacked a synagogue in Halle, killing two people. The suspect, identified by prosecutors "
            "only as Stephan B., filmed the attack. His right-wing extremist motives were clear.")
    got = spans(pre, text, "PERPETRATOR")
    assert "Stephan B." in got and "extremist" not in got


@pytest.mark.parametrize(("text", "claim"), [
    ("A suicide bomber killed 7 in Kabul. The Taliban deny involvement.", "deny involvement"),
    ("Suicide Bomber Kills 7 In Kabul; Taliban Deny Involvement", "Deny Involvement"),
    ("A bomb killed 7 in Kabul. Militants claim responsibility for the attack.", "claim responsibility"),
])
def test_a_claim_in_the_base_form_after_a_plural_or_a_name(pre: Preannotator, text: str, claim: str) -> None:
    assert spans(pre, text, "CLAIM") == [claim]


@pytest.mark.parametrize("text", [
    "A bomb killed 7 in Kabul. Officials urged the group to take responsibility for the attack.",
    "A bomb killed 7 in Kabul. The group did not claim responsibility for the attack.",
])
def test_a_base_form_after_to_or_a_negation_claims_nothing(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


def test_inflect_gives_the_base_form_when_asked() -> None:
    paradigms = load().words["verb_forms"]
    assert "deny involvement" in inflect(["denied involvement"], paradigms, base=True)
    assert "deny involvement" not in inflect(["denied involvement"], paradigms)


def test_a_group_says_it_did_it_past_a_relative_clause(pre: Preannotator) -> None:
    text = ("Al-Shabaab militants stormed a hotel on Friday, killing at least 15 people, police said. The group, which "
            "is linked to al-Qaeda, said its fighters were behind the assault.")
    claims = [s for s in pre.annotate(text)["spans"] if s["label"] == "CLAIM"]
    assert [(text[s["start"]:s["end"]], s["attributes"]["claim_status"]) for s in claims] == [("were behind",
                                                                                                 "claimed")]


@pytest.mark.parametrize(("text", "who"), [
    ("Two police officers were shot dead in an ambush on Saturday, and police said they believed dissident "
     "republicans were responsible.", "dissident republicans"),
    ("A bomb exploded at the market. Officials said Islamist militants were behind the bombing.",
     "Islamist militants"),
])
def test_the_people_held_responsible_by_description(pre: Preannotator, text: str, who: str) -> None:
    assert who in spans(pre, text, "PERPETRATOR")


def test_the_names_given_later_to_counted_victims(pre: Preannotator) -> None:
    text = ("Two police officers were shot dead in an ambush near the border on Saturday. The officers, Constable "
            "Sean Doyle, 31, and Sergeant Aisling Kerr, 44, were responding to a report of a burglary.")
    assert spans(pre, text, "CASUALTY") == ["Two police officers", "Constable Sean Doyle", "Sergeant Aisling Kerr"]


@pytest.mark.parametrize(("text", "victims"), [
    ("40 CRPF jawans killed in Pulwama terror attack", ["40 CRPF jawans"]),  # a headline's passive, no "were"
    ("A suicide bomber struck the convoy. At least 40 Central Reserve Police Force (CRPF) personnel were killed.",
     ["At least 40 Central Reserve Police Force (CRPF) personnel"]),
])
def test_counted_victims_in_a_headline_and_past_an_acronym(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_the_mastermind_named_after_the_attack_is_no_casualty(pre: Preannotator) -> None:
    text = ("A suicide bomber struck the convoy. The mastermind of the attack, Abdul Rasheed Ghazi, was killed in a "
            "raid.")
    got = labelled(pre, text)
    assert ("PERPETRATOR", "Abdul Rasheed Ghazi") in got and ("CASUALTY", "Abdul Rasheed Ghazi") not in got


@pytest.mark.parametrize(("text", "attack"), [
    ("A gunman opened fire. Police killed the gunman in a raid.", False),  # the police act, whoever they killed
    ("Militants killed three policemen in a raid on a police post.", True),
    ("The army blamed the JNIM coalition, which has stepped up raids on army posts.", True),
])
def test_a_raid_is_the_police_only_when_they_open_the_sentence(pre: Preannotator, text: str, attack: bool) -> None:
    assert any(t.startswith("raid") for t in spans(pre, text, "ATTACK")) is attack


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen attacked a police station, killing Officer Tom Reyes.", ["Officer Tom Reyes"]),  # the gunmen's act
    ("A bomb exploded in the city, killing two. The government denied reports that its troops had killed "
     "civilians.", ["two"]),  # a state's killing, out of scope
    ("A suicide bomber attacked a security forces convoy, killing 12 soldiers.", ["12 soldiers"]),  # a modifier
])
def test_whose_act_the_killing_is(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize(("text", "who"), [
    ("Gunmen killed six villagers. Officials blamed Fulani herdsmen for the killings.", "Fulani herdsmen"),
    ("A bomb exploded. Police blamed Basque separatists for the attack.", "Basque separatists"),
])
def test_an_identity_before_people_blamed_is_a_description(pre: Preannotator, text: str, who: str) -> None:
    got = spans(pre, text, "PERPETRATOR")
    assert who in got and who.split()[0] not in got


def test_a_name_in_another_language_before_its_gloss(pre: Preannotator) -> None:
    text = ("A bomb exploded outside the barracks on Tuesday. The Ejército de Liberación Nacional (National "
            "Liberation Army) said its urban front had planted the device.")
    assert spans(pre, text, "PERPETRATOR")[:2] == ["Ejército de Liberación Nacional", "National Liberation Army"]


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen stormed the hotel. Among the dead were an American, Jason Spindler, and a Briton, Luke Potter.",
     ["Jason Spindler", "Luke Potter"]),  # a description, then its name: one person each
    ("Gunmen stormed the hotel. The victims included a 71-year-old retiree, a tourist from Japan, and a 10-year-old "
     "boy.", ["a 71-year-old retiree", "a tourist", "a 10-year-old boy"]),  # ", and" before the last
])
def test_a_list_of_the_dead(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_the_people_a_counted_description_names_in_apposition(pre: Preannotator) -> None:
    text = ("Eight assailants attacked passengers at the station, killing 31. In September, a court sentenced three "
            "men, Iskandar Ehet, Turgun Tohtunyaz and Hasayn Muhammad, to death for organising the attack. Ehet was "
            "described as the leader of the group.")
    got = spans(pre, text, "PERPETRATOR")
    assert {"Iskandar Ehet", "Turgun Tohtunyaz", "Hasayn Muhammad", "Ehet"} <= set(got)


def test_fighters_from_a_place_name_no_group(pre: Preannotator) -> None:
    text = "Officials said the attack was carried out by separatist militants from Xinjiang."
    assert "Xinjiang" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "who"), [
    ("Eight knife-wielding assailants attacked passengers at the station.", "Eight knife-wielding assailants"),
    ("Three al-Qaeda-linked militants attacked the base.", "Three al-Qaeda-linked militants"),
    ("A bomb exploded. The al Qaeda-linked group claimed the attack.", "al Qaeda-linked group"),
])
def test_a_hyphenated_modifier_is_the_descriptions(pre: Preannotator, text: str, who: str) -> None:
    assert who in spans(pre, text, "PERPETRATOR")
