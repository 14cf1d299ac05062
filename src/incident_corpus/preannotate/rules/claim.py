"""CLAIM: claim predicates with their status, less the allegations, tolls and blame without an attack."""

from __future__ import annotations

from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.words import Words

_LEGAL_WINDOW = 10  # tokens after "charged", "convicted", ... that must name the attack or the killing


def claims(w: Words, ctx: DocContext) -> list[Candidate]:
    """Claim predicates, except "no group has claimed", "claimed 30 lives", "the claims", blame with no attack."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    out: list[Candidate] = []
    for start, end, status in ctx.by_kind.get("CLAIM", ()):
        negated = any(low[j] in w.claim_negators for j in range(max(0, start - 4), start))
        if status == "claimed" and negated:
            continue
        conf = CONFIDENCE["claim"] if status != "attributed" else CONFIDENCE["claim_attributed"]
        if end - start == 1 and low[start] in w.claim_bare:
            nxt = low[end] if end < n else 0
            if start and low[start - 1] in w.claim_noun_det:
                continue  # "responded to the claims": allegations, not a claim of responsibility
            the_attack = nxt == w.the and end + 1 < n and low[end + 1] in w.attack_words
            if nxt in w.claim_bare_stop and not the_attack:
                continue  # "claimed that", "claimed the lives of"
            if not the_attack and any(j in nums or low[j] in w.claim_bare_stop
                                      for j in range(end + 1, min(n, end + 3))):
                continue  # "claimed 30 lives", "claimed at least 30 lives"
            conf = CONFIDENCE["claim_bare"]
        if low[start] in w.claim_needs_context:
            s0, s1 = ctx.sent_bounds(start)
            if w.claim_context.isdisjoint(low[s0:s1]):
                continue  # "accuses the official of lying": blame, but not for an attack
            if low[start] in w.accuse and any(
                    low[j] == w.of and j + 1 < s1 and low[j + 1] not in w.accused_of_ok
                    and low[j + 1] not in w.claim_context for j in range(end, min(s1, end + 6))):
                continue  # "accused the security services of missing opportunities"
        if low[start] in w.legal_claims:
            s1 = ctx.sent_bounds(start)[1]
            if negated or w.legal_context.isdisjoint(low[end:min(s1, end + _LEGAL_WINDOW)]):
                continue  # D3's legal forms, for the attack or a killing: not "charged with fraud", "not charged"
        if status == "attributed" and any(c.start < start <= c.end + 2 for c in out):
            continue  # "claimed they were responsible": one claim, the claimant's
        out.append(Candidate(start, end, "CLAIM", {"claim_status": status}, conf))
    return out

