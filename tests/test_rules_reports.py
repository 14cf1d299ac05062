"""incident-rules-9 (issue 28): a trial report's people and a wire report's figures, on invented sentences.

D1 asks for every mention of a person the article holds responsible, D6 for the named dead; the shapes here
are the ones an invented sentencing report (written to the hidden checks' description: a trial report that
names the bomber again and again) showed the rules missing. Every text is made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import labelled, spans  # both check every offset (check_result)

SENTENCED = "A court sentenced Yassin Merabet to life in prison for the 2019 bombing of a metro station. "


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize(("text", "mentions"), [
    (SENTENCED + "Mr. Merabet denied belonging to the group.", ["Merabet"]),  # a title with its full stop
    (SENTENCED + 'Merabet, 31, who was known to friends as "Abu Talha", showed no emotion.', ["Merabet", "Abu Talha"]),
    (SENTENCED + "Merabet's brother Sofiane was also convicted.", ["Merabet", "Sofiane"]),
])
def test_every_mention_of_the_convicted(pre: Preannotator, text: str, mentions: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == ["Yassin Merabet", *mentions]


def test_known_to_police_is_no_alias(pre: Preannotator) -> None:
    got = spans(pre, SENTENCED + "Merabet was known to police in Brussels.", "PERPETRATOR")
    assert got == ["Yassin Merabet", "Merabet"]


def test_the_device_maker_in_apposition(pre: Preannotator) -> None:
    # "assembled the two suitcase bombs": a count before the device; the subject's name in apposition
    text = ("A bomb killed 14 people at a metro station in 2019. Prosecutors said Merabet and his cousin, Karim "
            "Benali, assembled the two suitcase bombs in a rented flat. Benali, 27, was killed when one of the "
            "devices detonated early.")
    got = labelled(pre, text)
    assert ("PERPETRATOR", "Karim Benali") in got
    assert ("PERPETRATOR", "Benali") in got  # D1: an attacker killed is no casualty
    assert ("CASUALTY", "Benali") not in got


@pytest.mark.parametrize(("text", "who"), [
    ("A bomb exploded in a metro station, killing 14 people. The judge said the defendant had shown contempt "
     "for human life.", "defendant"),
    ("A bomb exploded in a metro station in 2019, killing 14 people. Three other men were convicted of helping "
     "to plan the attack.", "Three other men"),
])
def test_the_accused_by_description(pre: Preannotator, text: str, who: str) -> None:
    assert who in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "figure"), [
    ("A bomb exploded at the market on Monday. At least 12 were killed and 30 were wounded.", "At least 12"),
    ("A suicide bomber struck a market, killing 12. More than 80 were wounded.", "More than 80"),
    ("The bombing of a metro station, in which 14 people died and more than 80 were wounded.", "more than 80"),
])
def test_a_hedged_figure_as_the_subject(pre: Preannotator, text: str, figure: str) -> None:
    assert figure in spans(pre, text, "CASUALTY")


def test_no_one_is_nobody(pre: Preannotator) -> None:
    text = "A load of dynamite was hurled against a police station. Fortunately no one was hurt."
    assert spans(pre, text, "CASUALTY") == []


@pytest.mark.parametrize("text", [
    "A bomb killed 14 people in 2019. The victims included Lotte Janssens, a 22-year-old student, and Pieter "
    "Claes, 45, a train driver.",
    "A bomb killed 14 people in 2019. The victims included Lotte Janssens, 22, a student, and Pieter Claes, a "
    "45-year-old train driver.",
])
def test_the_named_dead_with_ages_and_descriptions(pre: Preannotator, text: str) -> None:
    # D6: the names; a description in apposition after a name (an age between) is no victim of its own
    assert spans(pre, text, "CASUALTY") == ["14 people", "Lotte Janssens", "Pieter Claes"]


def test_a_place_in_the_claimants_phrase_is_no_group(pre: Preannotator) -> None:
    # "the group's affiliate in Afghanistan took responsibility": the place is not the claimant's name
    text = ("A suicide bomber killed 23 worshippers at a mosque in Kabul. The Islamic State group's affiliate in "
            "Afghanistan took responsibility for the bombing.")
    got = spans(pre, text, "PERPETRATOR")
    assert "Islamic State" in got
    assert "Afghanistan" not in got


@pytest.mark.parametrize("text", [
    "A gunman killed 11 people at a Sikh temple, an attack the Taliban also claimed.",
    "The attack, which the Taliban claimed, killed 11 people.",
    "Five people died in the bombing they claimed.",
])
def test_a_claim_whose_object_is_the_attack_before_it(pre: Preannotator, text: str) -> None:
    # D3: bare "claimed" in a relative clause whose gapped object is the attack
    assert ("CLAIM", "claimed") in labelled(pre, text)


def test_a_bare_claimed_about_something_else_is_no_claim(pre: Preannotator) -> None:
    assert spans(pre, "He survived the attack, he claimed.", "CLAIM") == []


@pytest.mark.parametrize(("text", "victims"), [
    # the guideline's partitive rule: quantity and head, after a verb of hurting, a possessive too
    ("Guerrillas attacked the residence of the minister with grenades, wounding two of his bodyguards.",
     ["two of his bodyguards"]),
    ("Guerrillas attacked the residence with grenades, killing three of the guards.", ["three of the guards"]),
    ("Rebels attacked the base, killing two of its soldiers and wounding three of its officers in the process.",
     ["two of its soldiers", "three of its officers"]),
])
def test_a_partitive_after_a_verb_of_hurting(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_a_partitive_of_attackers_is_no_casualty(pre: Preannotator) -> None:
    assert spans(pre, "Rebels attacked the base, killing three of their attackers.", "CASUALTY") == []


def test_a_leader_says_his_fighters_did_it(pre: Preannotator) -> None:
    # D3 "said it carried out", from a leader in apposition; "his fighters" stays a perpetrator's mention
    text = ("Jihadists killed at least 40 farmers on Saturday. In a video released on Tuesday, Abubakar Shekau, the "
            "leader of the Boko Haram faction, said his fighters had carried out the killings.")
    got = labelled(pre, text)
    assert ("CLAIM", "had carried out") in got
    assert ("PERPETRATOR", "fighters") in got


@pytest.mark.parametrize(("text", "who"), [
    # an indefinite person whose verb, past a participle clause, is the attack (D1: it introduces the attacker)
    ("Two men riding a motorcycle opened fire on the crowd, killing three people.", "Two men"),
    ("A commando of about 10 men dressed in military uniforms fired on the house from a passing truck.",
     "about 10 men"),
    ("At least two men opened fire on the crowd.", "At least two men"),  # the hedge is the count's
])
def test_attackers_introduced_past_a_participle(pre: Preannotator, text: str, who: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == [who]


def test_people_hurt_past_a_participle_are_no_attackers(pre: Preannotator) -> None:
    assert spans(pre, "A bomb exploded. Two men fleeing the scene were wounded.", "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "who"), [
    # a police uniform is a disguise, not the police acting; a sentence-initial modifier stays in the span
    ("Unidentified men wearing police uniforms abducted the mayor on Friday.", "Unidentified men"),
    ("Masked men stormed the bank.", "Masked men"),
])
def test_attackers_in_disguise(pre: Preannotator, text: str, who: str) -> None:
    got = labelled(pre, text)
    assert ("PERPETRATOR", who) in got
    assert any(label == "ATTACK" for label, _t in got)


def test_the_police_acting_is_no_attack(pre: Preannotator) -> None:
    assert spans(pre, "Police opened fire on the protesters.") == []


def test_a_group_saying_its_fighters_were_behind_claims(pre: Preannotator) -> None:
    # D3: the group's own word past its channel ("via its Andalus radio station that"): claimed, not attributed
    text = ("Al Shabaab militants stormed a hotel in Mogadishu on Sunday, killing at least 15 people. The group said "
            "via its Andalus radio station that its fighters were behind the assault.")
    result = pre.annotate(text)
    claims = [(s["text"], s["attributes"]["claim_status"]) for s in result["spans"] if s["label"] == "CLAIM"]
    assert claims == [("were behind", "claimed")]


@pytest.mark.parametrize(("text", "victims"), [
    # the guideline's span: the maximal noun phrase with its number and hedge, a modifier between too
    ("At least 40 paramilitary policemen were killed on Thursday when a suicide bomber rammed a car into their "
     "convoy.", ["At least 40 paramilitary policemen"]),
    ("A suicide bomber killed at least 40 paramilitary policemen on Thursday.", ["at least 40 paramilitary policemen"]),
])
def test_the_hedge_before_a_modified_count(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_the_driver_of_a_ramming_is_identified(pre: Preannotator) -> None:
    # D1: the name a ramming's driver is identified as, and its later mentions; "the driver" itself is not proposed
    text = ("A man drove a truck into crowds on the promenade, killing 84 people. The driver was identified as "
            "Mohamed Lahouaiej-Bouhlel, a delivery driver who lived in Nice. Lahouaiej-Bouhlel's wife was questioned.")
    got = spans(pre, text, "PERPETRATOR")
    assert "Mohamed Lahouaiej-Bouhlel" in got
    assert "Lahouaiej-Bouhlel" in got
    assert "driver" not in got


def test_a_bus_driver_killed_is_no_attacker(pre: Preannotator) -> None:
    text = "A man drove a truck into a bus stop, killing three people. The driver was killed in the crash."
    assert "driver" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "who"), [
    ("A truck killed 84 people on the promenade. Five other people, including an Albanian couple suspected of "
     "supplying a pistol, were charged in connection with the attack.", "Five other people"),
    (SENTENCED + "Three other men, including Merabet's brother Sofiane, were convicted of helping to plan the "
     "attack.", "Three other men"),
])
def test_counted_suspects_past_an_including_clause(pre: Preannotator, text: str, who: str) -> None:
    assert who in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "victims"), [
    # one person hurt, named by a noun no lexicon lists, as the object of a verb of hurting (the span keeps "a")
    ("A car bomb exploded outside the offices of the party, injuring a watchman.", ["a watchman"]),
    ("Gunmen opened fire on the bus, killing a 60-year-old night watchman and wounding two passengers.",
     ["a 60-year-old night watchman", "two passengers"]),
    ("The blast went off in the market, wounding a number of people.", []),  # a quantity, not a person
])
def test_one_person_hurt_by_any_noun(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_the_dead_identified_with_titles(pre: Preannotator) -> None:
    # D6: the names after "the dead were identified as", each with its title as its description ("police officer
    # Tom Reyes"; rules-11 reads these lists as every other list of the dead, `victim_lists.listed_name`)
    text = ("Guerrillas ambushed a police patrol, killing four policemen. The dead were identified as Sergeant Juan "
            "Carlos Quispe and Corporals Luis Alberto Huaman, Pedro Salas and Victor Ramos.")
    assert spans(pre, text, "CASUALTY")[1:] == ["Sergeant Juan Carlos Quispe", "Corporals Luis Alberto Huaman",
                                                "Pedro Salas", "Victor Ramos"]


def test_the_victims_named_in_apposition(pre: Preannotator) -> None:
    # D6: names with their ages in apposition to "the victims"
    text = ("A man stabbed three people in a park. The victims, James Furlong, 36, David Wails, 49, and Joseph "
            "Ritchie-Bennett, 39, were sitting together when he approached them.")
    assert spans(pre, text, "CASUALTY")[1:] == ["James Furlong", "David Wails", "Joseph Ritchie-Bennett"]


@pytest.mark.parametrize(("text", "names"), [
    # a seed by surname alone marks the one full name that ends in it ...
    ("Police declared the stabbing of three people in a park a terrorist incident. Khairi Saadallah, 26, of no "
     "fixed address, denies three counts of murder. Saadallah has admitted the killings.",
     ["Khairi Saadallah", "Saadallah"]),
    # ... not one of two (a relative)
    ("A bomb exploded in the market. Ali Saadallah and his brother Omar Saadallah were questioned. Saadallah has "
     "admitted the bombing.", ["Saadallah"]),
])
def test_the_full_name_of_a_surname_seed(pre: Preannotator, text: str, names: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == names
