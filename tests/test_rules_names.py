"""incident-rules-9 (issue 28): group names the article itself introduces, on invented sentences.

No lexicon lists every group; the shapes here are how a report says that a phrase names one: a head word
before its name (*Army of National Liberation*), quotation marks before *group*, *a group known as*, an
apposition after a quoted name, an attribution *to* a party past the attack's target. Every text is made up;
what each test pins is what guideline version 2 (schema/guideline.md, D1) asks an annotator to draw.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import spans  # checks every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


def _names(pre: Preannotator, text: str) -> list[str]:
    """The capitalised PERPETRATOR spans (names, not descriptions)."""
    return [t for t in spans(pre, text, "PERPETRATOR") if t[0].isupper()]


@pytest.mark.parametrize(("text", "name"), [
    # the head first, the name after "of" / "for the"
    ("The kidnapping was carried out by the Army of National Liberation, police said.",
     "Army of National Liberation"),
    ("The Front for the Liberation of the Enclave of Cabinda claimed the attack on the bus.",
     "Front for the Liberation of the Enclave of Cabinda"),
    # a word that heads a state's forces heads a group's name when a name stands before it and after it
    ("Two missionaries were shot to death by a group of terrorists from the Zarate Wilka Armed Forces of "
     "Liberation (FAL).", "Zarate Wilka Armed Forces of Liberation"),
    # "pro-X" modifies the name, it is not in it
    ("Guerrillas presumed to be members of the pro-Castro Army of National Liberation (ELN) today dynamited the "
     "oil pipeline.", "Army of National Liberation"),
])
def test_a_name_after_its_head_word(pre: Preannotator, text: str, name: str) -> None:
    assert name in _names(pre, text)


@pytest.mark.parametrize("text", [
    "The Armed Forces of the Philippines attacked the rebel camp on Monday.",
    "Troops of the Army of Pakistan stormed the compound.",
])
def test_a_states_forces_are_no_group_name(pre: Preannotator, text: str) -> None:
    assert _names(pre, text) == []


def test_a_unit_of_a_known_group_is_named_apart(pre: Preannotator) -> None:
    # "the Belfast Brigade of the Provisional IRA": the tail stops before a group the lexicon knows
    from incident_corpus.preannotate.rules import component
    from incident_corpus.preannotate.rules.group_names import group_names

    rules = pre.nlp.get_pipe(component.COMPONENT)
    assert isinstance(rules, component.IncidentRules)
    doc = pre.nlp("A spokesman for the Belfast Brigade of the Provisional IRA said the bomb was planted.")
    ctx = doc.user_data[component.USER_KEY].context
    assert {doc[s:e].text for s, e, _src in group_names(rules.words, ctx)[0]} == {"Belfast Brigade", "Provisional IRA"}


@pytest.mark.parametrize(("text", "name"), [
    ('The "Black Hand" group claimed responsibility for the bombing.', "Black Hand"),
    ('The attacks could have been carried out by the Maoist "Shining Path" group, the sources said.',
     "Shining Path"),
    # the apposition after a quoted name, the comma inside the quotes
    ('The "Zarate Willka Liberation Front," a group with an Indian background, has claimed responsibility for '
     "the attack.", "Zarate Willka Liberation Front"),
])
def test_a_quoted_name(pre: Preannotator, text: str, name: str) -> None:
    assert name in _names(pre, text)


@pytest.mark.parametrize("text", [
    "A group known as the Black Hand carried out the bombing, police said.",
    "The bombing was carried out by a group known as the Black Hand, police said.",
    "A previously unknown group calling itself the Black Hand claimed the bombing.",
])
def test_a_group_known_as(pre: Preannotator, text: str) -> None:
    got = spans(pre, text, "PERPETRATOR")
    assert "Black Hand" in got
    assert "group" not in got  # the name is the span, as in '"Islamic State" militant group'


def test_an_attribution_past_the_target(pre: Preannotator) -> None:
    # "attributed X to Y": the party follows "to", past the attack's target ("on the mayor")
    text = "Anonymous callers attributed the attack on the mayor to the Black Hand."
    assert _names(pre, text) == ["Black Hand"]
    assert "mayor" not in " ".join(spans(pre, text, "PERPETRATOR"))


def test_a_group_of_attackers_is_no_span_of_its_own(pre: Preannotator) -> None:
    # "a group of terrorists": a quantity of them; the passive's agent is found past "last night"
    text = "Two missionaries were shot to death last night by a group of terrorists from the Black Hand Front."
    got = spans(pre, text, "PERPETRATOR")
    assert "Black Hand Front" in got
    assert "group" not in got


@pytest.mark.parametrize(("text", "names"), [
    # one role, two people: the second name after "by A and", the first before "and B" + verb
    ("The bombing was carried out by Ali Vance and Omar Haddad, prosecutors said.", ["Ali Vance", "Omar Haddad"]),
    ("Guerrillas attacked the town. Police said the attack had been ordered by Fidel Castano and Henry Perez. "
     "Castano and Perez perpetrated the crime following orders from the cartel.",
     ["Fidel Castano", "Henry Perez", "Castano", "Perez"]),
])
def test_two_names_joined_by_and(pre: Preannotator, text: str, names: list[str]) -> None:
    assert _names(pre, text)[-len(names):] == names


def test_a_country_is_no_group(pre: Preannotator) -> None:
    # a learned name that is only a country's is a state's: never a perpetrator (country_names in words.json)
    text = "A bomb killed 12 people at a market in Cucuta. Venezuela denied any involvement in the attack."
    assert spans(pre, text, "PERPETRATOR") == []
