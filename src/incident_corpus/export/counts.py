"""Normalise the number in a CASUALTY phrase to a count range (GTD-style nkill / nwound).

The annotated span keeps the words ("nearly fifty more"); the count is derived here so that
annotators never type numbers and every export computes it the same way.

Conventions (documented in the guideline):
- A lower bound ("more than 100", "at least 70", "over 300") is stored as ``min`` = the stated
  number, ``max`` = None. "More than 100" strictly means 101+, but like the GTD we keep the
  number the source gives.
- "nearly" / "almost" / "close to" N give ``max`` = N with ``approximate`` = True;
  "up to" / "as many as" / "at most" / "fewer than" N give ``max`` = N, not approximate.
- "some" / "about" / "around" / "roughly" / "an estimated" N give min = max = N, approximate.
- A range ("20 to 30", "between 20 and 30", "20-30") gives min 20, max 30.
- Vague quantities ("dozens", "scores", "hundreds", "several", "many") and phrases with no
  number at all give None: no count, as the GTD leaves vague figures blank.
- A singular head with "a", "an", "one", "another" ("a guard") is 1; "both" is 2.
"""

from __future__ import annotations

import re

__all__ = ["parse_count"]

_UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES: dict[str, int] = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_VAGUE = frozenset({
    "dozens", "scores", "hundreds", "thousands", "millions", "tens", "several", "many",
    "numerous", "few", "countless", "multiple", "some", "various",
})
_SINGULAR = frozenset({"a", "an", "one", "another", "single", "lone"})

_LOWER_BOUND = ("at least", "more than", "over", "upwards of", "no fewer than", "no less than",
                "in excess of", "well over", "above", "a minimum of", "not less than")
_UPPER_APPROX = ("nearly", "almost", "close to", "just under", "nigh on")
_UPPER_EXACT = ("up to", "as many as", "at most", "fewer than", "less than", "under", "a maximum of")
_APPROX = ("some", "about", "around", "roughly", "approximately", "an estimated", "estimated",
           "approx", "circa", "round about", "or so", "almost exactly")

_WORD_RE = re.compile(r"\d[\d,.]*\d|\d|[a-z]+")


def _tokens(text: str) -> list[str]:
    lowered = text.lower().replace("\u2011", "-").replace("\u2013", " to ").replace("\u2014", " ")
    # "20-30" is a range; "twenty-three" is one number: both come apart into words here.
    lowered = re.sub(r"(?<=\d)\s*-\s*(?=\d)", " to ", lowered)
    return _WORD_RE.findall(lowered.replace("-", " "))


def _digits(tok: str) -> int | float | None:
    if not tok[0].isdigit():
        return None
    cleaned = tok.replace(",", "")
    try:
        return int(cleaned)
    except ValueError:
        try:
            return float(cleaned)
        except ValueError:
            return None


def _is_number_word(tok: str) -> bool:
    return tok in _UNITS or tok in _TENS or tok in _SCALES or tok == "dozen" or _digits(tok) is not None


def _read_number(toks: list[str], i: int) -> tuple[int | None, int]:
    """Parse the number that starts at toks[i]; return (value, index after it)."""
    total = 0.0
    current = 0.0
    seen = False
    j = i
    while j < len(toks):
        tok = toks[j]
        value = _digits(tok)
        if value is not None:
            if seen and current:  # "300 400": two numbers, stop at the first
                break
            current += value
            seen = True
        elif tok in _UNITS:
            current += _UNITS[tok]
            seen = True
        elif tok in _TENS:
            current += _TENS[tok]
            seen = True
        elif tok == "dozen":
            current = (current or 1) * 12
            seen = True
        elif tok == "hundred":
            current = (current or 1) * 100
            seen = True
        elif tok in ("thousand", "million"):
            total += (current or 1) * _SCALES[tok]
            current = 0
            seen = True
        elif tok in ("a", "an") and j + 1 < len(toks) and toks[j + 1] in ("hundred", "thousand", "dozen"):
            pass  # "a hundred", "a dozen"
        elif tok == "half" and toks[j + 1:j + 3] == ["a", "dozen"]:
            current += 6
            j += 3
            seen = True
            continue
        elif tok == "and" and seen and j + 1 < len(toks) and (toks[j + 1] in _UNITS or toks[j + 1] in _TENS):
            pass  # "one hundred and twenty"
        else:
            break
        j += 1
    if not seen:
        return None, i
    return round(total + current), j


def _starts_with(words: list[str], phrases: tuple[str, ...]) -> bool:
    joined = " ".join(words)
    return any(joined == p or joined.endswith(" " + p) for p in phrases)


def parse_count(text: str) -> dict | None:
    """Return {"min", "max", "approximate"} for the number in a casualty phrase, or None.

    None means the phrase states no usable count (vague quantity or no number at all).
    """
    toks = _tokens(text)
    singular: int | None = None  # "a guard" is 1, unless a number follows ("an estimated 300")
    for i, tok in enumerate(toks):
        if tok in _VAGUE and not (tok == "some" and i + 1 < len(toks) and _is_number_word(toks[i + 1])):
            # "dozens of", "several": vague unless a real number came before ("two dozen" is read below)
            return None
        starts_number = _is_number_word(tok) or (
            tok in ("a", "an") and i + 1 < len(toks) and toks[i + 1] in ("hundred", "thousand", "dozen")
        ) or (tok == "half" and toks[i + 1:i + 3] == ["a", "dozen"])
        if starts_number:
            value, after = _read_number(toks, i)
            if value is None:
                continue
            if toks[after:after + 2] in (["year", "old"], ["years", "old"], ["month", "old"]):
                singular = singular or 1  # an age ("a 14-year-old girl") describes one person
                continue
            before = toks[max(0, i - 4):i]
            rest = toks[after:]
            upper: int | None = None
            to_range = rest[:1] in (["to"], ["or"]) and len(rest) > 1 and _is_number_word(rest[1])
            between = before[-1:] == ["between"] and rest[:1] == ["and"] and len(rest) > 1
            if to_range or between:
                upper, _ = _read_number(rest, 1)
            if upper is not None and upper >= value:
                approx = _starts_with(before, _APPROX)
                return {"min": value, "max": upper, "approximate": approx}
            if _starts_with(before, _LOWER_BOUND):
                return {"min": value, "max": None, "approximate": False}
            if _starts_with(before, _UPPER_APPROX):
                return {"min": None, "max": value, "approximate": True}
            if _starts_with(before, _UPPER_EXACT):
                return {"min": None, "max": value, "approximate": False}
            approx = _starts_with(before, _APPROX) or rest[:2] == ["or", "so"]
            return {"min": value, "max": value, "approximate": approx}
        if singular is None and tok in _SINGULAR:
            singular = 1
        elif singular is None and tok == "both":
            singular = 2
    if singular is not None:
        return {"min": singular, "max": singular, "approximate": False}
    return None
