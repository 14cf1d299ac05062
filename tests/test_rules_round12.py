"""incident-rules-14 (issue 28, twelfth round): general news where only some violence is an attack, and the
legal and official attribution of long reports.

A group introduced by any creed ("a leftist guerrilla group"), a suspicion in the past tense, a legal verb whose
object is a pronoun, a sentence's penalty; and what is not an attack's: the act of a state's forces that someone
accuses them of, a running toll of a conflict, a single attack word named in passing. Every text is made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import labelled, spans  # both check every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize(("text", "group"), [
    ("A bomb exploded in the market. A leftist guerrilla group claimed responsibility.", "leftist guerrilla group"),
    ("A bomb exploded in the market. A little-known separatist group claimed responsibility.",
     "little-known separatist group"),
    ("A bomb exploded in the market. An obscure Marxist faction claimed responsibility.", "obscure Marxist faction"),
])
def test_an_indefinite_group_keeps_all_its_modifiers(pre: Preannotator, text: str, group: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == [group]


def test_an_ordinal_stays_out_of_the_group(pre: Preannotator) -> None:
    text = ("Security services said they had foiled a plot to bomb the stadium and arrested two suspects; a second "
            "cell had threatened attacks on churches.")
    assert "cell" in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize("text", [
    "A bomb exploded in the market. Police suspected the Baloch Liberation Army.",
    "A bomb exploded in the market. Officials suspect the Zarqa Brotherhood.",
])
def test_a_suspicion_after_the_attack_is_a_claim(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM")[-1].startswith("suspect")
    assert len(spans(pre, text, "PERPETRATOR")) == 1


def test_a_suspected_militant_is_no_claim(pre: Preannotator) -> None:
    text = "A bomb exploded in the market. Suspected militants fled the scene."
    assert spans(pre, text, "CLAIM") == []
    assert spans(pre, text, "PERPETRATOR") == ["Suspected militants"]


def test_suspected_of_stays_one_claim(pre: Preannotator) -> None:
    text = "A man shouted slogans during the knife attack. The man is suspected of murder with a terrorist motive."
    assert spans(pre, text, "CLAIM") == ["suspected of"]


def test_a_legal_verb_with_a_pronoun_for_the_attacker(pre: Preannotator) -> None:
    text = ("Prosecutors say Travis Dale Hallworth opened fire at the Beth Shalom synagogue in March, killing eleven "
            "worshippers in what they call a terrorist attack. Hallworth was wounded in the struggle. A federal grand "
            "jury indicted him in June.")
    assert spans(pre, text, "CLAIM") == ["indicted"]


def test_a_pronoun_with_no_attacker_before_is_no_claim(pre: Preannotator) -> None:
    text = "A bomb exploded at the bus station, killing 19 people. A jury indicted him in June for fraud."
    assert spans(pre, text, "CLAIM") == []


def test_a_penalty_is_not_another_charge(pre: Preannotator) -> None:
    text = ("Rashid Kamal built the bomb that killed 19 people at the Arndale bus station in 2017. Kamal was convicted "
            "in 2020 of 19 counts of murder and sentenced to a minimum of 52 years in prison.")
    assert spans(pre, text, "CLAIM") == ["convicted", "sentenced"]


def test_a_sentence_for_another_offence_is_no_claim(pre: Preannotator) -> None:
    text = ("Rashid Kamal built the bomb that killed 19 people at the Arndale bus station in 2017. His brother was "
            "sentenced to 10 years for corruption.")
    assert spans(pre, text, "CLAIM") == []


def test_the_state_accused_of_a_bombing_is_out_of_scope(pre: Preannotator) -> None:
    text = ("Jihadists stormed the village, abducting 23 women and girls. Hauwa Bulama accused the air force of "
            "bombing the market on the basis of poor intelligence.")
    assert labelled(pre, text) == [("PERPETRATOR", "Jihadists"), ("ATTACK", "stormed"), ("ATTACK", "abducting")]


def test_a_group_accused_of_a_bombing_keeps_it(pre: Preannotator) -> None:
    text = "The minister accused the Red Hand Brigade of bombing the market, killing nine people."
    assert spans(pre, text, "ATTACK") == ["bombing"]
    assert spans(pre, text, "CLAIM") == ["accused"]


@pytest.mark.parametrize("text", [
    "Rebels attacked an army base in the north on Monday. More than 6,000 people have been killed since the "
    "conflict began in 2017.",
    "Rebels attacked an army base on Monday. The United Nations says more than 2,300 civilians have been killed on "
    "both sides since the war began.",
])
def test_a_running_toll_is_no_casualty(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") == []


def test_the_dead_of_the_attack_stay(pre: Preannotator) -> None:
    text = "A suicide bomber struck a market on Monday, killing 12 people. Three people have died in hospital since."
    assert spans(pre, text, "CASUALTY")[0] == "12 people"


def test_one_attack_word_in_passing_proposes_nothing(pre: Preannotator) -> None:
    text = ("The prime minister opened the new terminal on Monday. Turnout at the airport has fallen since the 2016 "
            "bombing. Officials hope the new building will bring travellers back. Flights to Lisbon resume in May.")
    assert pre.annotate(text)["spans"] == []


@pytest.mark.parametrize("text", [
    "A bomb exploded during the match, police said.",
    "The prime minister opened the new terminal on Monday. A bomb exploded there in 2016. Another bomb exploded "
    "in the car park in 2018. Flights to Lisbon resume in May.",
])
def test_a_brief_or_a_second_mention_keeps_the_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") != []


@pytest.mark.parametrize("text", [
    "Officers surrounded the building at 5 a.m. The men inside opened fire and threw a grenade.",
    "Police said the men opened fire when ordered to surrender.",
    "Nine people were killed on Tuesday when Military Police raided the Bom Jardim community. According to the "
    "secretariat, suspects opened fire from rooftops.",
])
def test_fire_in_a_police_operation_is_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


def test_militants_killed_in_a_raid_did_not_raid(pre: Preannotator) -> None:
    text = "Three suspected militants were killed in a dawn raid on an apartment in Hadira."
    assert spans(pre, text, "ATTACK") == []


@pytest.mark.parametrize("text", [
    "Gunmen opened fire on a police patrol in Kandahar on Monday, killing three officers. Police later raided a "
    "house in the city.",
    "Militants attacked an army post and raided the armoury, killing four soldiers.",
])
def test_an_attack_beside_an_operation_stays(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK")[0] in ("opened fire", "attacked")
