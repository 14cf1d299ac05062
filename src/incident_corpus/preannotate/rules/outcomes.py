"""The outcome (killed, injured) a victim phrase takes from the cues around it: its own cue, the nearest one in
its window, the sentence before's, a list's last cue, or its verb's as a subject."""

from __future__ import annotations

import bisect

from incident_corpus.preannotate.rules.context import Anchor, DocContext
from incident_corpus.preannotate.rules.words import Words

_WINDOW = 7  # tokens between a victim phrase and the outcome cue that gives its outcome


def outcome_near(ctx: DocContext, cues: list[Anchor], cue_pos: list[int], start: int, end: int) -> str | None:
    """The outcome of the nearest cue within the window, in the same sentence and outside the phrase."""
    window = _WINDOW
    sent = ctx.sent_of(start)
    best: tuple[int, int, str] | None = None
    for k in range(bisect.bisect_left(cue_pos, start - window), len(cues)):
        c_start, c_end, c_kind = cues[k]
        if c_start > end + window:
            break
        if start <= c_start < end or ctx.sent_of(c_start) != sent:
            continue
        dist = start - c_end if c_start < start else c_start - end
        # nearest cue wins; on a tie the longer one ("shot dead" over "shot")
        if best is None or (dist, -c_end) < (best[0], -best[1]):
            best = (dist, c_end, c_kind)
    return (best[2] or None) if best else None


def list_outcome(w: Words, ctx: DocContext, end: int, cue_at: dict[int, str]) -> str | None:
    """"eight women, a girl and four men injured": the outcome after the last item of a list."""
    low, n = ctx.low, ctx.n
    j = end
    if not (j < n and low[j] in (w.comma, w.and_)):
        return None
    s1 = ctx.sent_bounds(end)[1]
    for m in range(j + 1, min(s1, j + 14)):
        if m in cue_at:
            between = low[j:m]
            return cue_at[m] if w.and_ in between else None
        if low[m] in w.not_adjective and low[m] not in (w.and_, w.of):
            return None
    return None


def own_outcome(w: Words, ctx: DocContext, i: int, end: int, cue_at: dict[int, str]) -> str | None:
    """The outcome the phrase's own clause gives, over a nearer cue of the clause before: "nine were dead
    and some 130 more were mutilated, injured ...", "six were killed with two others and a guard injured"."""
    low, n = ctx.low, ctx.n
    if i and low[i - 1] == w.with_:
        return cue_at.get(end) or list_outcome(w, ctx, end, cue_at)
    if not (end < n and low[end] in w.passive_aux):
        return None
    s1 = ctx.sent_bounds(end)[1]
    for j in range(end + 1, min(s1, end + 6)):
        if j in cue_at:
            return cue_at[j]
        if low[j] in w.not_adjective and low[j] not in (w.comma, w.and_):
            return None
    return None


def subject_outcome(w: Words, ctx: DocContext, end: int, cue_at: dict[int, str]) -> str | None:
    """"A local commander of the X Forces, a pro-government militia, was also killed": the outcome of
    a subject whose post-modifier and apposition push the cue past the window."""
    low, cap, nums = ctx.low, ctx.cap, ctx.nums
    s1 = ctx.sent_bounds(end - 1)[1]
    j = end
    if j < s1 and low[j] == w.of:  # "of Syria's National Defense Forces": names only
        j += 1
        while j < s1 and j - end <= 8 and j not in nums and (
                cap[j] or low[j] == w.the or low[j] in w.possessive or low[j] == w.hyphen):
            j += 1
    if j < s1 and low[j] == w.comma and j + 1 < s1 and (low[j + 1] in w.article or low[j + 1] == w.the):
        close = next((c for c in range(j + 2, min(s1, j + 10)) if low[c] == w.comma), None)
        if close is None or any(m in nums for m in range(j + 1, close)):
            return None
        j = close + 1  # ", a pro-Assad militia,"
    if j == end or not (j < s1 and low[j] in w.passive_aux):
        return None
    aux = j
    j += 1
    while j < s1 and j - aux <= 3 and (low[j] in w.passive_aux or low[j] in w.subject_fillers
                                       or w.is_adverb(low[j])):
        j += 1
    return cue_at.get(j)


def bare_subject_outcome(w: Words, ctx: DocContext, start: int, end: int, cue_at: dict[int, str]) -> str | None:
    """"The bomb went off and guests staying in a pension above were injured": a bare plural victim noun
    opening a clause joined to the one before, the subject of a past passive outcome a few words on.
    Not at a sentence start ("Soldiers were killed ..." may be generic, and no number pins it)."""
    low, nums = ctx.low, ctx.nums
    s0, s1 = ctx.sent_bounds(start)
    if start <= s0 + 1 or low[start - 1] not in (w.and_, w.comma):
        return None
    if not w.strings[low[end - 1]].endswith("s") and low[end - 1] not in w.plural_heads:
        return None
    for j in range(end, min(s1, end + 7)):
        if j in nums or low[j] == w.comma or low[j] in w.relative_stop:
            return None
        if low[j] in w.passive_aux:
            if low[j] not in w.past_aux:
                return None  # "civilians are killed in such wars": generic
            k = j + 1
            while k < s1 and k - j <= 2 and (low[k] in w.passive_aux or w.is_adverb(low[k])):
                k += 1
            return cue_at.get(k)
    return None


def carried_outcome(w: Words, ctx: DocContext, i: int, cues: list[tuple[int, int, str]], cue_pos: list[int]
                     ) -> str | None:
    """"... at least 11 people died. They included two soldiers": the outcome of the sentence before."""
    s0, _s1 = ctx.sent_bounds(i)
    if s0 == 0 or w.carry_outcome.isdisjoint(ctx.low[s0:i]):
        return None
    p0, _ = ctx.sent_bounds(s0 - 1)
    for k in range(bisect.bisect_left(cue_pos, s0) - 1, -1, -1):  # the last cue with an outcome
        c = cues[k]
        if c[0] < p0:
            break
        if c[2]:
            return c[2]
    return None
