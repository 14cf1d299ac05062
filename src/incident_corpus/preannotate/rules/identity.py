"""Descriptions that carry a perpetrator's identity (guideline D1): "the 24-year-old", "the British-Libyan".

A trial or investigation report calls a named attacker by his age or origin as often as by his name. The
age or origin is learned where it stands beside a perpetrator's name ("Ali Vance, 24,", "Ali Vance, a
24-year-old student", "Ali Vance, the British-Libyan who") or inside a perpetrator description ("the
22-year-old suicide bomber"); its definite mentions elsewhere ("the 24-year-old's mother") are the same
person. An age or origin nobody in role has is left alone (a victim's, a witness's).
"""

from __future__ import annotations

from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.people import name_tok
from incident_corpus.preannotate.rules.words import Words


def identity_descriptions(w: Words, ctx: DocContext, perps: list[Candidate]) -> list[Candidate]:
    """The age and origin descriptions of the individual perpetrators in `perps`."""
    people = [c for c in perps if c.attributes.get("perpetrator_kind") == "individual"]
    if not people:
        return []
    low, n = ctx.low, ctx.n
    ages: set[int] = set()
    origins: set[tuple[int, ...]] = set()
    for c in people:
        ages.update(low[k] for k in range(c.start, c.end) if age_end(w, ctx, k))
        j = c.end + 1
        if not (j < n and low[c.end] == w.comma):
            continue
        if j in ctx.nums and j + 1 < n and (low[j + 1] == w.comma or (j + 1) in ctx.end_set):
            ages.add(low[j])  # "Ali Vance, 24,"
        if low[j] == w.the or low[j] in w.article:
            j += 1
        if age_end(w, ctx, j):
            ages.add(low[j])  # "Ali Vance, a 24-year-old student"
        else:
            e = _origin_end(w, ctx, j)
            if e:
                origins.add(tuple(low[j:e]))  # "Ali Vance, the British-Libyan who"
    ages |= _unowned_ages(w, ctx, people)
    if not ages and not origins:
        return []
    taken = {k for c in perps for k in range(c.start, c.end)}
    firsts = [*ages, *(o[0] for o in origins)]
    out: list[Candidate] = []
    for k in ctx.where(frozenset(firsts)):
        if not k or k in taken or not (low[k - 1] == w.the or low[k - 1] in w.article):
            continue
        end = age_end(w, ctx, k) if low[k] in ages else 0
        if not end and origins and ctx.cap[k]:
            e = _origin_end(w, ctx, k, loose=True)
            end = e if e and tuple(low[k:e]) in origins else 0
        if end:
            if end < n and low[end] in w.origin_heads:
                end += 1  # "the French national"
            elif low[k - 1] in w.indefinite:
                end = _described_end(w, ctx, end)  # "a 24-year-old former bus driver," (not "the 24-year-old wept,")
            out.append(Candidate(k, end, "PERPETRATOR", {"perpetrator_kind": "individual"},
                                 CONFIDENCE["entity_mention"]))
    return out


_AGE_REACH = 2  # sentences back from "the 24-year-old" to a perpetrator's mention it may refer to
_HURT_REACH = 3  # tokens from "the 24-year-old" to a word of harm that makes it a victim ("was killed")


def _unowned_ages(w: Words, ctx: DocContext, people: list[Candidate]) -> set[int]:
    """Ages the text gives only as "the 24-year-old", never to anyone by name or as "a 24-year-old", each time
    within two sentences after an attacker's mention and not before a word of harm: a report calls its attacker
    so once it has named him ("... blew himself up. Friends remember the 24-year-old as shy")."""
    low = ctx.low
    seen: dict[int, list[tuple[int, int]]] = {}  # age -> (its number, one past "year-old" or 0) per mention
    for k in ctx.nums:
        end = age_end(w, ctx, k)
        if end or (k and low[k - 1] == w.comma and k + 1 < ctx.n and low[k + 1] == w.comma):
            seen.setdefault(low[k], []).append((k, end))  # "the 24-year-old", "a 24-year-old", "X, 24,"
    if not seen:
        return set()
    sentences = sorted({ctx.sent_of(c.start) for c in people})
    hurt = {c for c, _e, v in ctx.by_kind.get("CUE", ()) if v}

    def the_attackers(k: int, end: int) -> bool:  # "the 24-year-old" near an attacker, before no harm
        return bool(k and end and low[k - 1] == w.the and _bare_age(w, ctx, end) and not any(
            t in hurt for t in range(end, end + _HURT_REACH)) and any(
            0 <= ctx.sent_of(k) - s <= _AGE_REACH for s in sentences))

    return {age for age, where in seen.items() if all(the_attackers(k, end) for k, end in where)}


def _bare_age(w: Words, ctx: DocContext, end: int) -> bool:
    """Is "the 24-year-old" ending at `end` no victim's or relative's description ("the 31-year-old victim",
    "the 24-year-old mother"): no person noun after it but a role's?"""
    if end >= ctx.n or ctx.cap[end]:
        return True
    low = ctx.low
    word = w.strings[low[end]]
    return low[end] in w.role_nouns or not (low[end] in w.kin_nouns or (
        word.isalpha() and word.endswith(w.person_endings)))


