"""PERPETRATOR: group names, descriptions of attackers and named people, each only in a perpetrator role.

PERPETRATOR is entity-level (guideline D1): a group or person that one mention puts in a
perpetrator role (the agent of an attack or claim, the party blamed or charged: the role test in
`people.py`; person seeds in `seeds.py`) is marked in every mention, across the names
`entities.py` joins (aliases, transliterations, an acronym in parentheses). Role nouns (*gunmen*,
*bomber*, *suspect*) name attackers by themselves. Unknown names come from name shapes
(`Lashkar-e-X`, `X Front`, `Provisional X`) and from the article itself.
"""

from __future__ import annotations

import numpy

from incident_corpus.preannotate.rules.blame import blamed_descriptions
from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext, speaks_of_terror
from incident_corpus.preannotate.rules.entities import (
    name_key,
    spelling_variants,
)
from incident_corpus.preannotate.rules.group_names import NAMING_MAX, group_names
from incident_corpus.preannotate.rules.identity import aged_attackers, identified_descriptions, identity_descriptions
from incident_corpus.preannotate.rules.people import (
    background,
    is_place,
    listed_full_names,
    name_ok,
    role,
    role_noun_as_verb,
    run_at,
    run_ending,
)
from incident_corpus.preannotate.rules.persons import person_descriptions, range_conjuncts
from incident_corpus.preannotate.rules.seeds import leader_seeds, person_seeds
from incident_corpus.preannotate.rules.words import Words


def perpetrators(w: Words, ctx: DocContext) -> tuple[list[Candidate], set[int]]:
    """Named groups, descriptions, named people and counted suspects in role; with the heads of the
    person nouns taken (CASUALTY leaves them alone: "the man" who attacked is not a victim)."""
    names, keys = group_names(w, ctx)
    out: list[Candidate] = []
    name_ends: dict[int, int] = {}
    # D1: a group one mention ties to an attack is a perpetrator in every mention (background ones too)
    mentions: list[tuple[int, int, str, str, bool]] = []
    in_role: set[str] = set()
    for start, end, source in names:
        name_ends[end] = min(start, name_ends.get(end, start))
        if is_place(w, ctx, end) or all(ctx.low[k] in w.state_names or ctx.low[k] in w.country_names
                                        for k in range(start, end)):
            continue  # a place; a state ("Iran denied it had attacked the tankers"): states are no perpetrators
        key = keys.find(name_key(w, ctx, start, end))
        speaks = end < ctx.n and ctx.low[end] in w.speaker_nouns  # "a Taliban spokesman claimed": the group claims
        ok = (name_ok(w, ctx, start, end) or speaks) and (role(w, ctx, start, end, killers=True) or (
            source == "group" and ctx.sentence_has_attack(start) and not background(w, ctx, start) and not (
                end < ctx.n and ctx.low[end] in w.target_nouns)))  # "bombed Islamic State targets": the target
        if ok:
            in_role.add(key)
        mentions.append((start, end, source, key, ok))
    in_role |= _coordinated_with(w, ctx, mentions)
    for start, end, source, key, ok in mentions:
        if key in in_role:
            conf = CONFIDENCE[f"{source}_role"] if ok else CONFIDENCE["entity_mention"]
            out.append(Candidate(start, end, "PERPETRATOR", {"perpetrator_kind": "organisation"}, conf))
    descs, heads = _descriptions(w, ctx, name_ends)
    out.extend(descs)
    out.extend(_group_appositions(w, ctx, out))
    arrested = _arrested(w, ctx)
    groups = {k for s, e, src in names if src != "learned" for k in range(s, e)}
    people = _person_names(w, ctx, groups, leader_seeds(w, ctx, [c for c in out if c.attributes.get(
        "perpetrator_kind") == "organisation"]) | _named_in_apposition(w, ctx, [*descs, *arrested]))
    if people:  # "Ali Vance denied the charges": a learned name that is a person's is no group
        taken = {(c.start, c.end) for c in people}
        out = [c for c in out if (c.start, c.end) not in taken]
        out.extend(people)
        heads = heads | {c.start for c in people}  # D1: a perpetrator is no victim ("Tamerlan was killed")
    aged = aged_attackers(w, ctx, {k for c in out for k in range(c.start, c.end)})  # "a 29-year-old ... drove"
    out.extend(aged)
    heads = heads | {c.end - 1 for c in aged}  # "A 26-year-old man has been found guilty of murdering": no victim
    out.extend(identified_descriptions(w, ctx, {k for c in out for k in range(c.start, c.end)}))
    out.extend(identity_descriptions(w, ctx, out))  # "the 24-year-old": a named or a described attacker's age
    out.extend(arrested)
    return out, heads


