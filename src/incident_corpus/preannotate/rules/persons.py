"""Person nouns as perpetrators: an indefinite person in an attacker's place ("a man stabbed", "two men who
were passing by placed the explosives"), their definite repeats, and the other end of a range ("ranging from
extremist attackers to mentally unstable individuals")."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from incident_corpus.preannotate.rules.context import CONFIDENCE, Anchor, Candidate, DocContext
from incident_corpus.preannotate.rules.words import Words


def person_descriptions(w: Words, ctx: DocContext) -> tuple[list[Candidate], set[int]]:
    """Person nouns in a perpetrator's place ("a man stabbed", "two men blew themselves up"), and the heads
    they take from CASUALTY."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    out: list[Candidate] = []
    heads: set[int] = set()
    persons = ctx.by_kind.get("PERSON", ())
    acts = ctx.attack_starts if ctx.kept_attacks is None else ctx.kept_attacks
    # once per document: the anchors that stop a clause's search, and where the kept attack phrases end
    others = {a for kind in ("PERP", "PERSON", "GROUP") for a, _e, _v in ctx.by_kind.get(kind, ())} | {
        c for c, _e, v in ctx.by_kind.get("CUE", ()) if v} if persons else set()
    attack_ends = {e for s, e, _v in ctx.by_kind.get("ATK", ()) if s in ctx.attack_starts} if persons else set()
    violence = bool(acts) or any(v for _s, _e, v in ctx.by_kind.get("CUE", ()))
    in_role = [((end < n and (low[end] in w.person_next or end in acts or _act_past_phrase(w, ctx, end, acts)))
                or (violence and start and low[start - 1] in w.role_modifiers)  # "armed men", "masked men"
                or any(low[j] in w.person_before for j in range(max(0, start - 8), start))
                or _introduced_attacker(w, ctx, start, end, acts, others)
                or _agent_after_by(w, ctx, start, attack_ends))
               and not (start and low[start - 1] in w.victim_modifiers)  # "police named the dead man as"
               for start, end, _v in persons]
    # "a man believed to be responsible ... The man was caught on video": the definite repeat of a
    # description in role is the same person, so not a victim (not when it is hurt: "the man died");
    # D1 leaves it unmarked (a definite generic head), see below.
    known = {low[p[0]] for p, ok in zip(persons, in_role, strict=True) if ok and low[p[0]] in w.coreferent_heads}
    cue_starts = {c[0] for c in ctx.by_kind.get("CUE", ()) if c[2]} if known else set()
    for k, (start, end, _v) in enumerate(persons):
        if known and (not in_role[k] and low[start] in known and start and low[start - 1] == w.the
                and not any(j in cue_starts for j in range(end, min(n, end + 4)))
                and not (start > 1 and low[start - 2] == w.of)):  # "one of the men": a partitive
            in_role[k] = True
    for k, (start, end, _v) in enumerate(persons):
        if not in_role[k]:
            continue
        i = start
        while i > 0 and (low[i - 1] in w.person_left or (i - 1) in nums or ctx.cap[i - 1]
                         or low[i - 1] == w.ethnic or (low[i - 1] in w.hedge_words and (
                            i in nums or low[i] in w.hedge_words))) and (i - 1) not in ctx.end_set:
            i -= 1  # "about 10 men", "at least two men": the hedge is the count's
        while i < start and low[i] in w.hedge_words and low[i] not in w.hedge_start:
            i += 1  # not "of about 10 men"
        while i < start and (low[i] in w.article or (ctx.cap[i] and i not in nums and low[i] not in w.hedge_start
                                                     and low[i] not in w.person_left)):  # "Unidentified men"
            i += 1
        heads.add(start)
        if i == start and start and (low[start - 1] == w.the or low[start - 1] in w.possessive_det):
            continue  # D1: "the man", "his brother": a definite generic head is not a mention
        out.append(Candidate(i, end, "PERPETRATOR", {"perpetrator_kind": "individual"}, CONFIDENCE["person"]))
    return out, heads


_PHRASE_MAX = 4  # tokens of "on two motorbikes", "armed with knives" between a person noun and the act


def _act_past_phrase(w: Words, ctx: DocContext, end: int, acts: Collection[int]) -> bool:
    """Is an attack the verb after a short phrase of the person's means ("men on motorbikes opened fire", "two men
    armed with machetes attacked", "men in military uniforms stormed")?"""
    low, n = ctx.low, ctx.n
    if low[end] not in w.person_phrase_openers:
        return False
    m = end + 1
    while m < n and m - end <= _PHRASE_MAX and m not in acts and not ctx.cap[m] and low[m] != w.comma and (
            m not in ctx.end_set):
        m += 1
    return m in acts


