"""The one spaCy tokenizer the project uses everywhere (pre-annotation, alignment, exports).

A blank English pipeline: no model download, identical on every machine, so token
boundaries in exported datasets are reproducible.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

LANG = "en"


@functools.cache
def blank_nlp() -> Language:
    import spacy  # here, not at the top: importing spaCy costs ~1 s, and `annotate pull` or `push` never needs it

    return spacy.blank(LANG)


def tokenizer():  # -> spacy.tokenizer.Tokenizer
    return blank_nlp().tokenizer
