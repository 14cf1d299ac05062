"""The `--model` path: a user's spaCy pipeline with NER proposes named perpetrators the rules cannot know.

PERSON and ORG entities become PERPETRATOR candidates only in a perpetrator role (the
same role test the rules use for group names: agent of an attack or claim, or the party
blamed), so a model adds names such as *Tsarnaev* or an unknown group without bringing back
the background mentions the rules leave out.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from incident_corpus.core.errors import InputError
from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.people import name_ok, role
from incident_corpus.preannotate.rules.words import Words

# NORP ("Basque", "Chechen") is left out: as a modifier it is part of a description the rules find.
ENTITY_LABELS = ("ORG", "PERSON")


def load_model(name: str) -> Language:
    """Load the user's pipeline (only what NER needs), or say how to install it."""
    import spacy

    try:
        nlp = spacy.load(name, exclude=["parser", "lemmatizer", "textcat"])
    except OSError as exc:
        raise InputError(
            f"spaCy model {name!r} is not installed; install it with "
            f"`python -m spacy download {name}` or drop --model"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise InputError(f"spaCy model {name!r} has no NER component; give a pipeline with `ner` or drop --model")
    return nlp


def entity_offsets(doc: Doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ENTITY_LABELS]


def model_candidates(w: Words, ctx: DocContext, doc: Doc, ents: Iterable[tuple[int, int, str]]) -> list[Candidate]:
    """Entities (char offsets from the model's own tokenisation) mapped onto our tokens, kept when in role."""
    out: list[Candidate] = []
    for start_char, end_char, label in ents:
        span = doc.char_span(start_char, end_char, alignment_mode="contract")
        if span is None or len(span) == 0:
            continue
        start, end = span.start, span.end
        while start < end and doc[start].lower_ == "the":
            start += 1
        if start == end or not name_ok(w, ctx, start, end) or not role(w, ctx, start, end, modifier_ok=False):
            continue
        if label == "ORG" and ctx.low[end - 1] in w.state_org_heads:
            continue  # "Parachute Regiment", "Home Ministry", "The Media Line": not perpetrators by the guideline
        kind = "individual" if label == "PERSON" else "organisation"
        out.append(Candidate(start, end, "PERPETRATOR", {"perpetrator_kind": kind}, CONFIDENCE["model_role"]))
    return out
