"""What the rules share about one document: its columns and anchors (`DocContext`), and what they
propose (`Candidate`, with the confidence of each rule).

The component leaves both in `doc.user_data[USER_KEY]` as `Proposals`; the runner resolves the
overlaps and `ner.py` adds a model's entities with the same role tests.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy
from spacy.tokens import Doc

from incident_corpus.preannotate.rules.words import Words

# How sure each rule is; the span's `score` (and the mean over a task's spans, the prediction score).
CONFIDENCE = {
    "group_role": 0.9, "pattern_role": 0.75, "learned_role": 0.7, "role_noun": 0.8, "category_role": 0.7,
    "org_role": 0.65, "person": 0.6, "model_role": 0.6,
    "person_seed": 0.65, "person_name": 0.6, "entity_mention": 0.6,
    "attack": 0.85, "attack_generic": 0.65, "attack_agent": 0.6,
    "casualty": 0.8, "casualty_number": 0.6, "claim": 0.85, "claim_bare": 0.6, "claim_attributed": 0.7,
}

Anchor = tuple[int, int, str]  # (start token, end token, the pattern's value)


class Candidate(NamedTuple):
    """A proposed span in tokens, [start, end), before overlaps are resolved."""

    start: int
    end: int
    label: str
    attributes: dict[str, str]
    score: float


@dataclass
class DocContext:
    """One document's arrays and anchors, shared by the candidate builders."""

    doc: Doc
    words: Words  # the vocabulary's word lists (where reads its POSITIONED lists from one scan)
    low: list[int]
    cap: list[int]
    nums: set[int]
    sent_ends: list[int]  # sorted, for bisect
    by_kind: dict[str, list[Anchor]]
    attack_starts: set[int]
    claim_at: dict[int, tuple[int, str]]  # CLAIM anchor start -> (end, status)
    hyphens: list[int]
    starts: Any  # char offset of each token (numpy), for the records
    toll_numbers: list[int]  # numbers next to a word that can make them a bare toll figure
    lows: Any  # the LOWER column as numpy, for whole-document equality tests
    n: int  # tokens
    end_set: frozenset[int]  # sent_ends again, for membership tests
    sent_ids: list[int] = dataclasses.field(default_factory=list)  # token -> its sentence (sent_of)
    bounds: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # sentence -> [start, end)
    attack_sents: set[int] | None = None  # sentences with an attack trigger or outcome cue, filled on first use
    # the starts of the ATTACK candidates the attack rules kept (set once they ran): "a man planted trees"
    # holds an anchor (planted) but no attack
    kept_attacks: frozenset[int] | None = None
    # the trigger anchors the attack rules rejected ("drove to the scene"): no agent verb for a role either
    rejected_attacks: frozenset[int] = frozenset()
    # the sentences whose claim is a state's or blames one (set by the attack rules, read by the claim rules)
    state_claims: frozenset[int] = frozenset()
    # the parties an attribution names (blame.blamed_phrases), found on first use
    blamed: list[tuple[int, int, bool]] | None = None
    war_text: bool | None = None  # does the text use a word of war anywhere (attack._war_text)
    labour_text: bool | None = None  # does the text tell of a walk-out (attack._labour_strike)
    police_text: bool | None = None  # does the text report the police shooting someone (attack._police_text)
    terror_text: bool | None = None  # does the text name a group or speak of terrorism (speaks_of_terror)
    positions: dict[int, list[int]] | None = None  # word hash -> its tokens (where), made on first use

    def end_char(self, i: int) -> int:
        """One past token i's last character (asked only for candidates' last tokens)."""
        tok = self.doc[i]
        return tok.idx + len(tok)

    def sent_of(self, i: int) -> int:
        if 0 <= i < self.n:  # the rules ask this ~300 times a document: one list lookup, not a bisect
            return self.sent_ids[i]
        return bisect.bisect_left(self.sent_ends, i)

    def sent_bounds(self, i: int) -> tuple[int, int]:
        if not self.bounds:  # [start, end) of each sentence, made on first use
            starts = [0, *(e + 1 for e in self.sent_ends)]
            self.bounds = list(zip(starts, [*self.sent_ends, self.n], strict=True))
        return self.bounds[self.sent_of(i)]

    def where(self, words: Collection[int], stop: int | None = None) -> list[int]:
        """The tokens (before `stop`) whose lower-case form is in `words`, in order. The rules ask ~17 word
        lists a document (words.POSITIONED): one numpy isin over the column finds the tokens of all of them, made
        on first use, and each list is read from those few (an isin per list cost 13% of the rules' time)."""
        if id(words) not in self.words.positioned_ids:  # a list of the document's own ("the 24-year-old")
            out = [k for k, h in enumerate(self.low) if h in words]
        else:
            if self.positions is None:
                pos: dict[int, list[int]] = {}
                low = self.low
                for k in numpy.flatnonzero(numpy.isin(self.lows, self.words.positioned_array)).tolist():
                    pos.setdefault(low[k], []).append(k)
                self.positions = pos
            at = self.positions
            hits = [at[h] for h in at if h in words]
            out = hits[0][:] if len(hits) == 1 else sorted(k for ks in hits for k in ks)
        return out if stop is None else [k for k in out if k < stop]

    def text(self, i: int) -> str:
        return self.doc[i].text

    def sentence_has_attack(self, i: int, exclude: int = -1) -> bool:
        """Does token i's sentence hold an attack trigger (other than `exclude`) or an outcome cue?"""
        if exclude < 0:  # the common question, answered from one pass over the anchors per document
            if self.attack_sents is None:
                self.attack_sents = {self.sent_of(a) for a in self.attack_starts} | {
                    self.sent_of(c) for c, _e, v in self.by_kind.get("CUE", ()) if v}
            return self.sent_of(i) in self.attack_sents
        s0, s1 = self.sent_bounds(i)
        return any(s0 <= a < s1 and a != exclude for a in self.attack_starts) or any(
            s0 <= c < s1 for c, _e, v in self.by_kind.get("CUE", ()) if v)


