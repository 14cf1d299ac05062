"""incident-rules-12 (issue 28, tenth round): shapes the rules missed in invented reports and old wire copy.

Names coordinated with a perpetrator's, quoted names in capitals, and the shapes the tenth round's invented
reports showed. Every text is made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import spans  # checks every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize(("text", "groups"), [
    ("Police blamed the bombing on the Red Dawn Front or the Andean People's Army. Two people were killed.",
     ["Red Dawn Front", "Andean People's Army"]),
    ('Police said the attacks could have been carried out by the Maoist "Red Dawn" group or the Guevarist '
     '"Andean People\'s Army" group. The bombs destroyed two banks.', ["Red Dawn", "Andean People's Army"]),
    ('POLICE SAID THE ATTACKS COULD HAVE BEEN CARRIED OUT BY THE MAOIST "RED DAWN" GROUP OR THE GUEVARIST '
     '"ANDEAN PEOPLE\'S ARMY" GROUP. THE BOMBS DESTROYED TWO BANKS.', ["RED DAWN", "ANDEAN PEOPLE'S ARMY"]),
])
def test_a_name_coordinated_with_a_perpetrators_shares_its_role(pre: Preannotator, text: str,
                                                                 groups: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == groups


def test_a_coordinated_state_force_is_no_perpetrator(pre: Preannotator) -> None:
    text = "The bombing was blamed on the Red Dawn Front and the Andean army denied it. Two people were killed."
    assert spans(pre, text, "PERPETRATOR") == ["Red Dawn Front"]


def test_a_quoted_name_in_capitals_glossed_as_a_group(pre: Preannotator) -> None:
    text = ('BOGOTA, 30 NOV 89 (AFP) -- [TEXT] A BOMB KILLED 107 PEOPLE ON THE AIRLINER. "THE UNTOUCHABLES," A '
            'COLOMBIAN MAFIA GROUP LINKED WITH DRUG TRAFFICKING, CLAIMED RESPONSIBILITY.')
    assert spans(pre, text, "PERPETRATOR") == ["UNTOUCHABLES"]
