"""CLAIM: claim predicates with their status, less the allegations, tolls and blame without an attack.

A CLAIM is about responsibility for an attack the article reports (guideline D2, D3): the weaker
predicates (bare *claimed*, *is responsible*, *was behind*, the legal forms) must name the attack or
a violent offence in their object, or stand where their sentence or the previous one names it.
"""

from __future__ import annotations

from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.words import Words

_OBJECT_WINDOW = 6  # tokens after "responsible", "behind", bare "claimed" that must name the attack
_LEGAL_WINDOW = 12  # tokens after "charged", "convicted", ... that hold the charge


def claims(w: Words, ctx: DocContext) -> list[Candidate]:
    """Claim predicates, except "no group has claimed", "claimed 30 lives", "the claims", blame with no attack."""
    low = ctx.low
    out: list[Candidate] = []
    for start, end, status in ctx.by_kind.get("CLAIM", ()):
        negated = any(low[j] in w.claim_negators for j in range(max(0, start - 4), start))
        if status == "claimed" and negated:
            continue
        conf = CONFIDENCE["claim"] if status != "attributed" else CONFIDENCE["claim_attributed"]
        if end - start == 1 and low[start] in w.claim_bare:
            if not _bare_claim(w, ctx, start, end):
                continue
            conf = CONFIDENCE["claim_bare"]
        if low[start] in w.claim_needs_context and not _blame_for_attack(w, ctx, start, end):
            continue
        if low[end - 1] in w.claim_object_heads and not _object_is_attack(w, ctx, start, end):
            continue
        if low[start] in w.legal_claims and (negated or not _legal_for_attack(w, ctx, start, end)):
            continue
        if _about_something_else(w, ctx, start, end):
            continue  # D2: a claim about an attack the article reports, not "took responsibility for the defeat"
        if status == "attributed" and any(c.start < start <= c.end + 2 for c in out):
            continue  # "claimed they were responsible": one claim, the claimant's
        out.append(Candidate(start, end, "CLAIM", {"claim_status": status}, conf))
    return out


def _bare_claim(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """Bare "claimed"/"claims" with the attack or the responsibility as what is claimed: "the Taliban
    claimed the attack", "claimed they were responsible"; not "claimed that", "claimed 30 lives",
    "claimed victory", "Russia claims it only targets terrorists", "responded to the claims"."""
    low, n = ctx.low, ctx.n
    if start and low[start - 1] in w.claim_noun_det:
        return False
    nxt = low[end] if end < n else 0
    the_attack = nxt == w.the and end + 1 < n and low[end + 1] in w.attack_words
    if the_attack:
        return True
    if nxt in w.claim_bare_stop:
        return False
    s1 = ctx.sent_bounds(start)[1]
    window = range(end, min(s1, end + _OBJECT_WINDOW))
    if any(j in ctx.nums or low[j] in w.claim_bare_stop for j in range(end + 1, min(n, end + 3))):
        return False  # "claimed 30 lives", "claimed at least 30 lives"
    return any(low[j] in w.claim_context for j in window)


def _blame_for_attack(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """"blamed", "accused": for an attack or a killing named in the sentence, not for lying or missing
    opportunities ("accused the official of lying")."""
    low = ctx.low
    s0, s1 = ctx.sent_bounds(start)
    if w.claim_context.isdisjoint(low[s0:s1]):
        return False
    return not (low[start] in w.accuse and any(
        low[j] == w.of and j + 1 < s1 and low[j + 1] not in w.accused_of_ok
        and low[j + 1] not in w.claim_context for j in range(end, min(s1, end + 6))))


def _object_is_attack(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """"was responsible", "is behind": responsibility for the attack ("responsible for the bombing",
    "behind it" after the attack, "ETA were responsible." after it), not for security or a province,
    not "behind the wheel", and no open question ("nobody knows who was behind the bombing")."""
    low, n = ctx.low, ctx.n
    prev = low[start - 1] if start else 0
    if prev in w.claim_wh_open or (prev == w.who and (
            start < 2 or low[start - 2] in w.claim_wh_question or ctx.cap[start - 1] or (start - 2) in ctx.end_set)):
        return False  # "who is behind the strikes remains unclear", "those who are responsible", "whoever"
    s1 = ctx.sent_bounds(start)[1]
    nxt = low[end] if end < n else 0
    if low[end - 1] == w.responsible:
        if nxt != w.for_:
            return (end in ctx.end_set or nxt in w.claim_no_object) and _attack_near(w, ctx, start)
        end += 1
    window = range(end, min(s1, end + _OBJECT_WINDOW))
    if any(low[j] in w.claim_context for j in window):
        return True
    return end < s1 and low[end] in w.claim_pronoun_objects and _attack_near(w, ctx, start)


def _legal_for_attack(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """D3's legal forms for the attack or a killing: not "charged with fraud", "not charged"."""
    low = ctx.low
    s1 = ctx.sent_bounds(start)[1]
    return not w.legal_context.isdisjoint(low[end:min(s1, end + _LEGAL_WINDOW)])


def _about_something_else(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """A claim whose object ("for ...", "in ...") names no attack, far from any attack (D2)."""
    return (end < ctx.n and ctx.low[end] in w.claim_object_preps and not _names_attack(w, ctx, end)
            and not _attack_near(w, ctx, start))


def _names_attack(w: Words, ctx: DocContext, end: int) -> bool:
    """Does the claim's object (the tokens after it, in its sentence) name the attack or a killing?"""
    s1 = ctx.sent_bounds(end - 1)[1]
    return not w.claim_attack_context.isdisjoint(ctx.low[end:min(s1, end + _OBJECT_WINDOW)])


def _attack_near(w: Words, ctx: DocContext, i: int) -> bool:
    """Does token i's sentence or the previous one name an attack or a killing (D2)?"""
    s0, s1 = ctx.sent_bounds(i)
    if ctx.sentence_has_attack(i) or (s0 > 0 and ctx.sentence_has_attack(s0 - 1)):
        return True
    p0 = ctx.sent_bounds(s0 - 1)[0] if s0 > 0 else s0
    return not w.claim_attack_context.isdisjoint(ctx.low[p0:s1])