_COORDINATION_GAP = 7  # tokens between two names joined by "or": '"Red Dawn" group or the Guevarist "'


def _coordinated_with(w: Words, ctx: DocContext, mentions: list[tuple[int, int, str, str, bool]]) -> set[str]:
    """The keys of the group names joined by *or* / *and* to a name in role (a name's role covers its coordinate:
    "blamed the bombing on the Red Dawn Front or the Andean People's Army", "carried out by the Maoist \"Red Dawn\"
    group or the Guevarist \"Andean People's Army\" (EPA) group"); states are no mentions here."""
    low = ctx.low
    ok_ends = {end for _s, end, _src, _k, ok in mentions if ok}
    out: set[str] = set()
    for start, _end, _src, key, ok in mentions:
        if ok or not start:
            continue
        k = start - 1
        first = start - (low[start - 1] in w.quotes)  # the name's opening quote
        while k > 0 and start - k < _COORDINATION_GAP and low[k] != w.or_ and low[k] != w.and_ and (
                low[k] == w.the or low[k] in w.quotes or (ctx.cap[k] and k + 1 == first)):
            k -= 1  # "or the Guevarist \"": the article, a quote, one modifier
        if k <= 0 or (low[k] != w.or_ and low[k] != w.and_) or ctx.sent_of(k) != ctx.sent_of(start):
            continue
        j = k - 1  # back past the first name's group noun, quotes and acronym: '"Red Dawn" group', "(EPA)"
        while j > 0 and k - j < _COORDINATION_GAP and j + 1 not in ok_ends and (
                low[j] in w.quotes or low[j] in w.group_nouns or low[j] == w.paren_close or low[j] == w.paren or
                (low[j + 1] == w.paren_close and low[j - 1] == w.paren)):
            j -= 1
        if j + 1 in ok_ends:
            out.add(key)
    return out


_APPOSITION_WORDS = 6  # words of "a small chat-based jihadist network" between the article and its head


def _group_appositions(w: Words, ctx: DocContext, perps: list[Candidate]) -> list[Candidate]:
    """A perpetrator group's description in apposition is its mention too (D1: a description with role or
    identity): "LTN, a small jihadist network based in Idlib", "Jeshi la Haki (JLH), a coastal militia", "al-Shabab
    (also spelled al-Shabaab), the Somali jihadist group whose fighters ..."."""
    low, n = ctx.low, ctx.n
    heads = {s: e for s, e, v in ctx.by_kind.get("PERP", ()) if v == "organisation"}
    taken = {k for c in perps for k in range(c.start, c.end)}
    out: list[Candidate] = []
    for c in perps:
        if c.attributes.get("perpetrator_kind") != "organisation":
            continue
        j = c.end
        if j < n and low[j] == w.paren:  # past "(JLH)", "(also spelled al-Shabaab)"
            j = next((m + 1 for m in range(j + 1, min(n, j + _APPOSITION_WORDS + 4)) if low[m] == w.paren_close), j)
        if not (j + 2 < n and low[j] == w.comma and (low[j + 1] in w.indefinite or low[j + 1] == w.the)):
            continue
        a = j + 2
        k = a
        while k < n and k - a < _APPOSITION_WORDS and k not in heads and k not in ctx.end_set and (
                w.is_adjective_like(low[k]) or low[k] == w.hyphen or ctx.cap[k]):
            k += 1  # "a small chat-based jihadist network", "the Somali jihadist group"
        if k > a and k in heads and heads[k] - k == 1 and not any(m in taken for m in range(a, heads[k])):
            # (with content: not the bare anaphor of "X, a group that police suspect")
            out.append(Candidate(a, heads[k], "PERPETRATOR", {"perpetrator_kind": "organisation"},
                                 CONFIDENCE["entity_mention"]))
            taken.update(range(a, heads[k]))
    return out