def speaks_of_terror(w: Words, ctx: DocContext) -> bool:
    """Does the text name a group or use a word of terrorism (bomb, militant, terror ...)? Asked once per text:
    without either, a court story or a named killer is crime news (D3's legal claims, D1's named persons)."""
    if ctx.terror_text is None:
        ctx.terror_text = "GROUP" in ctx.by_kind or not w.terror_markers.isdisjoint(ctx.low)
    return ctx.terror_text


class Proposals(NamedTuple):
    """What the component leaves on a Doc: the candidates and the context they were found in."""

    candidates: list[Candidate]
    context: DocContext


def build_context(w: Words, doc: Doc, arr: Any, by_kind: dict[str, list[Anchor]]) -> DocContext:
    """The context of `doc`, from its `Doc.to_array` columns (LOWER, LIKE_NUM, IS_CAP, IDX) and anchors."""
    low: list[int] = arr[:, 0].tolist()
    cap: list[int] = arr[:, 2].tolist()  # 0/1, read only for truth
    nums = set(numpy.flatnonzero(arr[:, 1]).tolist())
    # Case-sensitive anchors were matched on LOWER: keep only the exact spellings, and no acronym in
    # all-capitals text, where capitals carry no signal ("THIS IS WHY").
    for kind, allowed in (("ACRONYM", w.acronyms), ("ORGSUFFIX", w.org_suffixes)):
        if kind in by_kind:
            by_kind[kind] = [m for m in by_kind[kind] if doc[m[0]].orth in w.first_orths and (
                m[1] - m[0] == 1 or doc[m[0]:m[1]].text in allowed) and not (
                kind == "ACRONYM" and (_shouting(doc, m[0] - 1) or _shouting(doc, m[1])))]
    if "GROUP" in by_kind:  # "to establish an Islamic state": a state of that kind, not the group
        by_kind["GROUP"] = [m for m in by_kind["GROUP"] if not (
            m[0] and low[m[0] - 1] in w.indefinite and m[1] - m[0] > 1 and cap[m[0]] and not cap[m[1] - 1])]
    lows = arr[:, 0]
    is_end = lows == w.sent_hashes[0]
    for sh in w.sent_hashes[1:]:
        is_end |= lows == sh
    sent_ends = [e for e in numpy.flatnonzero(is_end).tolist() if not _title_dot(w, doc, low, cap, e)]
    claim_at = {s: (e, v) for s, e, v in by_kind.get("CLAIM", ())}
    attack_starts = {s for s, _e, _v in by_kind.get("ATK", ())}
    hyphens = numpy.flatnonzero(lows == w.hyphen).tolist()
    # numbers that can be a bare toll: "killing 14", "14 dead", "at least 14", "toll rose to 14", "1 000"
    n = len(low)
    toll_numbers = [i for i in nums if ((i + 1 < n and (low[i + 1] in w.number_next or i + 1 in nums))
                    or (i and low[i - 1] in w.number_prev)) and not _a_year(w, doc, low, i)
                    and not (i and low[i - 1] in w.month_names)]  # "on April 3 killed five": a date
    toll_numbers.sort()
    sent_ids = numpy.searchsorted(numpy.asarray(sent_ends, dtype=numpy.int64), numpy.arange(n)).tolist()
    return DocContext(doc, w, low, cap, nums, sent_ends, by_kind, attack_starts, claim_at, hyphens, arr[:, 3],
                      toll_numbers, lows, n, frozenset(sent_ends), sent_ids)


def _title_dot(w: Words, doc: Doc, low: list[int], cap: list[int], e: int) -> bool:
    """Is the full stop at e an abbreviated title's, a name after it ("Lt. Jorge Salcedo", "Sgt. Luis Pineda",
    "Mr. Torres"), where the blank tokenizer split the dot off?"""
    return (0 < e < len(low) - 1 and low[e - 1] in w.title_abbreviations and not doc[e - 1].whitespace_
            and bool(cap[e - 1]) and bool(cap[e + 1]))


def _a_year(w: Words, doc: Doc, low: list[int], i: int) -> bool:
    """A year after a preposition ("in 1995 killed 8,000"), not a toll."""
    text = doc[i].text
    return len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2099 and i > 0 and low[i - 1] in w.place_preps


def _shouting(doc: Doc, k: int) -> bool:
    """Is token k a word of two or more capitals (the text around an acronym is in all capitals)?"""
    if not 0 <= k < len(doc):
        return False
    text = doc[k].text
    return len(text) > 1 and text.isalpha() and text.isupper()
