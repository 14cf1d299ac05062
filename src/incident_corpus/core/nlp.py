"""The one spaCy tokenizer the project uses everywhere (pre-annotation, alignment, exports).

A blank English pipeline: no model download, identical on every machine, so token
boundaries in exported datasets are reproducible.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

LANG = "en"


@functools.cache
def blank_nlp() -> Language:
    return spacy.blank(LANG)


def tokenizer():  # -> spacy.tokenizer.Tokenizer
    return blank_nlp().tokenizer