def _named_in_apposition(w: Words, ctx: DocContext, descs: list[Candidate]) -> set[tuple[int, int]]:
    """The people a plural perpetrator description names in apposition (D1): "sentenced three men, Iskandar
    Ehet, Turgun Tohtunyaz and Hasayn Muhammad, to death for organising the attack"; full names joined by commas
    and *and*, the list closed by a comma or the sentence's next word."""
    low = ctx.low
    out: set[tuple[int, int]] = set()
    for c in descs:
        if c.attributes.get("perpetrator_kind") != "individual" or ctx.cap[c.end - 1] or not (
                w.strings[low[c.end - 1]].endswith("s") or w.strings[low[c.end - 1]].endswith("men")):
            continue
        listed = listed_full_names(w, ctx, c.end)
        if len(listed) >= 2 and any(by_and for _a, _b, by_and in listed[1:]):
            out.update((a, b) for a, b, _x in listed)
    return out


_INCLUDING_MAX = 16  # tokens of ", including an Albanian couple suspected of supplying him with a pistol,"


def _arrested(w: Words, ctx: DocContext) -> list[Candidate]:
    """Suspects by count: "police arrested 12 people, seven women and five men in connection with",
    "34 people were involved in the attack"."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    out: list[Candidate] = []
    for s0, e0, _v in ctx.by_kind.get("VICTIM", ()):
        n0 = s0 - 1 - (s0 > 1 and low[s0 - 1] in w.count_others)  # "three other men", "two more suspects"
        if not (n0 >= 0 and n0 in nums):
            continue
        j = e0
        if j + 1 < n and low[j] == w.comma and low[j + 1] in w.list_openers:
            close = next((c for c in range(j + 2, min(ctx.sent_bounds(j)[1], j + _INCLUDING_MAX)) if low[c] == w.comma),
                         None)  # "Five other people, including an Albanian couple, were charged"
            j = close + 1 if close is not None else j
        k0 = j
        while j < n and (low[j] in w.passive_aux or low[j] in w.perfect_aux or (j > k0 and (
                w.is_adverb(low[j]) or low[j] in w.gap_adverbs))) and (
                j - k0 < 4):
            j += 1  # "Two men were later convicted of the attack"
        involved = j < n - 1 and low[j] == w.involved and low[j + 1] == w.in_
        # "three men have been arrested over the bombing": the arrest is for the attack, named after it; a headline's
        # passive has no auxiliary ("Two Brothers Sentenced to Life for Market Bombing")
        headline = j == k0 and n0 == ctx.sent_bounds(n0)[0]
        arrested = (j > k0 or headline) and j < n and low[j] in w.arrest_verbs and any(
            a in ctx.attack_starts for a in range(j + 2, min(ctx.sent_bounds(j)[1], j + 8)))
        if low[s0] in w.arrested_heads and (involved or arrested) and ctx.sentence_has_attack(j):
            out.append(Candidate(n0, e0, "PERPETRATOR", {"perpetrator_kind": "individual"},
                                 CONFIDENCE["category_role"]))
    for k, _e, _v in ctx.by_kind.get("PSEED_BEFORE", ()):
        if low[k] not in w.arrest_verbs:
            continue
        j = k + 1
        while j < n:
            i = j
            while j < n and (j in nums or low[j] in w.hedge_words) and j - i < 4:
                j += 1
            if j == i or not any(m in nums for m in range(i, j)) or j >= n or low[j] not in w.arrested_heads:
                break
            out.append(Candidate(i, j + 1, "PERPETRATOR", {"perpetrator_kind": "individual"},
                                 CONFIDENCE["category_role"]))
            j += 1
            if j < n and low[j] in (w.comma, w.and_):
                j += 1
            else:
                break
    return out

# Named people: no lexicon can know them, so a name is learned where the sentence makes the
# person a perpetrator (an appositive role noun, a suspect predicate, the subject of an attack
# verb); its other mentions (the surname alone too) are perpetrators where they are in role.


def _person_names(w: Words, ctx: DocContext, groups: set[int], leaders: set[tuple[int, int]]
                  ) -> list[Candidate]:
    """Every mention of a learned person's name (the surname alone too) that is a seed (or a perpetrator
    group's leader) or in role; not a group's name (the tokens of `groups`: "carried out by Boko Haram")."""
    if not ctx.attack_starts and not ctx.kept_attacks and not _attackers_killed(w, ctx):
        return []  # an attack: a trigger, a device subject ("a bomb killed nine people"), or attackers who killed
    if not speaks_of_terror(w, ctx) and not any(ctx.low[a] in w.shooter_nouns for a, _e, _v in ctx.by_kind.get(
            "PERP", ())) and not any(v in w.terror_attack_types or (not v and a in ctx.attack_starts)
                                     for a, _e, v in ctx.by_kind.get("ATK", ())):
        return []  # a named killer in a text with no group, no word of terror, no gunman and no ramming: crime news
    seeds = {r for r in person_seeds(w, ctx) | leaders if not any(k in groups for k in range(*r))}
    if not seeds:
        return []
    low = ctx.low
    state = _state_surnames(w, ctx)
    seeds = {r for r in seeds if low[r[1] - 1] not in state}  # "Officer Michael Slager ... Slager was charged"
    if not seeds:
        return []
    strings = w.strings
    full: set[tuple[int, ...]] = set()
    parts: set[int] = set()
    for a, b in seeds:
        full.add(tuple(low[a:b]))
        if b - a >= 2:
            # the first name and the surname; of three words or more also the one before the last, a paternal
            # surname ("Jose Aldemar Rojas Rodriguez" ... "Rojas")
            for k in (a, b - 1, b - 2) if b - a >= 3 else (a, b - 1):
                if len(ctx.doc[k].text) > 2 and ctx.cap[k] and low[k] not in w.state_names and (
                        low[k] not in w.country_names):  # "Abu Mahdi al-Iraqi": not every "Iraqi" after
                    parts.add(low[k])
                    parts.add(strings.add(strings[low[k]] + "s"))  # "the Vances"
    full |= _full_names_of_surnames(w, ctx, seeds)
    canon = spelling_variants(ctx, {low[k] for a, b in seeds if b - a >= 2 for k in (a, b - 1)})
    parts |= set(canon)
    out: list[Candidate] = []
    seen: set[tuple[int, int]] = set()
    _mentions(w, ctx, seeds, (full, parts, canon), parts | {f[0] for f in full}, seen, out)
    # "Omar and Ali Vance": a first name joined to a known one is that family's member, in every mention
    conjuncts: set[int] = set()
    for c in list(out):
        if c.start >= 2 and low[c.start - 1] == w.and_:
            run = run_ending(w, ctx, c.start - 2)
            if run is not None and run not in seen:
                seen.add(run)
                out.append(Candidate(run[0], run[1], "PERPETRATOR", {"perpetrator_kind": "individual"},
                                     CONFIDENCE["person_name"]))
                if run[1] - run[0] == 1:
                    full.add((low[run[0]],))
                    full.add((low[run[0]], *low[c.start + 1:c.end]))
                    conjuncts.add(low[run[0]])
    if conjuncts:
        parts |= conjuncts
        _mentions(w, ctx, seeds, (full, parts, canon), conjuncts, seen, out)
    return out


def _full_names_of_surnames(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> set[tuple[int, ...]]:
    """The full name of a person seeded by the surname alone ("Saadallah has admitted the killings" after "Khairi
    Saadallah, 26, denies murder"), when the text has exactly one full name ending in it: with two (a relative,
    "his brother Ali Saadallah") the surname tells them apart no more."""
    low = ctx.low
    out: set[tuple[int, ...]] = set()
    for a, b in seeds:
        if b - a != 1:
            continue
        names = set()
        for k in numpy.flatnonzero(ctx.lows == low[a]).tolist():
            run = run_at(w, ctx, k)
            if run is not None and run[1] == k + 1 and run[1] - run[0] >= 2:
                names.add(tuple(low[run[0]:run[1]]))
        if len(names) == 1:
            out |= names
    return out


def _attackers_killed(w: Words, ctx: DocContext) -> bool:
    """A role noun of attackers in a sentence with an outcome or an attacker's verb: "suicide bombers killed 32
    people", "suicide bombers struck three churches" (*struck* is an attack only after an attacker)."""
    cue_sents = {ctx.sent_of(c) for c, _e, v in ctx.by_kind.get("CUE", ()) if v}
    cue_sents.update(ctx.sent_of(a) for a, _e, _v in ctx.by_kind.get("ATK_AGENT", ()))
    return any(ctx.low[s] in w.person_role_nouns and ctx.sent_of(s) in cue_sents
               for s, _e, _v in ctx.by_kind.get("PERP", ()))


