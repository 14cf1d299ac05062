"""Label one mention, get them all: the other mentions of the entity an annotator just marked.

The guideline's PERPETRATOR is entity-level (guideline-decisions D1: every mention — a name, a surname
alone — is marked), so once a name is marked the rest of the task's mentions of it are mechanical work:
`annotate serve` answers an interactive /predict (the marked region as `context`) with them, under the
same label, as a prediction the annotator accepts or rejects.

Same entity, by the text alone (no model): the same string; for a person's name (two or more capitalised
words, not ending in an organisation word such as Front or Army) its surname alone; for a multi-word name
its acronym (initials of its capitalised words: Islamic State of Iraq and Syria → ISIS); for an acronym,
the capitalised phrases it abbreviates. Matches are whole words and case-sensitive, and never overlap the
marked span or each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from incident_corpus.preannotate import lexicon as lexicon_mod

# Words an acronym skips (Islamic State *of* Iraq *and* Syria).
_JOINERS = frozenset({"of", "and", "the", "for", "in", "al", "el", "de", "du", "la"})
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _org_words() -> frozenset[str]:
    return frozenset(lexicon_mod.load().by_kind("ORGSUFFIX"))


def _whole_word(text: str, needle: str) -> list[tuple[int, int]]:
    """Case-sensitive occurrences of `needle` not inside a longer word."""
    if not needle.strip():
        return []
    pattern = re.compile(r"(?<![\w])" + re.escape(needle) + r"(?![\w])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s$", "", word)


def acronym_of(name: str) -> str | None:
    """Initials of a multi-word capitalised name's words (joiners skipped); None if it is not one."""
    words = [w for w in name.split() if w.lower() not in _JOINERS]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def is_acronym(mention: str) -> bool:
    letters = mention.replace("-", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and sum(c.isupper() for c in letters) >= 2 and \
        mention[:1].isupper() and " " not in mention


def surname_of(name: str) -> str | None:
    """The last word of a person's name (two or more capitalised words, not an organisation's)."""
    words = name.split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words) or name.isupper():
        return None
    last = _strip_possessive(words[-1])
    if last in _org_words() or len(last) < 3 or not last.isalpha():
        return None
    return last


def _expansions(text: str, acronym: str) -> list[tuple[int, int]]:
    """Capitalised phrases of the text whose initials spell `acronym`."""
    found = []
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    for i, (start, _, first) in enumerate(words):
        if not first[:1].isupper() or first[0] != acronym[0]:
            continue
        initials, j = "", i
        while j < len(words) and len(initials) < len(acronym):
            w = words[j][2]
            if w.lower() in _JOINERS and initials:
                j += 1
                continue
            if not w[:1].isupper():
                break
            initials += w[0]
            j += 1
        if initials == acronym and j - i >= 2:
            found.append((start, words[j - 1][1]))
    return found


def _after_a_name(text: str, start: int) -> bool:
    before = re.search(r"([^\W\d_][\w'’-]*)[ \t]+$", text[max(0, start - 40):start])
    return bool(before and before.group(1)[:1].isupper())


def other_mentions(text: str, start: int, end: int, *, taken: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of every other mention of the entity text[start:end] names, longest first where two
    overlap; none overlaps the marked span or `taken` (regions already in the task)."""
    mention = text[start:end].strip()
    if not mention:
        return []
    candidates = _whole_word(text, mention)
    surname = surname_of(mention)
    if surname:  # alone, not as the end of another full name (a brother's: Tamerlan Tsarnaev)
        candidates += [(s, e) for s, e in _whole_word(text, surname) if not _after_a_name(text, s)]
    acronym = acronym_of(mention)
    if acronym and len(acronym) >= 2:
        candidates += _whole_word(text, acronym)
    if is_acronym(mention):
        candidates += _expansions(text, mention.replace("-", ""))
    blocked = [(start, end), *taken]
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(candidates), key=lambda c: (-(c[1] - c[0]), c[0])):
        if any(s < b_end and b_start < e for b_start, b_end in blocked):
            continue
        blocked.append((s, e))
        out.append((s, e))
    return sorted(out)
