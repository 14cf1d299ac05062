"""The party an attribution names (D1: held responsible; D3: official attribution is CLAIM): the noun phrase
after *blamed the attack on* / *attributed the bombings to*, and a group named as the agent of an attack (*by the
X*, *the Eastern Tigers have kidnapped*). A capitalised phrase becomes a learned group name (its other mentions
count); a lower-case one is a description kept when its head names people (*drug traffickers*, *separatists*),
not a cause (*lapses*).
"""

from __future__ import annotations

import numpy

from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.words import Words

_OBJECT_REACH = 6  # tokens from the blame verb to its "on" / "to" ("blamed last week's car bomb attack on")
_PHRASE_MAX = 4  # words in the blamed noun phrase
_ATTRIBUTE_REACH = 10  # tokens from "attributed" to its "to", past the attack's target


def blamed_phrases(w: Words, ctx: DocContext) -> list[tuple[int, int, bool]]:
    """[start, end) of each party blamed for an attack, and whether it is capitalised (a name); found once per
    document (the group names and the descriptions both ask)."""
    if ctx.blamed is not None:
        return ctx.blamed
    low = ctx.low
    out: list[tuple[int, int, bool]] = []
    ctx.blamed = out
    for c_start, (c_end, status) in ctx.claim_at.items():
        v = c_end - 1 - (c_end - c_start > 1 and low[c_end - 1] == w.for_)  # "blamed for" is one claim span
        if status != "attributed" or low[v] not in w.blame_verbs:
            continue
        s0, s1 = ctx.sent_bounds(c_start)
        if v > s0 and low[v - 1] in w.passive_aux:
            # "the bombing was blamed on X", "the attacks were attributed to X": the attack is the subject
            attack = any(a in ctx.attack_starts for a in range(s0, v))
            if attack and c_end + 1 < s1 and low[c_end] in w.blame_preps:
                out.extend(_coordinated(w, ctx, _phrase(w, ctx, c_end + 1, s1), s1))
            elif not attack and low[v + 1] == w.for_ and any(
                    a in ctx.attack_starts for a in range(v + 2, min(s1, v + 2 + _OBJECT_REACH))):
                # "JAD has been blamed for the attack": the subject is the party
                a = v
                while a > s0 and (low[a - 1] in w.passive_aux or low[a - 1] in w.perfect_aux):
                    a -= 1  # "has been"
                phrase = _phrase(w, ctx, s0, a)
                if phrase is not None and phrase[1] == a:
                    out.append(phrase)
            continue
        if low[c_start] not in w.blame_verbs:
            continue
        j, attack = c_end, False
        # "attributed the attack on UP leader Jaramillo Ossa to X": the party comes after "to", past the target
        preps, reach = (w.to_only, _ATTRIBUTE_REACH) if low[c_start] in w.attribute_verbs else (w.blame_preps,
                                                                                              _OBJECT_REACH)
        while j < s1 and j - c_end <= reach and low[j] not in preps and low[j] != w.comma:
            attack = attack or j in ctx.attack_starts
            j += 1
        if attack and j < s1 and low[j] in preps:
            out.extend(_coordinated(w, ctx, _phrase(w, ctx, j + 1, s1), s1))
        elif low[c_start] not in w.attribute_verbs:
            # "blamed Fulani herdsmen for the killings", "blamed separatists for the attack": the party, then "for"
            phrase = _phrase(w, ctx, c_end, s1)
            if phrase is not None and phrase[1] < s1 and low[phrase[1]] == w.for_ and any(
                    a in ctx.attack_starts or low[a] in w.claim_attack_context
                    for a in range(phrase[1] + 1, min(s1, phrase[1] + _OBJECT_REACH))):
                out.append(phrase)
            elif phrase is not None and phrase[2] and (phrase[1] >= s1 or phrase[1] in ctx.end_set) and (
                    any(s0 <= a < c_start for a in ctx.attack_starts)):
                out.append(phrase)  # a headline: "Gunmen Storm Church, Killing 8; Army Blames Red Hand Brigade"
    # "held the Red Hand responsible for the attack": the party between
    for v, _r in held_responsible(w, ctx):
        phrase = _phrase(w, ctx, v + 1, ctx.sent_bounds(v)[1])
        if phrase is not None:
            out.append(phrase)
    # "carried out by the Red Hand": a group's name after "by the" (a person's name is a seed)
    for k in sorted(k for b in w.by_words for k in numpy.flatnonzero(ctx.lows == b).tolist()):
        if k + 2 < ctx.n and low[k + 1] == w.the and ctx.cap[k + 2] and k > 0 and low[k - 1] in w.by_group_heads:
            phrase = _phrase(w, ctx, k + 1, ctx.sent_bounds(k)[1])
            if phrase is not None and phrase[2]:
                out.extend(_coordinated(w, ctx, phrase, ctx.sent_bounds(k)[1]))
    # "The Eastern Tigers have kidnapped": a name of two or more words after "the" as an attack verb's subject
    for a in ctx.attack_starts:
        if low[a] not in w.attack_verb_starts:
            continue
        m = _active_subject_end(w, ctx, a)
        e = m + 1
        while m >= 0 and ctx.cap[m] and low[m] not in w.not_name_words and m not in ctx.end_set:
            m -= 1
        if e - m > 2 and m >= 0 and low[m] == w.the and not any(
                low[k] in w.blame_not_parties or low[k] in w.place_words for k in range(m + 1, e)):
            out.append((m + 1, e, True))
    return out