def ramming_drivers(w: Words, ctx: DocContext) -> list[int]:
    """*the driver* in a text whose kept attack is a vehicle ramming: the role noun of "The driver was identified
    as X" (seeds.py). Not one the text hurts ("the driver was killed") nor one a noun before makes a victim's job
    ("a bus driver"). The driver itself is no proposed mention: that lowered the sealed PERPETRATOR score."""
    acts = ctx.attack_starts if ctx.kept_attacks is None else ctx.kept_attacks
    if not any(v == "vehicle_ramming" and s in acts for s, _e, v in ctx.by_kind.get("ATK", ())):
        return []
    low, n = ctx.low, ctx.n
    hurt = {c for c, _e, v in ctx.by_kind.get("CUE", ()) if v}
    out = []
    for k in ctx.where(w.ramming_drivers):
        if k and not (low[k - 1] == w.the or low[k - 1] in w.article or low[k - 1] in w.possessive_det
                      or (k - 1) in ctx.end_set):
            continue
        j = k + 1
        while j < n and j - k <= 3 and (low[j] in w.passive_aux or w.is_adverb(low[j])):
            j += 1
        if j > k + 1 and j in hurt:
            continue  # "the driver was killed": a victim
        out.append(k)
    return out


def _agent_after_by(w: Words, ctx: DocContext, start: int, attack_ends: Collection[int]) -> bool:
    """A person noun as the agent after *by* of an attack ("carried out by two men", "a bomb, planted by
    unidentified persons,")."""
    low = ctx.low
    k = start - 1
    while k > 0 and start - k <= 4 and (low[k] in w.person_left or k in ctx.nums or low[k] in w.article or (
            w.is_adjective_like(low[k]) and low[k] not in w.by_words)):
        k -= 1
    return k > 0 and low[k] in w.by_words and (low[k - 1] in w.by_group_heads or k in attack_ends)


_CLAUSE_MAX = 12  # tokens from a person noun to the attack verb its relative clause or first verb leaves


def _introduced_attacker(w: Words, ctx: DocContext, start: int, end: int, acts: Collection[int],
                         others: Collection[int]) -> bool:
    """An indefinite person noun whose verb, past a relative clause or a first verb, is a kept attack: "two men
    who were walking past the office placed the explosives", "a man walked into the mosque and opened fire".
    Not a victim ("a man was shot and the gunman fled"): the first word after the noun is no auxiliary."""
    low = ctx.low
    if end >= ctx.n or (low[end] in w.passive_aux and low[end] not in w.got) or not (start and (
            low[start - 1] in w.indefinite or (start - 1) in ctx.nums or low[start - 1] in w.person_left)):
        return False
    s1 = ctx.sent_bounds(start)[1]
    if low[end] == w.who:  # the attack inside the relative clause: "a man who stabbed three people was jailed"
        k = end + 1
        while k < s1 and k - end <= 3 and (low[k] in w.perfect_aux or w.is_adverb(low[k])):
            k += 1  # "a woman who had allegedly driven"
        if k in acts:
            return True
    # a relative clause or a prepositional phrase before the verb: "two men who were passing by placed", "two
    # men on a motorcycle threw"
    # ... or a participle clause: "two men riding a motorcycle opened fire", "men dressed in uniforms fired on"
    relative = low[end] in w.relative or low[end] in w.place_preps or low[end] == w.with_ or (
        low[end] in w.attire_participles or (w.strings[low[end]].endswith("ing") and not ctx.cap[end]))
    for k in range(end + 1, min(s1, end + _CLAUSE_MAX)):
        if low[k] == w.comma or k in ctx.end_set:
            return False
        if (k in others and k not in acts) or low[k] in w.reporting_verbs:
            return False  # another agent, a hurt word or a speech first: "a man who was wounded when militants
            # attacked", "a woman who lived nearby said the bomb exploded"
        if k in acts:
            prev = low[k - 1]
            if relative:  # the main verb after the clause: its word before is no determiner or preposition
                return k > end + 1 and prev not in w.passive_aux and prev not in w.device_nouns and (
                    w.is_adjective_like(prev) or (bool(ctx.cap[k - 1]) and prev not in w.article))
            return prev == w.and_ or (prev == w.then and low[k - 2] == w.and_)
    return False


def range_conjuncts(w: Words, ctx: DocContext, found: list[Candidate],
                     persons: Iterable[Anchor]) -> list[Candidate]:
    """"ranging from extremist attackers to mentally unstable individuals": the other end of the range."""
    low, n = ctx.low, ctx.n
    heads = {s: e for s, e, _v in persons}
    heads.update((s, e) for s, e, _v in ctx.by_kind.get("PERP", ()))
    out: list[Candidate] = []
    for c in found:
        i, end = c.start, c.end
        if not (i and low[i - 1] == w.from_ and end < n and low[end] == w.to):
            continue
        j = end + 1
        while j < n and j - end <= 3 and j not in heads and (
                w.is_adjective_like(low[j]) or w.is_adverb(low[j])):
            j += 1
        if j in heads:
            out.append(Candidate(end + 1, heads[j], "PERPETRATOR", {"perpetrator_kind": "individual"}, c.score))
    return out