def aged_attackers(w: Words, ctx: DocContext, taken: set[int]) -> list[Candidate]:
    """An indefinite description with an age as an attack verb's subject introduces the attacker (D1): "a
    29-year-old electrician drove a van into the crowd" -> `29-year-old electrician`; so does the subject of a
    suspect predicate beside the attack ("a 27-year-old German man was charged ... after an attack")."""
    low = ctx.low
    out: list[Candidate] = []
    verbs = [a for a in ctx.attack_starts if low[a] in w.attack_verb_starts]
    # "A 27-year-old German man was charged with murder after an attack": the subject of a suspect predicate,
    # in a sentence that names the attack
    verbs += [k for k, _e, _v in ctx.by_kind.get("PSEED_AFTER", ()) if k and low[k - 1] in w.person_seed_skip and (
        ctx.sent_of(k) in {ctx.sent_of(a) for a in ctx.attack_starts})]
    for a in sorted(set(verbs)):
        if a < 3:
            continue
        j = a - 1
        while j > 0 and a - j <= 4 and (w.is_adverb(low[j]) or (a not in ctx.attack_starts and low[j] in
                                                                   w.person_seed_skip)):
            j -= 1
        s0 = ctx.sent_bounds(a)[0]
        for m in range(j, max(s0, j - 9), -1):
            end = age_end(w, ctx, m)
            if end and end <= j + 1 and m > s0 and low[m - 1] in w.article and all(
                    w.is_adjective_like(low[k]) for k in range(end, j + 1)) and not any(
                    k in taken for k in range(m, j + 1)):
                out.append(Candidate(m, j + 1, "PERPETRATOR", {"perpetrator_kind": "individual"},
                                     CONFIDENCE["person"]))
                break
    return out


def identified_descriptions(w: Words, ctx: DocContext, taken: set[int]) -> list[Candidate]:
    """The description an attacker is identified as, with an age (D1): "The assailant, identified as a 40-year-old
    Algerian doctoral student, was carrying" -> `40-year-old Algerian doctoral student`."""
    low, n = ctx.low, ctx.n
    roles = {e for s, e, _v in ctx.by_kind.get("PERP", ()) if low[s] in w.person_role_nouns}
    out: list[Candidate] = []
    for v in ctx.where(w.naming_verbs):
        if v + 3 >= n or low[v + 1] != w.as_ or low[v + 2] not in w.article or not any(
                r <= v and v - r <= 4 for r in roles):
            continue  # "the assailant, identified as a ...", "the attacker was identified as a ..."
        end = age_end(w, ctx, v + 3)
        if not end:
            continue
        e = end
        while e < n and e - end < _DESCRIPTION_MAX + 1 and e not in ctx.end_set and (
                w.is_adjective_like(low[e]) or name_tok(w, ctx, e)) and low[e] not in w.reporting_verbs:
            e += 1  # "Algerian doctoral student"
        if e > end and (e >= n or low[e] == w.comma or e in ctx.end_set or low[e] in w.place_preps) and not any(
                k in taken for k in range(v + 3, e)):
            out.append(Candidate(v + 3, e, "PERPETRATOR", {"perpetrator_kind": "individual"}, CONFIDENCE["person"]))
    return out


_DESCRIPTION_MAX = 4  # lower-case words after an age or origin that are its noun phrase


def _described_end(w: Words, ctx: DocContext, end: int) -> int:
    """The noun phrase an indefinite age opens, when a comma, *who* or a preposition follows it ("a 24-year-old
    former bus driver, who" -> `24-year-old former bus driver`, as the guideline's example 8); else `end`."""
    low, n = ctx.low, ctx.n
    e = end
    while e < n and e - end < _DESCRIPTION_MAX and e not in ctx.end_set and w.is_adjective_like(low[e]) and (
            low[e] not in w.reporting_verbs and low[e] != w.known and low[e] not in w.naming_verbs):
        e += 1  # not into "known to friends as" / "named as"
    if e > end and e < n and (low[e] in (w.comma, w.who, w.paren, w.from_, w.with_) or low[e] in w.place_preps):
        return e
    return end


def age_end(w: Words, ctx: DocContext, k: int) -> int:
    """One past "24-year-old" (or "24 year old", "nine-month-old") at k; 0 when there is none. The one reader of
    an age for every rule that steps over one (a perpetrator's description, a victim's, the name after it)."""
    low, n = ctx.low, ctx.n
    if k not in ctx.nums:
        return 0
    if k + 4 < n and low[k + 1] == w.hyphen and low[k + 2] in w.age_units and low[k + 3] == w.hyphen and (
            low[k + 4] == w.old):
        return k + 5
    if k + 2 < n and low[k + 1] == w.year and low[k + 2] == w.old:
        return k + 3
    return 0


def _origin_end(w: Words, ctx: DocContext, k: int, *, loose: bool = False) -> int:
    """One past an origin word at k ("British-Libyan", "French" before "national"): capitalised words,
    hyphens between, then a person noun of origin, "who" or a comma; 0 when there is none. `loose`: a
    compound origin (British-Libyan) may be followed by any lower-case word ("the British-Libyan had")."""
    low, n = ctx.low, ctx.n
    e = k
    while e < n and e not in ctx.end_set and (name_tok(w, ctx, e) or (
            low[e] == w.hyphen and e > k and name_tok(w, ctx, e + 1))) and e - k < 4:
        e += 1
    if e == k or e >= n:
        return 0
    if low[e] in w.origin_heads or low[e] == w.who or low[e] == w.comma:
        return e
    return e if loose and e - k > 1 and not ctx.cap[e] else 0
