"""The one spaCy tokenizer the project uses everywhere (pre-annotation, alignment, exports).

A blank English pipeline: no model download, identical on every machine, so token
boundaries in exported datasets are reproducible. One change to spaCy's English rules:
sentences glued without a space after a number or a quote (`more than 260.Magistrate`,
`in 2015.He`, `said."We`, which real scraped news is full of) are split, as spaCy already
splits `killed.The`; otherwise no span could start or end inside such a token.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokenizer import Tokenizer
    from spacy.vocab import Vocab

LANG = "en"

# A sentence end glued to the next sentence: "260.Magistrate", "killed!The", '."We' (the quote),
# 'an “attack”.Heitz' (the closing quote), "killed.== References ==" and "bombing==References" (wiki headings).
GLUED_SENTENCE_INFIXES = (
    r"(?<=[0-9])[.!?](?=[A-Z])",
    r"(?<=[A-Za-z0-9])[.!?](?==)",
    r"(?<=[a-z])[!?](?=[A-Z])",
    r"(?<=[.!?])[\"“”](?=[A-Z])",
    r"(?<=[A-Za-z])[\"”](?=[.,;:!?])",
    r"={2,}",
)


def new_blank(*, lexeme_attrs: Iterable[int] | None = None) -> Language:
    """A fresh blank pipeline with the project's tokenizer (for callers that add components).

    `lexeme_attrs` (spacy.attrs ids): compute only these lexical attributes for each word the
    vocabulary meets for the first time, for a private pipeline whose components read no others
    (the others read as 0/False/"" on such words). English has 23 attribute functions, called in
    Python once per new word; on news text, where new words never stop coming, they are a fifth of
    the tokenizer's time. Token boundaries do not depend on them.
    """
    nlp = _language_class()()
    if lexeme_attrs is not None:
        limit_lexeme_attrs(nlp.vocab, lexeme_attrs)
    return nlp


@functools.cache
def _language_class() -> type[Language]:
    """spaCy's English with the glued-sentence infixes in its defaults.

    A subclass, so that the tokenizer is built once with them: setting `infix_finditer` on a blank
    English one compiled the infixes again and re-tokenized its 2,700 special cases (~0.1 s of every
    start-up, which a short push or a pre-annotation worker pays). Here, not at the top: importing
    spaCy costs ~1 s, and `annotate pull` never needs it.
    """
    from spacy.lang.en import English

    class IncidentDefaults(English.Defaults):  # type: ignore[misc,valid-type]  # a class attribute, not an alias
        infixes = (*English.Defaults.infixes, *GLUED_SENTENCE_INFIXES)

    class IncidentEnglish(English):  # type: ignore[no-untyped-call]  # Language.__init_subclass__ is untyped
        lang = LANG
        Defaults = IncidentDefaults

    return IncidentEnglish


def limit_lexeme_attrs(vocab: Vocab, attrs: Iterable[int]) -> None:
    """Compute only `attrs` (spacy.attrs ids the language defines) for each word `vocab` meets from now on:
    for a private vocabulary whose readers need no other lexical attribute (see `new_blank`)."""
    getters = vocab.lex_attr_getters  # type: ignore[attr-defined]  # missing from spaCy's vocab.pyi
    vocab.lex_attr_getters = {attr: getters[attr] for attr in attrs}  # type: ignore[attr-defined]


@functools.cache
def blank_nlp() -> Language:
    return new_blank()


def tokenizer() -> Tokenizer:
    return blank_nlp().tokenizer
