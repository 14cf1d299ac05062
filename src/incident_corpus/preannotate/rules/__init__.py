"""The pre-annotation rules, one module per label, as one spaCy component (`component.py`).

`attack`, `perpetrator`, `claim` and `casualty` each propose that label's candidates;
`people` holds the name runs and the role test they share (and `ner.py` reuses), `seeds` the named
people in a perpetrator role, `entities` one perpetrator's many names (aliases, transliterations,
acronyms), so `perpetrator` can mark every mention (D1); `group_names` the groups a document names,
`persons` the person nouns in an attacker's place, `identity` their age and origin, `blame` the party
an attribution names; for `casualty`, which runs the victim finders in order: `victim_counts` the counted
victims and tolls, `victim_subjects` the subjects of a hurt verb, `the_dead` the victims told through the dead
("among the dead", "Killed were ..."), `victim_names` the named victims (D6), `victim_lists` the elements of a
list of the dead and `outcomes` the outcome a victim phrase takes from its cues;
`words` the frozen `Words` built from the data files in `../patterns/`; `context` the `DocContext`
every rule reads and the `Candidate` it returns. Rules are functions of (`Words`, `DocContext`).
"""

from incident_corpus.preannotate.rules.component import COMPONENT, LEXEME_ATTRS, USER_KEY, IncidentRules
from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext, Proposals
from incident_corpus.preannotate.rules.words import Words

__all__ = ["COMPONENT", "CONFIDENCE", "LEXEME_ATTRS", "USER_KEY", "Candidate", "DocContext", "IncidentRules",
           "Proposals", "Words"]
