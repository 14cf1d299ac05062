"""The `--model` path: a user's spaCy pipeline with NER proposes named perpetrators the rules cannot know.

PERSON and ORG entities become PERPETRATOR candidates when one mention of the same name is in a
perpetrator role (the same role test the rules use for group names: agent of an attack or claim,
or the party blamed); then every mention of it is one (guideline D1), so a model adds names such
as *Tsarnaev* or an unknown group, and never a name the article does not tie to an attack.
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
    found: list[tuple[int, int, str, bool]] = []
    for start_char, end_char, label in ents:
        span = doc.char_span(start_char, end_char, alignment_mode="contract")
        if span is None or len(span) == 0:
            continue
        start, end = span.start, span.end
        while start < end and doc[start].lower_ == "the":
            start += 1
        if start == end or not name_ok(w, ctx, start, end):
            continue
        if label == "ORG" and ctx.low[end - 1] in w.state_org_heads:
            continue  # "Parachute Regiment", "Home Ministry", "The Media Line": not perpetrators by the guideline
        found.append((start, end, label, role(w, ctx, start, end, modifier_ok=False)))
    # D1: an entity in role in one mention is a perpetrator in every mention of the same name
    in_role = {tuple(ctx.low[s:e]) for s, e, _label, ok in found if ok}
    return [Candidate(s, e, "PERPETRATOR", {"perpetrator_kind": "individual" if label == "PERSON" else "organisation"},
                      CONFIDENCE["model_role"]) for s, e, label, _ok in found if tuple(ctx.low[s:e]) in in_role]
