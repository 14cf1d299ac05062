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
from dataclasses import dataclass

__all__ = ["Mention", "combine_counts", "parse_count"]

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


# -- combining the casualty mentions of one attack (GTD-style nkill / nwound) -------------------

# A mention right after one of these (the end of the gap from the previous mention) is a subset of
# it: "15 people, including eight soldiers", "20 died, among them three children". Gaps are short
# and never cross a sentence end.
_NESTED_AFTER = re.compile(
    r"\b(?:including|among (?:them|whom|those|the dead|the injured|the wounded|the victims)"
    r"|of (?:whom|them|those)|mostly|most of them|all of them)[\s,:(\u2013\u2014-]*$",
    re.IGNORECASE,
)
# The earlier mention is the subset: "eight soldiers were among the 15 killed".
_NESTED_BEFORE = re.compile(r"\b(?:were |was )?among(?: the| those)?\s*$", re.IGNORECASE)
# A list going on inside a nested part: "including eight soldiers and two police officers".
_LIST_GAP = re.compile(r"^\s*(?:,|and|, and|as well as|plus|&)?\s*$", re.IGNORECASE)
# A mention that states a total for its outcome: "the death toll rose to 41", "23 in all".
_TOTAL_BEFORE = re.compile(r"\b(?:toll|total of|in total|totall?ing|tally)\b[^.!?;]{0,30}$", re.IGNORECASE)
_TOTAL_AFTER = re.compile(r"^[\s,]*(?:in all|in total|altogether|all told)\b", re.IGNORECASE)
_MAX_GAP = 60


@dataclass(frozen=True)
class Mention:
    """One CASUALTY argument of an attack: its character offsets and parsed count range."""

    start: int
    end: int
    min: int | None
    max: int | None


def _gap(text: str, a: Mention, b: Mention) -> str | None:
    """The text between two mentions if it is short and stays inside one sentence, else None."""
    if b.start < a.end or b.start - a.end > _MAX_GAP:
        return None
    gap = text[a.end:b.start]
    return None if re.search(r"[.!?](?:\s|$)", gap) else gap


def _is_total(text: str, m: Mention) -> bool:
    before = text[max(0, m.start - 50):m.start]
    sentence = re.split(r"[.!?]\s", before)[-1]
    return bool(_TOTAL_BEFORE.search(sentence) or _TOTAL_AFTER.match(text[m.end:m.end + 20]))


def _sum(ranges: list[tuple[int | None, int | None]]) -> tuple[int | None, int | None]:
    """Interval sum: lower bounds add (unknown = 0, null if none known); one unbounded upper bound makes it null."""
    lows = [lo for lo, _ in ranges if lo is not None]
    low = sum(lows) if lows else None
    high = None if any(hi is None for _, hi in ranges) else sum(hi for _, hi in ranges)  # type: ignore[misc]
    if low is not None and high is not None and high < low:
        high = low
    return low, high


def combine_counts(text: str, mentions: list[Mention]) -> tuple[int | None, int | None]:
    """(min, max) people for the casualty mentions of ONE attack and ONE outcome; (None, None) if none.

    The rule (documented in the guideline and the dataset card):
    1. Nested mentions are subsets, never added: a mention after "including", "among them", "of whom" …
       (and the rest of that list: "including eight soldiers and two police officers"), or one
       followed by "were among the". Its parent's lower bound is at least the sum of its subsets.
    2. The remaining (top-level) mentions are distinct groups and add up as intervals: "eleven guests
       and a security guard" is 12; a vague mention ("dozens of shoppers") adds 0 to the lower bound
       and leaves the upper bound open (null); "nearly fifty" adds only to the upper bound.
    3. A mention that states a total ("the death toll rose to 41", "23 in all") bounds the others:
       the result is the largest such total, its lower bound raised to the top-level sum if that is larger.
    """
    if not mentions:
        return None, None
    if len(mentions) == 1:
        return mentions[0].min, mentions[0].max
    ms = sorted(set(mentions), key=lambda m: (m.start, m.end))
    parent: dict[int, int] = {}  # index of a nested mention -> index of the mention it is part of
    for j in range(1, len(ms)):
        i = j - 1
        gap = _gap(text, ms[i], ms[j])
        if gap is None:
            continue
        if _NESTED_AFTER.search(gap):
            parent[j] = parent.get(i, i)
        elif i in parent and _LIST_GAP.match(gap):
            parent[j] = parent[i]
        elif _NESTED_BEFORE.search(gap) and i not in parent:
            parent[i] = j
    children: dict[int, list[int]] = {}
    for child, par in parent.items():
        children.setdefault(par, []).append(child)
    ranges: list[tuple[Mention, int | None, int | None]] = []
    for k, m in enumerate(ms):
        if k in parent:
            continue
        low, high = m.min, m.max
        if k in children:
            sub, _ = _sum([(ms[c].min, ms[c].max) for c in children[k]])
            if sub is not None and (low is None or sub > low):
                low = sub
                if high is not None and high < low:
                    high = low
        ranges.append((m, low, high))
    if len(ranges) == 1:  # one group: a total or not, it is the answer
        return ranges[0][1], ranges[0][2]
    totals: list[tuple[int | None, int | None]] = []
    top: list[tuple[int | None, int | None]] = []
    for m, low, high in ranges:
        (totals if _is_total(text, m) else top).append((low, high))
    if not totals:
        return _sum(top)
    best_low, best_high = max(totals, key=lambda r: (r[0] if r[0] is not None else r[1] or 0))
    rest_low, _ = _sum(top) if top else (None, None)
    if rest_low is not None and (best_low is None or rest_low > best_low):
        best_low = rest_low
        if best_high is not None and best_high < best_low:
            best_high = best_low
    return best_low, best_high
