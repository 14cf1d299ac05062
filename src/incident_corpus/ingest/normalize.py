"""Text normalisation and the article id: the one normalisation every annotation offset refers to.

The rules (applied exactly once, before the text becomes a task; never to change for existing data)
are listed in articles.py's module doc, which is the reference users read.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff]")
_NEWLINES_RE = re.compile("\r\n|[\r\u2028\u2029]")
_MANY_NEWLINES_RE = re.compile("\n{3,}")


def normalize_text(text: str) -> str:
    """The one normalisation every offset refers to; see articles.py's module doc for the rules."""
    text = _NEWLINES_RE.sub("\n", text)
    text = CONTROL_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = _MANY_NEWLINES_RE.sub("\n\n", text)
    return text.strip()


def article_id(text: str) -> str:
    """Content address of an article: equal normalised texts are the same article."""
    return content_hash(normalize_text(text))


def content_hash(normalised: str) -> str:
    """The article id of a text that is already normalised (a task's `data.text`)."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def is_blank(text: str) -> bool:
    """Same answer as `not normalize_text(text)`, without normalising a whole (possibly huge) file."""
    stripped = text.strip()
    if not stripped:
        return True
    if not CONTROL_RE.match(stripped):
        return False  # the first non-space character is content
    return not normalize_text(stripped)
