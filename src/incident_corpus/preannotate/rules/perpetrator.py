"""PERPETRATOR: group names, descriptions of attackers and named people, each only in a perpetrator role.

PERPETRATOR is entity-level (guideline D1): a group or person that one mention puts in a
perpetrator role (the agent of an attack or claim, the party blamed or charged: the role test in
`people.py`; person seeds in `seeds.py`) is marked in every mention, across the names
`entities.py` joins (aliases, transliterations, an acronym in parentheses). Role nouns (*gunmen*,
*bomber*, *suspect*) name attackers by themselves. Unknown names come from name shapes
(`Lashkar-e-X`, `X Front`, `Provisional X`) and from the article itself.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy

from incident_corpus.preannotate.rules.blame import blamed_descriptions, blamed_phrases
from incident_corpus.preannotate.rules.context import CONFIDENCE, Anchor, Candidate, DocContext
from incident_corpus.preannotate.rules.entities import (
    Keys,
    acronyms_before_fighters,
    name_key,
    parenthesised,
    prefixed_names,
    spelling_variants,
)
from incident_corpus.preannotate.rules.identity import identity_descriptions
from incident_corpus.preannotate.rules.people import (
    background,
    is_place,
    name_ok,
    role,
    role_noun_as_verb,
    run_at,
    run_ending,
)
from incident_corpus.preannotate.rules.seeds import leader_seeds, person_seeds
from incident_corpus.preannotate.rules.words import Words


def perpetrators(w: Words, ctx: DocContext) -> tuple[list[Candidate], set[int]]:
    """Named groups, descriptions, named people and counted suspects in role; with the heads of the
    person nouns taken (CASUALTY leaves them alone: "the man" who attacked is not a victim)."""
    names, keys = _names(w, ctx)
    out: list[Candidate] = []
    name_ends: dict[int, int] = {}
    # D1: a group one mention ties to an attack is a perpetrator in every mention (background ones too)
    mentions: list[tuple[int, int, str, str, bool]] = []
    in_role: set[str] = set()
    for start, end, source in names:
        name_ends[end] = min(start, name_ends.get(end, start))
        if is_place(w, ctx, end) or all(ctx.low[k] in w.state_names for k in range(start, end)):
            continue  # a place; a state ("Iran denied it had attacked the tankers"): states are no perpetrators
        key = keys.find(name_key(w, ctx, start, end))
        speaks = end < ctx.n and ctx.low[end] in w.speaker_nouns  # "a Taliban spokesman claimed": the group claims
        ok = (name_ok(w, ctx, start, end) or speaks) and (role(w, ctx, start, end, killers=True) or (
            source == "group" and ctx.sentence_has_attack(start) and not background(w, ctx, start) and not (
                end < ctx.n and ctx.low[end] in w.target_nouns)))  # "bombed Islamic State targets": the target
        if ok:
            in_role.add(key)
        mentions.append((start, end, source, key, ok))
    for start, end, source, key, ok in mentions:
        if key in in_role:
            conf = CONFIDENCE[f"{source}_role"] if ok else CONFIDENCE["entity_mention"]
            out.append(Candidate(start, end, "PERPETRATOR", {"perpetrator_kind": "organisation"}, conf))
    descs, heads = _descriptions(w, ctx, name_ends)
    out.extend(descs)
    groups = {k for s, e, src in names if src != "learned" for k in range(s, e)}
    people = _person_names(w, ctx, groups, leader_seeds(w, ctx, [c for c in out if c.attributes.get(
        "perpetrator_kind") == "organisation"]))
    if people:  # "Ali Vance denied the charges": a learned name that is a person's is no group
        taken = {(c.start, c.end) for c in people}
        out = [c for c in out if (c.start, c.end) not in taken]
        out.extend(people)
        heads = heads | {c.start for c in people}  # D1: a perpetrator is no victim ("Tamerlan was killed")
    out.extend(identity_descriptions(w, ctx, out))  # "the 24-year-old": a named or a described attacker's age
    out.extend(_arrested(w, ctx))
    return out, heads


def _arrested(w: Words, ctx: DocContext) -> list[Candidate]:
    """Suspects by count: "police arrested 12 people, seven women and five men in connection with",
    "34 people were involved in the attack"."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    out: list[Candidate] = []
    for s0, e0, _v in ctx.by_kind.get("VICTIM", ()):
        if not (s0 and (s0 - 1) in nums):
            continue
        j = e0
        while j < n and (low[j] in w.passive_aux or low[j] in w.perfect_aux) and j - e0 < 3:
            j += 1
        involved = j < n - 1 and low[j] == w.involved and low[j + 1] == w.in_
        # "three men have been arrested over the bombing": the arrest is for the attack, named after it
        arrested = j > e0 and j < n and low[j] in w.arrest_verbs and any(
            a in ctx.attack_starts for a in range(j + 2, min(ctx.sent_bounds(j)[1], j + 8)))
        if (s0 and (s0 - 1) in nums and low[s0] in w.arrested_heads and (involved or arrested)
                and ctx.sentence_has_attack(j)):
            out.append(Candidate(s0 - 1, e0, "PERPETRATOR", {"perpetrator_kind": "individual"},
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
    if not ctx.attack_starts:
        return []
    seeds = {r for r in person_seeds(w, ctx) | leaders if not any(k in groups for k in range(*r))}
    if not seeds:
        return []
    low = ctx.low
    strings = w.strings
    full: set[tuple[int, ...]] = set()
    parts: set[int] = set()
    for a, b in seeds:
        full.add(tuple(low[a:b]))
        if b - a >= 2:
            for k in (a, b - 1):
                if len(ctx.doc[k].text) > 2:
                    parts.add(low[k])
                    parts.add(strings.add(strings[low[k]] + "s"))  # "the Vances"
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
        if run is None or run in seen:
            continue
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


def _names(w: Words, ctx: DocContext) -> tuple[list[tuple[int, int, str]], Keys]:
    """Group-name mentions: (start, end, source) with source group (lexicon), pattern or learned; and the
    entity keys joined by parentheses."""
    low, n = ctx.low, ctx.n
    found: list[tuple[int, int, str]] = [(s, e, "group") for s, e, _v in ctx.by_kind.get("GROUP", ())]
    found += [(s, e, "group") for s, e, _v in ctx.by_kind.get("ACRONYM", ())]
    for start, end, _v in ctx.by_kind.get("ORGSUFFIX", ()):
        i = start
        while i > 0 and (low[i - 1] not in w.name_stops or (i > 1 and low[i - 2] in w.name_possessors)) and (
                ctx.cap[i - 1] or low[i - 1] in w.name_connectors) and (i - 1) not in ctx.end_set:
            i -= 1  # "the People's Resistance Front": a possessive inside the name
        while i < start and low[i] in w.name_connectors:
            i += 1
        if i < start:
            found.append((i, end, "pattern"))
    found.extend(prefixed_names(w, ctx))
    # Hyphenated names: Lashkar-e-Jhangvi, Jamaat-ul-Ahrar, Tehreek-e-Taliban, al-Nusra
    hyphens = [i for i in ctx.hyphens if 0 < i < n - 1]
    for i in hyphens:
        if ctx.cap[i - 1] and i + 3 < n and low[i + 1] in w.name_infixes and low[i + 2] == w.hyphen and (
                ctx.cap[i + 3]):
            end = i + 4
            while end < n and ctx.cap[end] and (end) not in ctx.end_set:
                end += 1
            found.append((i - 1, end, "pattern"))
    # "the separatist group ETA", "the militant organisation Sendero Rojo": the name after the noun
    for start, end, _v in ctx.by_kind.get("PERP", ()):
        if low[start] in w.group_nouns_before_name and end < n and ctx.cap[end] and (
                low[end] not in w.not_name_words) and end not in ctx.end_set:
            e = end + 1
            while e < n and ctx.cap[e] and e not in ctx.end_set and low[e] not in w.not_name_words:
                e += 1
            found.append((end, e, "pattern"))
    found.extend(acronyms_before_fighters(w, ctx, found))
    # "the IRA's Belfast brigade": a unit of a named group is named with it
    for k, (s, e, src) in enumerate(found):
        if e + 1 < n and low[e] in w.possessive:
            u = e + 1
            while u < n and ctx.cap[u] and u - e <= 3 and u not in ctx.end_set:
                u += 1
            if u < n and low[u] in w.unit_nouns:
                found[k] = (s, u + 1, src)
    keys = Keys()
    found.extend(parenthesised(w, ctx, found, keys))
    spans = {(s, e) for s, e, _src in found}
    learned = _learned_names(w, ctx, spans)
    found.extend(learned)
    found.extend(_glosses(w, ctx, found, keys))
    # keep the longest name at each position (Islamic State Khorasan Province over Islamic State)
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for f in found:
        if f[0] >= last_end:
            out.append(f)
            last_end = f[1]
    return out, keys


_APPOSITION_MAX = 10  # tokens between the commas of "X, or the Movement of the Future, claimed"


def _before_apposition(w: Words, ctx: DocContext, j: int) -> int:
    """Where the subject ends when an apposition or relative clause between commas stands before `j` (", or
    the Movement of the Future,", ", a faction of the front,", ", which ...,"), else `j`."""
    low = ctx.low
    if j < 2 or low[j - 1] != w.comma:
        return j
    k = j - 2
    while k > 0 and j - k <= _APPOSITION_MAX and low[k] != w.comma and k not in ctx.end_set:
        k -= 1
    if low[k] == w.comma and k + 1 < j - 1 and (low[k + 1] in w.apposition_openers or low[k + 1] in w.relative):
        return k
    return j


def _glosses(w: Words, ctx: DocContext, found: list[tuple[int, int, str]], keys: Keys
             ) -> list[tuple[int, int, str]]:
    """A name's gloss right after it, in parentheses (*Brigada Zapata (Zapata Brigade)*) or as an
    alternative between commas (*Harakat al-Mustaqbal, or the Movement of the Future,*): the same group,
    with its other mentions."""
    low, n = ctx.low, ctx.n
    taken = {(s, e) for s, e, _src in found}
    out: list[tuple[int, int, str]] = []
    for s, e, _src in found:
        if e + 3 < n and low[e] == w.paren:
            k = e + 1
            close = w.paren_close
        elif e + 4 < n and low[e] == w.comma and low[e + 1] == w.or_:  # "X, or the Movement of the Future,"
            k = e + 2 + (low[e + 2] == w.the)
            close = w.comma
        else:
            continue
        m = k
        while m < n and m - k < 6 and m not in ctx.end_set and _gloss_word(w, ctx, k, m):
            m += 1
        if m - k >= 2 and m < n and low[m] == close and ctx.cap[m - 1] and (k, m) not in taken:
            keys.union(name_key(w, ctx, s, e), name_key(w, ctx, k, m))
            gloss = low[k:m]
            for i in numpy.flatnonzero(ctx.lows == gloss[0]).tolist():  # and its other mentions
                if low[i:i + len(gloss)] == gloss and ctx.cap[i] and (i, i + len(gloss)) not in taken:
                    taken.add((i, i + len(gloss)))
                    out.append((i, i + len(gloss), "learned"))
    return out


def _gloss_word(w: Words, ctx: DocContext, k: int, m: int) -> bool:
    """Token m continues a gloss that opened at k: a capitalised word, or "of" / "of the" inside it."""
    low = ctx.low
    if ctx.cap[m]:
        return low[m] not in w.not_name_words
    if m == k:
        return False
    if low[m] == w.of:
        return m + 1 < ctx.n and (bool(ctx.cap[m + 1]) or low[m + 1] == w.the)
    return low[m] == w.the and low[m - 1] == w.of


def _learned_names(w: Words, ctx: DocContext, known: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Capitalised names that claim/deny (`X claimed`) or are blamed (`blamed X`), and their other mentions."""
    low, n = ctx.low, ctx.n
    seeds: set[tuple[int, ...]] = set()
    known_ends = {e for _s, e in known}

    def name_char(k: int) -> bool:
        return bool(ctx.cap[k]) and low[k] not in w.not_name_words

    for c_start, (c_end, status) in ctx.claim_at.items():
        if status in ("claimed", "denied"):
            j = c_start
            while j > 0 and (low[j - 1] in w.group_nouns or low[j - 1] in w.perfect_aux
                             or w.is_adverb(low[j - 1])):
                j -= 1  # "the Extraditables have claimed", "the group has now claimed"
            j = _before_apposition(w, ctx, j)  # "Harakat al-Mustaqbal, or the Movement of the Future, said"
            if j >= 2 and low[j - 1] == w.who and low[j - 2] == w.comma:
                j -= 2  # "a call from the Extraditables, who said they were responsible"
            i = j
            while i > 0 and (i - 1) not in ctx.end_set and (name_char(i - 1) or (
                    low[i - 1] in w.learned_connectors and i - 1 > 0 and name_char(i - 2))):
                i -= 1
                if i >= 3 and name_char(i) and name_char(i - 3) and (
                        (low[i - 1] == w.the and low[i - 2] == w.of)  # "the Sons of the Valley claimed"
                        or (low[i - 1] == w.hyphen and low[i - 2] in w.learned_connectors)):  # "Harakat al-Mustaqbal"
                    i -= 2
            # not "Taliban spokesman Zabihullah Mujahid claimed": he speaks for the group
            if i < j and j not in known_ends and (i == 0 or (
                    low[i - 1] != w.comma and low[i - 1] not in w.speaker_nouns)):
                seeds.add(tuple(low[i:j]))
        elif low[c_start] in w.claim_needs_context:
            i = c_end
            if i < n and low[i] == w.the:
                i += 1
            j = i
            while j < n and (name_char(j) or (low[j] in w.learned_connectors and j + 1 < n
                                              and name_char(j + 1))):
                j += 1
                if j + 2 < n and low[j] == w.of and low[j + 1] == w.the and name_char(j + 2) and name_char(j - 1):
                    j += 2  # "blamed the Sons of the Valley"
            if i < j and j not in known_ends:
                seeds.add(tuple(low[i:j]))
    # "police blamed the attack on the Red Hand", "carried out by the Red Hand"
    seeds.update(tuple(low[i:j]) for i, j, name in blamed_phrases(w, ctx) if name and j not in known_ends)
    seeds = {s for s in seeds if s and len(s) <= 6}
    if not seeds:
        return []
    out = []
    arr = ctx.lows
    for seed in seeds:
        for i in numpy.flatnonzero(arr == seed[0]).tolist():
            if tuple(low[i:i + len(seed)]) != seed or (i, i + len(seed)) in known or not ctx.cap[i]:
                continue
            if i and name_char(i - 1) and (i - 1) not in ctx.end_set and tuple(low[i - 1:i + len(seed)]) not in seeds:
                continue  # the end of another full name: "his mother, Amina Dahl" beside "Dahl denies"
            out.append((i, i + len(seed), "learned"))
    return out


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
        if role_noun_as_verb(w, ctx, start, end):
            continue  # "police suspect the Front of the attack": the verb, not a suspect
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
                if i > 0 and ctx.cap[i - 1]:
                    i -= 1
            elif i in name_ends:
                i = name_ends[i]
            elif ctx.cap[i - 1] and i - 1 not in ctx.end_set and (
                    low[start] in w.fighter_nouns and low[i - 1] not in w.person_stop and low[i - 1] not in w.article):
                i -= 1  # "Maoist rebels", "Kurdish militants": an identity before the fighters (D1), the last word
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
            if start in name_ends or _follows_name(w, ctx, i, name_ends) or _precedes_name(end, name_ends):
                continue  # '"Islamic State" militant group': the name is the span
            if not role(w, ctx, i, end, killers=True):  # a group murders as it attacks ("death squads murdered")
                continue
            conf = CONFIDENCE["org_role"]
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
    people, heads = _person_descriptions(w, ctx)
    out.extend(people)
    out.extend(blamed_descriptions(w, ctx, {k for c in out for k in range(c.start, c.end)}))
    out.extend(_range_conjuncts(w, ctx, out, ctx.by_kind.get("PERSON", ())))
    return out, heads


def _person_descriptions(w: Words, ctx: DocContext) -> tuple[list[Candidate], set[int]]:
    """Person nouns in a perpetrator's place ("a man stabbed", "two men blew themselves up"), and the heads
    they take from CASUALTY."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    out: list[Candidate] = []
    heads: set[int] = set()
    persons = ctx.by_kind.get("PERSON", ())
    acts = ctx.attack_starts if ctx.kept_attacks is None else ctx.kept_attacks
    in_role = [((end < n and (low[end] in w.person_next or end in acts))
                or any(low[j] in w.person_before for j in range(max(0, start - 8), start))
                or _introduced_attacker(w, ctx, start, end, acts))
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
                         or low[i - 1] == w.ethnic) and (i - 1) not in ctx.end_set:
            i -= 1
        while i < start and (low[i] in w.article or (ctx.cap[i] and i not in nums)):
            i += 1
        heads.add(start)
        if i == start and start and (low[start - 1] == w.the or low[start - 1] in w.possessive_det):
            continue  # D1: "the man", "his brother": a definite generic head is not a mention
        out.append(Candidate(i, end, "PERPETRATOR", {"perpetrator_kind": "individual"}, CONFIDENCE["person"]))
    return out, heads


_CLAUSE_MAX = 12  # tokens from a person noun to the attack verb its relative clause or first verb leaves


def _introduced_attacker(w: Words, ctx: DocContext, start: int, end: int, acts: Iterable[int]) -> bool:
    """An indefinite person noun whose verb, past a relative clause or a first verb, is a kept attack: "two men
    who were walking past the office placed the explosives", "a man walked into the mosque and opened fire".
    Not a victim ("a man was shot and the gunman fled"): the first word after the noun is no auxiliary."""
    low = ctx.low
    if end >= ctx.n or (low[end] in w.passive_aux and low[end] not in w.got) or not (start and (
            low[start - 1] in w.indefinite or (start - 1) in ctx.nums or low[start - 1] in w.person_left)):
        return False
    s1 = ctx.sent_bounds(start)[1]
    # a relative clause or a prepositional phrase before the verb: "two men who were passing by placed", "two
    # men on a motorcycle threw"
    relative = low[end] in w.relative or low[end] in w.place_preps or low[end] == w.with_
    others = {a for kind in ("PERP", "PERSON", "GROUP") for a, _e, _v in ctx.by_kind.get(kind, ())} | {
        c for c, _e, v in ctx.by_kind.get("CUE", ()) if v}
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


def _range_conjuncts(w: Words, ctx: DocContext, found: list[Candidate],
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


def _precedes_name(end: int, name_ends: dict[int, int]) -> bool:
    """'the separatist group ETA': the name that follows is the span."""
    return end in name_ends.values()


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