def _state_surnames(w: Words, ctx: DocContext) -> set[int]:
    """The surnames of the people the text titles as police or as a state's leaders ("Officer Michael Slager",
    "President Bashar al-Assad"): a state and its forces are never PERPETRATOR, whatever they are charged with
    or accused of. Not military ranks: rebels have commanders and generals too."""
    out: set[int] = set()
    for p in ctx.where(w.state_and_police_titles):
        if p + 1 < ctx.n and ctx.cap[p + 1] and p + 1 not in ctx.end_set and p not in ctx.end_set:
            run = run_at(w, ctx, p + 1)
            if run is not None and run[0] == p + 1:
                out.add(ctx.low[run[1] - 1])
    return out


def _mentions(w: Words, ctx: DocContext, seeds: set[tuple[int, int]],
              names: tuple[set[tuple[int, ...]], set[int], dict[int, int]], tokens: set[int],
              seen: set[tuple[int, int]], out: list[Candidate]) -> None:
    """Add to `out` the name runs through a word of `tokens` that are a seed, the same person (`names`:
    the full names, their parts, spelling variants) or in role."""
    full, parts, canon = names
    low = ctx.low
    hits: set[int] = set()
    for t in tokens:
        hits.update(numpy.flatnonzero(ctx.lows == t).tolist())
    for k in sorted(hits):
        run = run_at(w, ctx, k)
        if run is None or run in seen or (run[1] - run[0] == 1 and low[run[0]] in w.country_names):
            continue  # a country is no person: "Honduras" beside the seed "Hondurans Juan Bautista"
        words = tuple(canon.get(x, x) for x in low[run[0]:run[1]])
        if words in full or any(low[m] in parts for m in range(*run)):
            if not name_ok(w, ctx, *run) or (run not in seeds and not _same_person(words, full, parts)
                                             and not role(w, ctx, *run)):
                continue  # D1: every mention of the person; another name sharing a part needs a role
            seen.add(run)
            conf = CONFIDENCE["person_seed" if run in seeds else "person_name"]
            out.append(Candidate(run[0], run[1], "PERPETRATOR", {"perpetrator_kind": "individual"}, conf))