_HELD_REACH = 7  # tokens from "held" to its "responsible" ("held the Sangha Liberation Front responsible")


def held_responsible(w: Words, ctx: DocContext) -> list[tuple[int, int]]:
    """(held, responsible) token pairs of "held X responsible for the attack" (D3's *held responsible* with its
    party between, not a state), where the sentence or the one before names the attack."""
    low = ctx.low
    out: list[tuple[int, int]] = []
    for v in ctx.where(w.hold_words):
        s0, s1 = ctx.sent_bounds(v)
        r = next((k for k in range(v + 2, min(s1, v + _HELD_REACH)) if low[k] == w.responsible or low[k] == w.comma),
                 None)
        if r is None or low[r] != w.responsible or any(low[k] in w.blame_not_parties for k in range(v + 1, r)):
            continue  # not a state or its forces: "held Russia responsible" is out of scope
        if ctx.sentence_has_attack(v) or (s0 > 0 and ctx.sentence_has_attack(s0 - 1)):
            out.append((v, r))
    return out


def _coordinated(w: Words, ctx: DocContext, phrase: tuple[int, int, bool] | None,
                 s1: int) -> list[tuple[int, int, bool]]:
    """`phrase` and the names coordinated after it: "blamed on the Red Dawn Front or the Andean People's Army",
    "carried out by the Zeta Brigade and the Night Hawks" (names only: "and their allies" is no party)."""
    out: list[tuple[int, int, bool]] = []
    while phrase is not None:
        out.append(phrase)
        e = phrase[1]
        if not phrase[2] or e + 1 >= s1 or (ctx.low[e] != w.or_ and ctx.low[e] != w.and_):
            break
        phrase = _phrase(w, ctx, e + 1, s1)
        if phrase is not None and not phrase[2]:
            break
    return out


def _phrase(w: Words, ctx: DocContext, i: int, s1: int) -> tuple[int, int, bool] | None:
    """The noun phrase at i (past *the*): a run of capitalised words (a name), or of lower-case modifiers and a
    head that names people; not a state, its forces or the police (out of scope)."""
    low = ctx.low
    if i < s1 and low[i] == w.the:
        i += 1
    if i >= s1:
        return None
    name = bool(ctx.cap[i]) and i not in ctx.nums
    e = i
    while e < s1 and e - i < _PHRASE_MAX and e not in ctx.end_set and (
            (ctx.cap[e] and low[e] not in w.not_name_words) if name else w.is_adjective_like(low[e])):
        e += 1
        if name and e + 1 < s1 and low[e] in w.possessive and any(
                ctx.text(m) in w.org_suffixes for m in range(e + 1, min(s1, e + 4)) if ctx.cap[m]):
            e += 1  # "the Andean People's Army": a possessive inside an organisation's name
        elif name and e + 2 < s1 and low[e] == w.of and ctx.cap[e + 1 + (low[e + 1] == w.the)] and (
                low[e + 1 + (low[e + 1] == w.the)] not in w.foreign_org_heads):  # not "Front of the Ejercito de ...
            e += 1 + (low[e + 1] == w.the)  # "the Sons of the Valley"
        elif name and e < s1 and low[e] in w.person_connectors:
            m = e
            while m < s1 and m - e < 3 and low[m] in w.person_connectors and not ctx.cap[m]:
                m += 1  # "Jaish al-Tahrir", "Tehreek-e-Taliban": small words and hyphens inside a name
            if m < s1 and m > e and ctx.cap[m]:
                e = m
    if e == i or any(low[m] in w.blame_not_parties and low[m] != w.hyphen for m in range(i, e)):
        return None  # a state, its forces or the police (the hyphen inside "Jaish al-Tahrir" is none of them)
    if name and e - i == 1 and e < s1 and people_noun(w, ctx, e) and not any(
            low[m] in w.state_names for m in range(i, e + 1)):
        return i, e + 1, False  # an identity before people, a description: "blamed Fulani herdsmen for the killings"
    if name and e < s1 and (low[e] in w.quotes or (w.is_adjective_like(low[e]) and low[e] not in w.group_nouns and
                                                   low[e] != w.responsible)):
        return None  # a modifier, not a name: "the Salvadoran air force", 'the Maoist "Shining Path"'
    if not name:
        head = ctx.text(e - 1).lower()
        if not head.endswith(w.agent_noun_endings):
            return None
    return i, e, name


