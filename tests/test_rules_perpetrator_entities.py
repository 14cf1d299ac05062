"""PERPETRATOR entities in long reports (issue 28, guideline D1): who a trial or investigation report holds
responsible, and every mention of them, on invented sentences.

Every text here is made up; none comes from a gold set. A trial report names the bomber by full name,
surname, first name, alias and description ("the 24-year-old"); the people who charge, try or blame him are
not perpetrators.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_preannotate import check_result


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


def perps(pre: Preannotator, text: str) -> list[str]:
    result = pre.annotate(text)
    check_result(text, result)
    return [s["text"] for s in result["spans"] if s["label"] == "PERPETRATOR"]


def kinds(pre: Preannotator, text: str) -> list[tuple[str, str]]:
    result = pre.annotate(text)
    check_result(text, result)
    return [(s["text"], s["attributes"]["perpetrator_kind"]) for s in result["spans"] if s["label"] == "PERPETRATOR"]


# ------------------------------------------------------------------------------ legal and official agents

@pytest.mark.parametrize("agent", ["Prosecutors", "Investigators", "Detectives", "Judges"])
def test_the_agent_of_a_legal_verb_is_not_a_perpetrator(pre: Preannotator, agent: str) -> None:
    text = f"A bomb exploded at the market, killing 12 people. {agent} charged Karim Dahl with the bombing."
    assert perps(pre, text) == ["Karim Dahl"]


def test_the_subject_of_a_passive_legal_verb_stays(pre: Preannotator) -> None:
    text = "A bomb exploded at the market, killing 12 people. Karim Dahl, 24, was charged with the bombing."
    assert perps(pre, text) == ["Karim Dahl"]


def test_the_party_that_blames_is_not_the_party_blamed(pre: Preannotator) -> None:
    text = "A car bomb killed 9 people in the capital. The Western Alliance blamed the Sangha Front for the attack."
    assert "Western Alliance" not in perps(pre, text)


def test_a_charged_person_who_denies_is_a_person_not_a_group(pre: Preannotator) -> None:
    text = ("A bomb exploded at the market, killing 12 people. Police charged Karim Dahl with the bombing. "
            "Dahl denied the charges.")
    assert kinds(pre, text) == [("Karim Dahl", "individual"), ("Dahl", "individual")]


# ------------------------------------------------------------------------------ names, aliases, roles

def test_hyphenated_first_names_and_particles_are_one_name(pre: Preannotator) -> None:
    text = ("A gunman opened fire at a supermarket, killing four people. Police named the gunman as Jean-Marc "
            "Roux. Roux had no record. Jean-Marc lived alone.")
    assert perps(pre, text) == ["gunman", "gunman", "Jean-Marc Roux", "Roux", "Jean-Marc"]


def test_a_name_with_particles_and_its_surname(pre: Preannotator) -> None:
    text = ("A bomb exploded at the station killing five. Vicente Sainz de la Peña planted the bomb. "
            "Sainz de la Peña was arrested in Madrid.")
    assert perps(pre, text) == ["Vicente Sainz de la Peña", "Sainz de la Peña"]


def test_the_named_agent_after_by(pre: Preannotator) -> None:
    text = ("A bomb killed 30 people in the city. The attack was ordered by Abu Bakr al-Hadid, who fled. "
            "The bombing was carried out by Omar Hadi. Hadi fled too.")
    assert perps(pre, text) == ["Abu Bakr al-Hadid", "Omar Hadi", "Hadi"]


def test_a_state_after_by_is_no_person(pre: Preannotator) -> None:
    text = "An air strike by Russia killed 12 people in a market. The strike by Russia was condemned."
    assert "Russia" not in perps(pre, text)


@pytest.mark.parametrize("plea", ["confessed to the bombing", "pleaded not guilty to the bombing",
                                  "pleaded guilty to the bombing"])
def test_who_confesses_or_pleads_is_a_perpetrator(pre: Preannotator, plea: str) -> None:
    text = f"A bomb exploded at the station killing five. Salah Idris, a French national, {plea}. Idris wept."
    assert perps(pre, text) == ["Salah Idris", "French national", "Idris"]


@pytest.mark.parametrize("alias", ["who was known by the nom de guerre Abu Hamza", "also known as Abu Hamza",
                                   "alias Abu Hamza"])
def test_an_alias_of_a_perpetrator_is_the_same_entity(pre: Preannotator, alias: str) -> None:
    text = (f"A suicide bomber killed 22 people at the arena. Baitullah Mehsud, {alias}, confessed to "
            "planning the attack. Abu Hamza was later killed.")
    names = perps(pre, text)
    assert names[1:] == ["Baitullah Mehsud", "Abu Hamza", "Abu Hamza"]


def test_a_nickname_and_a_false_name_of_the_attacker(pre: Preannotator) -> None:
    text = ("Gunmen opened fire at a cafe, killing 10 people. The gunman, nicknamed Abz, was shot dead. "
            "Police said Abz had rented the car using the name 'Robert Kling'. Kling paid cash.")
    assert perps(pre, text) == ["Gunmen", "gunman", "Abz", "Abz", "Robert Kling", "Kling"]


def test_an_alias_of_someone_else_is_not_marked(pre: Preannotator) -> None:
    text = ("A bomb exploded at the station killing five. Omar Hadi planted the bomb. The mayor, Lena Berg, "
            "known as Lenny, visited the wounded. Lenny wept.")
    assert perps(pre, text) == ["Omar Hadi"]


def test_in_the_name_of_is_no_alias(pre: Preannotator) -> None:
    text = ("A bomb exploded at the station killing five. Omar Hadi planted the bomb in the name of God. "
            "God was not mentioned again.")
    assert perps(pre, text) == ["Omar Hadi"]


# ------------------------------------------------------------------------------ descriptions with identity

@pytest.mark.parametrize("intro", ["Karim Dahl, 24,", "Karim Dahl, a 24-year-old student,"])
def test_the_age_of_a_named_perpetrator_is_a_mention(pre: Preannotator, intro: str) -> None:
    text = (f"A bomb exploded at the market, killing 12 people. Police said {intro} planted the bomb. "
            "The 24-year-old's mother said he was a quiet boy.")
    assert perps(pre, text)[-1] == "24-year-old"


def test_another_age_is_not_the_perpetrator(pre: Preannotator) -> None:
    text = ("A bomb exploded at the market, killing 12 people. Police arrested Karim Dahl, 24. "
            "The 31-year-old victim was buried on Monday. The 31-year-old had three children.")
    assert perps(pre, text) == ["Karim Dahl"]


def test_an_age_needs_a_named_perpetrator(pre: Preannotator) -> None:
    text = "A bomb exploded at the market, killing 12 people. The 24-year-old was buried on Monday."
    assert perps(pre, text) == []


def test_the_origin_of_a_named_perpetrator_is_a_mention(pre: Preannotator) -> None:
    text = ("A bomb exploded at the arena, killing 22 people. Neighbours of Salman Vance, the British-Libyan "
            "who carried out the bombing, spoke. The British-Libyan had travelled to Libya.")
    assert perps(pre, text) == ["Salman Vance", "British-Libyan", "British-Libyan"]


def test_a_one_word_origin_needs_a_person_noun(pre: Preannotator) -> None:
    text = ("A bomb exploded at the station killing five. Salah Idris, a French national, pleaded not guilty "
            "to the attack. The French national wept. The French government protested.")
    assert perps(pre, text) == ["Salah Idris", "French national", "French national"]


def test_the_subject_of_a_passive_attack_verb_is_no_agent(pre: Preannotator) -> None:
    text = "Gunmen stormed the compound. Three other Americans were killed in the terror attack."
    assert perps(pre, text) == ["Gunmen"]


def test_a_misspelt_surname_of_a_perpetrator(pre: Preannotator) -> None:
    text = ("Two bombs exploded near the finish line, killing three. Dzhokhar Tsarnaev was convicted of the "
            "bombing. Friends removed Tzarnaev's backpack. Tsarnova is another name. Tarnaev is one edit away.")
    assert perps(pre, text) == ["Dzhokhar Tsarnaev", "Tzarnaev", "Tarnaev"]


def test_a_short_surname_has_no_spelling_variants(pre: Preannotator) -> None:
    text = "A bomb exploded at the station killing five. Omar Khan planted the bomb. Police spoke to Kahn."
    assert perps(pre, text) == ["Omar Khan"]


def test_a_misspelt_first_name_is_the_same_person(pre: Preannotator) -> None:
    text = ("Two bombs exploded near the finish line, killing three. Dzokhar Tsarnaev was convicted of the "
            "bombing. Dzhokhar Tsarnaev, now 20, is in prison.")
    assert perps(pre, text) == ["Dzokhar Tsarnaev", "Dzhokhar Tsarnaev"]


def test_a_conjoined_first_name_is_a_perpetrator_in_every_mention_and_no_victim(pre: Preannotator) -> None:
    text = ("Two bombs exploded near the finish line, killing three. Police say two brothers, Tamerlan and "
            "Dzhokhar Tsarnaev, planted the bombs. Days later, Tamerlan was killed in a gun battle with police.")
    result = pre.annotate(text)
    check_result(text, result)
    assert [(s["label"], s["text"]) for s in result["spans"] if s["label"] != "ATTACK"] == [
        ("CASUALTY", "three"), ("PERPETRATOR", "Tamerlan"), ("PERPETRATOR", "Dzhokhar Tsarnaev"),
        ("PERPETRATOR", "Tamerlan")]


def test_names_listed_after_an_arrest_are_suspects(pre: Preannotator) -> None:
    text = ("A bomb exploded in the cafe, killing 13 people. Six people were arrested, including Ida Moren, wife "
            "of the poet Karl Strand, the director Luis Ortega Vidal and his wife Marta Ruiz. Moren was freed.")
    assert perps(pre, text) == ["Ida Moren", "Luis Ortega Vidal", "Marta Ruiz", "Moren"]


def test_a_list_after_officials_is_no_suspect_list(pre: Preannotator) -> None:
    text = ("A bomb exploded in the cafe, killing 13 people. Officials, including Interior Minister Ana Soto "
            "and Mayor Luis Ortega, visited the site.")
    assert perps(pre, text) == []


def test_the_named_leader_of_a_perpetrator_group(pre: Preannotator) -> None:
    text = ("A bomb killed 21 people in the city. The Sangha Front carried out the bombing. In 1990, Sangha Front "
            "leader Sean Rourke defended it. Abu Bakr al-Hadid, the leader of the Sangha Front, praised it. "
            "Al-Hadid was killed in 2019. Rourke died in 2009.")
    assert [p for p in perps(pre, text) if p != "Sangha Front"] == [
        "Sean Rourke", "Abu Bakr al-Hadid", "Al-Hadid", "Rourke"]


def test_a_leader_of_the_police_is_no_perpetrator(pre: Preannotator) -> None:
    text = "A bomb killed 30 people in the city. Police leader Ana Soto said the Sangha Front was behind the attack."
    assert "Ana Soto" not in perps(pre, text)
