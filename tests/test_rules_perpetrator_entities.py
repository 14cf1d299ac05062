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