def blamed_descriptions(w: Words, ctx: DocContext, taken: set[int]) -> list[Candidate]:
    """The lower-case parties blamed (*drug traffickers*), and those that are an attack verb's subject (*drug
    traffickers began a series of attacks*, *separatists attacked*), as descriptions of the perpetrators."""
    found = [(s, e) for s, e, name in blamed_phrases(w, ctx) if not name] + _agent_subjects(w, ctx)
    found += _responsible_subjects(w, ctx)
    return [Candidate(s, e, "PERPETRATOR", {"perpetrator_kind": "individual"}, CONFIDENCE["category_role"])
            for s, e in sorted(set(found)) if not any(k in taken for k in range(s, e))]


def _responsible_subjects(w: Words, ctx: DocContext) -> list[tuple[int, int]]:
    """A lower-case plural of people as the subject of *were responsible / were behind* in a sentence that
    names the attack: "police said they believed dissident republicans were responsible" (D1: held
    responsible)."""
    low = ctx.low
    out: list[tuple[int, int]] = []
    for c_start, (c_end, status) in ctx.claim_at.items():
        if status != "attributed" or low[c_end - 1] not in w.responsible_words or low[c_start] not in w.passive_aux:
            continue
        j = c_start - 1
        s0, s1 = ctx.sent_bounds(c_start)
        if j < s0 or not people_noun(w, ctx, j) or not (
                any(s0 <= a < s1 for a in ctx.attack_starts) or (s0 and ctx.sentence_has_attack(s0 - 1))):
            continue
        i = j
        while i > s0 and j - i < 2 and w.is_adjective_like(low[i - 1]) and not ctx.cap[i - 1] and (
                low[i - 1] not in w.reporting_verbs):
            i -= 1
        if not any(low[m] in w.blame_not_parties for m in range(i, j + 1)):
            out.append((i, j + 1))
    return out


def people_noun(w: Words, ctx: DocContext, k: int) -> bool:
    """Is token k a lower-case plural that names people by its ending (herdsmen, separatists, republicans)?"""
    return not ctx.cap[k] and ctx.text(k).lower().endswith(w.people_endings)


def _agent_subjects(w: Words, ctx: DocContext) -> list[tuple[int, int]]:
    """A lower-case plural of people right before a kept attack verb or a verb of planning one."""
    low = ctx.low
    out: list[tuple[int, int]] = []
    persons = {e - 1 for _s, e, _v in ctx.by_kind.get("PERSON", ())}  # "the brothers": the person rules' (D1)
    for a in ctx.attack_starts:
        v = a if low[a] in w.attack_verb_starts else next(
            (k for k in range(a - 1, max(-1, a - 6), -1) if low[k] in w.plan_verbs), None)
        if v is None:
            continue
        j = _active_subject_end(w, ctx, v)
        if j < 0 or ctx.cap[j] or j in persons or not ctx.text(j).lower().endswith(w.agent_noun_endings):
            continue
        i = j
        while i > 0 and j - i < 2 and w.is_adjective_like(low[i - 1]) and (i - 1) not in ctx.end_set:
            i -= 1
        if not any(low[m] in w.blame_not_parties for m in range(i, j + 1)):
            out.append((i, j + 1))
    return out


def _active_subject_end(w: Words, ctx: DocContext, v: int) -> int:
    """The last token of the subject of the active verb at v, past *has* / *had* and adverbs ("have now kidnapped");
    not seeds._subject_end, which also passes passives and appositions (a name there may be the one charged)."""
    j = v - 1
    while j > 0 and v - j <= 3 and (ctx.low[j] in w.perfect_aux or w.is_adverb(ctx.low[j])):
        j -= 1
    return j