def _same_person(words: tuple[int, ...], full: set[tuple[int, ...]], parts: set[int]) -> bool:
    """Are the name's `words` (spelling variants mapped) the full name again, or a surname or first name
    alone (D1: "Tsarnaev", "Tamerlan")? Not another full name that only shares a part ("Anzor Tsarnaev",
    the father)."""
    if words in full or (len(words) == 1 and words[0] in parts):
        return True
    k = len(words)  # the first names or the surname of a longer name: "Jean-Marc", "Sainz de la Peña"
    if any(len(f) > k and (f[:k] == words or f[-k:] == words) for f in full):
        return True
    return any(f[0] == words[0] and f[-1] == words[-1] for f in full)


def _descriptions(w: Words, ctx: DocContext, name_ends: dict[int, int]) -> tuple[list[Candidate], set[int]]:
    """Descriptions of attackers: role nouns always, category nouns (militants) and groups by role."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    out: list[Candidate] = []
    repeats: list[Candidate] = []
    in_role_heads: set[int] = set()
    violence = _violence_here(ctx)  # asked once per text, not per description
    for start, end, kind in ctx.by_kind.get("PERP", ()):
        if end < n and low[end] in w.modifier_heads:
            continue  # "terrorist groups", "militant attack": a modifier, not the head
        if end + 1 < n and not ctx.cap[end] and low[end] in w.modifier_fillers and low[end + 1] in w.modifier_heads:
            continue  # "a jihadist van attack", "terrorist criminal conspiracy": a modifier two words before its head
        if role_noun_as_verb(w, ctx, start, end):
            continue  # "police suspect the Front of the attack": the verb, not a suspect
        if start and low[start - 1] in w.former_words and not role(w, ctx, start, end):
            continue  # "Ridwan Hakim, a former militant who now works on a deradicalisation programme"
        i = start
        has_number = False
        while i > 0:
            prev = low[i - 1]
            if (prev in w.perp_mods and prev != w.of) or ((i - 1) in nums and prev not in w.ordinals) or (
                    prev == w.hyphen and i > 1 and low[i - 2] in w.compound_participles):
                has_number = has_number or (i - 1) in nums or prev in w.quantity
                i -= 1
            elif prev in w.compound_participles and i > 1 and low[i - 2] == w.hyphen:
                i -= 2
                if i > 0 and (ctx.cap[i - 1] or (ctx.doc[i - 1].text.isalpha() and (i - 1) not in ctx.end_set)):
                    i -= 1  # "ISIS-inspired", "knife-wielding": the word before the hyphen too
                    while i > 1 and low[i - 1] == w.hyphen and not ctx.doc[i - 1].whitespace_ and (
                            not ctx.doc[i - 2].whitespace_ and ctx.doc[i - 2].text.isalpha()):
                        i -= 2  # "al-Qaeda-linked": the whole hyphenated name
                    if i > 0 and ctx.cap[i] and low[i - 1] in w.foreign_connectors:
                        i -= 1  # "the al Qaeda-linked group": the particle before the name
            elif i in name_ends:
                i = name_ends[i]
            elif kind == "organisation" and (k := _indefinite_modifiers(w, ctx, i)) is not None:
                i = k  # "a leftist guerrilla group", "an obscure Marxist faction": whatever its creed
                break
            elif ctx.cap[i - 1] and i - 1 not in ctx.end_set and (
                    low[start] in w.fighter_nouns and low[i - 1] not in w.person_stop and low[i - 1] not in w.article):
                i -= 1  # "Maoist rebels", "Kurdish militants": an identity before the fighters (D1), or a name:
                while i > 0 and ctx.cap[i - 1] and i - 1 not in ctx.end_set and low[i - 1] not in w.person_stop and (
                        low[i - 1] not in w.article and (i - 1) not in ctx.nums and low[i - 1] not in w.time_words
                        and low[i - 1] not in w.place_preps):
                    i -= 1  # "Sendero Rojo guerrillas", "Free Syrian Army rebels"
                break
            else:
                break
        while i < start and low[i] in w.article:
            i += 1
        if kind == "organisation" and i == start and end - start == 1 and low[start] not in w.perp_org_bare_ok and not (
                start and (low[start - 1] in w.ordinals or low[start - 1] in w.indefinite)):
            continue  # "the group": a bare anaphor, per the guideline (not "a second cell", which introduces one)
        if i >= 3 and low[i - 1] in w.partitive_det and low[i - 2] == w.of and (i - 3) in nums:
            i -= 3  # partitive: "three of the suspects"
            has_number = True
        if kind == "organisation":
            if end < n and low[end] == w.of and low[start] in w.group_nouns and not ctx.cap[start]:
                continue  # "a group of terrorists": a quantity of them; the head comes after
            if start in name_ends or _follows_name(w, ctx, i, name_ends) or _precedes_name(w, ctx, end, name_ends):
                continue  # '"Islamic State" militant group': the name is the span
            if role(w, ctx, i, end, killers=True):  # a group murders as it attacks ("death squads murdered")
                conf = CONFIDENCE["org_role"]
            elif violence and _named_group_described(w, ctx, i, start):
                conf = CONFIDENCE["entity_mention"]  # D1: "the extremist group said ..." in a text naming the group
            else:
                continue
        elif (low[start] in w.role_nouns and violence) or (
                low[i:start] and any(t in w.role_modifiers for t in low[i:start])) or (
                low[start] in w.role_nouns_in_attack_text and _attackers_here(w, ctx, i, start, end)):
            conf = CONFIDENCE["role_noun"]
        else:
            if not (role(w, ctx, i, end, killers=True) or (has_number and ctx.sentence_has_attack(start) and not (
                    _the_killed(w, ctx, i, end)))):
                if i == start and start and low[start - 1] == w.the:
                    repeats.append(Candidate(i, end, "PERPETRATOR", {"perpetrator_kind": kind},
                                             CONFIDENCE["entity_mention"]))
                continue
            conf = CONFIDENCE["category_role"]
            in_role_heads.add(low[end - 1])
        out.append(Candidate(i, end, "PERPETRATOR", {"perpetrator_kind": kind}, conf))
    # D1: "militants stormed the hotel ... the militants": the definite repeat of a role noun in role
    out.extend(c for c in repeats if low[c.end - 1] in in_role_heads)
    people, heads = person_descriptions(w, ctx)
    out.extend(people)
    out.extend(blamed_descriptions(w, ctx, {k for c in out for k in range(c.start, c.end)}))
    out.extend(range_conjuncts(w, ctx, out, ctx.by_kind.get("PERSON", ())))
    return out, heads


_INDEFINITE_MODIFIERS = 4  # words of "a little-known leftist guerrilla group" between the article and the head


def _indefinite_modifiers(w: Words, ctx: DocContext, i: int) -> int | None:
    """The start of the modifiers between an indefinite article and a group's head ("a leftist guerrilla group",
    "an obscure Marxist faction", "a little-known separatist cell"): no lexicon lists every creed, and nothing
    but modifiers stands between "a" and the head. None when anything else does ("in a group")."""
    low, doc = ctx.low, ctx.doc
    s0 = ctx.sent_bounds(i)[0]
    k, words = i, 0
    while k > s0 and words <= _INDEFINITE_MODIFIERS:
        t = low[k - 1]
        if t in w.indefinite:
            return k if k < i else None
        if t in w.ordinals:
            return None  # "a second cell": an ordinal determiner, no part of the description (guideline example 6)
        if k - 2 > s0 and t == w.hyphen and not doc[k - 2].whitespace_ and not doc[k - 1].whitespace_:
            k -= 2  # "little-known": the word before the hyphen too
        elif w.is_adjective_like(t) or (ctx.cap[k - 1] and k - 1 > s0 and doc[k - 1].text.isalpha()):
            k -= 1
            words += 1
        else:
            return None
    return None


def _the_killed(w: Words, ctx: DocContext, i: int, end: int) -> bool:
    """Counted fighters who are the ones killed, not the attackers: "the army said it killed 30 militants", "12
    militants were killed in the operation"."""
    low, n = ctx.low, ctx.n
    if i and low[i - 1] in w.object_kill_verbs:
        return True
    j = end
    while j < n and j - end <= 3 and (low[j] in w.passive_aux or w.is_adverb(low[j])):
        j += 1
    if j < n and any(c == j and v for c, _e, v in ctx.by_kind.get("CUE", ())) and low[j] not in w.object_kill_verbs:
        return True  # "two militants died in a gunfight with security forces"
    return j > end and j < n and low[j] in w.object_kill_verbs


def _precedes_name(w: Words, ctx: DocContext, end: int, name_ends: dict[int, int]) -> bool:
    """'the separatist group ETA', 'a group known as the Black Hand': the name that follows is the span."""
    starts = set(name_ends.values())
    k = end
    while k < ctx.n and k - end < NAMING_MAX and ctx.low[k] in w.naming_words and k not in starts:
        k += 1
    return k in starts


def _named_group_described(w: Words, ctx: DocContext, i: int, start: int) -> bool:
    """A definite group description with a role modifier ("the jihadist group", "the extremist group") in a text
    that names a group: the guideline's "description with content" (D1), a mention of the named attackers."""
    low = ctx.low
    return i > 0 and low[i - 1] == w.the and any(low[k] in w.group_role_modifiers for k in range(i, start)) and (
        "GROUP" in ctx.by_kind or "ACRONYM" in ctx.by_kind)


def _follows_name(w: Words, ctx: DocContext, i: int, name_ends: dict[int, int]) -> bool:
    """'"Islamic State" militant group': the name before (quotes skipped) is the span."""
    j = i
    while j > 0 and ctx.low[j - 1] in w.quotes:
        j -= 1
    return j in name_ends


def _violence_here(ctx: DocContext) -> bool:
    """D1's perpetrators are of an attack the article reports: the text keeps an attack trigger, names a death or
    an injury, or holds a claim ("a gunman robbed the store" is no attack report)."""
    return bool(ctx.attack_starts) or bool(ctx.claim_at) or any(v for _s, _e, v in ctx.by_kind.get("CUE", ()))


def _attackers_here(w: Words, ctx: DocContext, i: int, start: int, end: int) -> bool:
    """D1's role heads (terrorists, militants, killer) in a text that reports an attack: in role, or any
    mention but a population estimate ("thousands of militants live in the hills")."""
    if not ctx.attack_starts:  # no trigger: the agent of a death or a claim ("shot to death by terrorists")
        return role(w, ctx, i, end)
    low = ctx.low
    vague = i >= 2 and low[i - 1] == w.of and low[i - 2] in w.vague_quantities
    return not vague or role(w, ctx, i, end)
