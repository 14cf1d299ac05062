"""Who the article presents as an attacker: the named people entity-level marking starts from.

A person seed is a name the sentence puts in a perpetrator role: before a role noun (*suspected
bomber X*), after one (*the gunman, X*), in apposition (*X, the attacker*) or as the agent of an
attack verb (*X planted the bomb*). perpetrator.py then marks every mention of each seed (D1).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy

from incident_corpus.preannotate.rules.context import Anchor, Candidate, DocContext
from incident_corpus.preannotate.rules.identity import age_end
from incident_corpus.preannotate.rules.people import name_tok, role, run_at, run_ending
from incident_corpus.preannotate.rules.persons import ramming_drivers
from incident_corpus.preannotate.rules.victim_lists import list_elements
from incident_corpus.preannotate.rules.words import Words


def person_seeds(w: Words, ctx: DocContext) -> set[tuple[int, int]]:
    """Name runs the sentence makes perpetrators, from four kinds of evidence."""
    seeds: set[tuple[int, int]] = set()
    _seeds_before(w, ctx, seeds)
    _seeds_after(w, ctx, seeds)
    _seeds_in_apposition(w, ctx, seeds)
    _seeds_as_agents(w, ctx, seeds)
    _seeds_named_as(w, ctx, seeds)
    _seeds_by(w, ctx, seeds)
    _seeds_listed(w, ctx, seeds)
    _seeds_confessing(w, ctx, seeds)
    _seeds_device_makers(w, ctx, seeds)
    _seeds_listed_after_role(w, ctx, seeds)
    _seeds_preparing(w, ctx, seeds)
    _seeds_referred(w, ctx, seeds)
    _seeds_charged_against(w, ctx, seeds)
    _conjuncts(w, ctx, seeds)
    seeds = {r for r in seeds if not (r[0] and ctx.low[r[0] - 1] in w.person_not_before)}
    _aliases(w, ctx, seeds)
    return seeds


def _conjuncts(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The other name of a pair joined by *and*: one role, two people ("ordered by Fidel Castano and Henry
    Perez", "Castano and Perez perpetrated the crime"); not a state's name."""
    low = ctx.low
    for s, e in list(seeds):
        pair = []
        if e + 1 < ctx.n and low[e] == w.and_ and (e - 1) not in ctx.end_set:
            after = run_at(w, ctx, e + 1)
            pair.append(after if after is not None and after[0] == e + 1 else None)
        if s > 1 and low[s - 1] == w.and_ and (s - 2) not in ctx.end_set:
            pair.append(run_ending(w, ctx, s - 2))
        seeds.update(r for r in pair if r is not None and w.state_names.isdisjoint(low[r[0]:r[1]]))


def _seeds_before(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The name after a suspect word (PSEED_BEFORE), and the names listed after a role noun."""
    low, n = ctx.low, ctx.n
    for k, _e, _v in ctx.by_kind.get("PSEED_BEFORE", ()):
        # "suspected bomber Dzhokhar Tsarnaev", "the alleged killer, Ali Vance", "arrested the Vances"
        if k and low[k - 1] in w.conditional_words:
            continue  # "If convicted, Benassi faces 12 years"
        j = k + 1
        if j < n and low[j] == w.of and low[k] in w.person_role_nouns:
            # "the mastermind of the attack, Abdul Rasheed Ghazi": past the attack it is of, to the name
            c = next((m for m in range(j + 1, min(n, j + _OF_ATTACK)) if low[m] == w.comma), None)
            if c is not None and any(a in ctx.attack_starts for a in range(j + 1, c)):
                j = c
        if j < n and (low[j] == w.comma or low[j] == w.the):
            j += 1
        elif j + 1 < n and low[j] in w.passive_aux and k and low[k - 1] == w.the and ctx.cap[j + 1]:
            j += 1  # "The attacker was Adam Whitlock", "the gunman is Travis Dunmore": the role noun's name
        if j < n and low[j] == w.of:
            j += 1
        run = run_at(w, ctx, j)
        if run is None or run[0] != j:
            continue
        seeds.add(run)
        if low[k] in w.person_role_nouns:
            # "the suspected bombers, Ali and his brother, Omar Vance": the following conjuncts
            e = run[1]
            while e < n and low[e] in (w.comma, w.and_):
                nxt = next((m for m in range(e + 1, min(n, e + 6)) if name_tok(w, ctx, m)), None)
                r2 = run_at(w, ctx, nxt) if nxt is not None else None
                if r2 is None or r2[0] != nxt or not (w.and_ in low[e:nxt] or (
                        r2[1] < n and low[r2[1]] in (w.comma, w.and_))):
                    break  # a list ("Ali, Omar and Karim"), not the clause after it ("Jose Rojas, drove a Nissan")
                seeds.add(r2)
                e = r2[1]


_CHARGE_REACH = 12  # tokens from a charge to its "against": "four counts of murder leveled last week against"


def _seeds_charged_against(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The name after the *against* of a charge ("charges were laid against Alek Minass", "four counts of murder
    leveled last week against 20-year-old Nathan Velt", "the case against Dahl"): held responsible (D1, D3)."""
    low = ctx.low
    for k in ctx.where(w.charge_preps, stop=ctx.n - 1):
        s0 = ctx.sent_bounds(k)[0]
        if not any(low[m] in w.charge_nouns for m in range(max(s0, k - _CHARGE_REACH), k)):
            continue
        j = age_end(w, ctx, k + 1) or k + 1
        run = run_at(w, ctx, j)
        if run is not None and run[0] == j:
            seeds.add(run)


def _seeds_after(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The names before a suspect predicate (PSEED_AFTER), back over a list of them."""
    low = ctx.low
    skip = w.person_seed_skip
    for k, e, _v in ctx.by_kind.get("PSEED_AFTER", ()):
        # "Ali Vance was charged", "Omar Vance is on trial", "A, B and C were all indicted"
        if _active_legal_verb(w, ctx, k):
            continue  # "Prosecutors charged Ali Vance": the agent of a legal verb is not charged
        if ctx.low[e - 1] == w.guilty and k not in ctx.claim_at:
            continue  # a verdict on another offence ("was found guilty of obstruction"): no claim of the attack
        j = k - 1
        if j >= 1 and low[j] in w.possessive and low[k] in w.alleged_words:
            j -= 1  # the owner of "Karim Dahl's alleged involvement in the bombing"
        steps = 0
        while j >= 0 and low[j] in skip and steps < 4:
            j -= 1
            steps += 1
        if j >= 1 and low[j] in w.person_pronouns and (j - 1) in ctx.end_set and _claim_at(ctx, k):
            # "X, a 27-year-old rider, was arrested in February. He has been charged with 17 counts of murder": the
            # pronoun opening the sentence is the person the sentence before opened with
            s0 = ctx.sent_bounds(j - 1)[0]
            run = run_at(w, ctx, s0)
            if run is not None and run[0] == s0 and run[1] - run[0] >= 2:
                seeds.add(run)
            continue
        if j >= 0 and low[j] == w.comma:
            j -= 1
            if j >= 0 and j in ctx.nums:  # "Ali Vance, (now) 20, is being held"
                m = next((m for m in range(j - 1, max(-1, j - 4), -1) if low[m] == w.comma), None)
                j = m - 1 if m is not None else j
            elif j >= 0 and not ctx.cap[j]:  # "Salah Abdeslam, the only surviving member of the team, was captured"
                s0 = ctx.sent_bounds(k)[0]
                m = next((m for m in range(j - 1, max(s0, j - _APPOSITION_REACH) - 1, -1) if low[m] == w.comma), None)
                if m is not None and m > s0 and ctx.cap[m - 1] and (low[m + 1] == w.the or low[m + 1] in w.article):
                    j = m - 1
            else:  # "Callum Reeve, of Hartfield Road, Bradwell, was convicted": past the address to the name
                m = next((m for m in range(j, max(0, j - _ADDRESS_REACH), -1)
                          if low[m] == w.of and low[m - 1] == w.comma
                          and all(ctx.cap[t] or low[t] == w.comma for t in range(m + 1, j + 1))), None)
                if m is not None and m >= 2:
                    j = m - 2
        while j >= 0:
            run = run_ending(w, ctx, j)
            if run is None or (run[0] > 1 and low[run[0] - 1] == w.of and low[run[0] - 2] not in w.name_nouns):
                break  # not "The former mayor of Porto Sereno went on trial": the name a noun's "of" takes
            seeds.add(run)
            # back over one list element: ", Colonel Omar Vance" / "and Ali Vance"
            m = run[0] - 1
            while m >= 0 and run[0] - m <= 10 and low[m] not in (w.comma, w.and_) and (
                    m not in ctx.end_set):
                m -= 1
            if m < 0 or m in ctx.end_set or low[m] not in (w.comma, w.and_):
                break
            j = m - 1
            if j >= 0 and low[j] == w.comma:
                j -= 1  # ", and"
            if j >= 2 and j in ctx.nums and low[j - 1] == w.comma:
                j -= 2  # "Tariq Mansour, 31, and Samir Mansour, 26, were found guilty": past the age


def _claim_at(ctx: DocContext, k: int) -> bool:
    """Does the suspect predicate at k attribute the attack (a CLAIM the claim rules kept over it, D3), not an
    arrest alone or another offence?"""
    return k in ctx.claim_at or any(s <= k < end for s, (end, _v) in ctx.claim_at.items())


_ADDRESS_REACH = 8  # tokens of ", of Hartfield Road, Bradwell" between a name and its suspect predicate
_OF_ATTACK = 8  # tokens of "of the Pulwama suicide attack" between a role noun and the comma before its name
_APPOSITION_REACH = 25  # tokens of an apposition between a name and its suspect predicate


def _active_legal_verb(w: Words, ctx: DocContext, k: int) -> bool:
    """Is the suspect predicate at k an active verb with an object ("Prosecutors charged Ali Vance",
    "police arrested two men"), not a passive ("Ali Vance was charged", "Man charged with murder")?"""
    low = ctx.low
    if k == 0 or (low[k - 1] in w.person_seed_skip and low[k - 1] not in w.perfect_aux) or k + 1 >= ctx.n:
        return False  # "was charged", "have been accused"; not "Prosecutors have accused Halder"
    nxt = k + 1
    return low[nxt] in w.legal_object_starts or nxt in ctx.nums or name_tok(w, ctx, nxt)


def _seeds_in_apposition(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The name before ", the bomber", and before ", the man accused of the bombing"."""
    low = ctx.low
    for k, e, _v in ctx.by_kind.get("PERSON", ()):
        # "Tomas Wexler, the man accused of the bombing,": a person noun in role in apposition after the name
        if k >= 3 and e < ctx.n and low[e] in w.person_next and (low[k - 1] == w.the or low[k - 1] in w.article) \
                and low[k - 2] == w.comma:
            run = run_ending(w, ctx, k - 3)
            if run is not None:
                seeds.add(run)
    for k, _e, _v in ctx.by_kind.get("PERP", ()):
        # "Ali Vance, the bomber behind ...": a role noun in apposition after the name
        if low[k] not in w.person_role_nouns:
            continue
        m = k - 1
        while m > 0 and k - m < 6 and low[m] != w.comma and m not in ctx.end_set:
            m -= 1
        if m > 0 and low[m] == w.comma and all(
                low[j] == w.the or low[j] in w.article or low[j] in w.perp_mods or j in ctx.nums
                or low[j] == w.hyphen for j in range(m + 1, k)):  # not ", killed by a bomber"
            run = run_ending(w, ctx, m - 1)
            if run is not None:
                seeds.add(run)


_WHOSE_REACH = 3  # tokens of "whose hired van" before the verb


def _seeds_as_agents(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The subject of an agent verb just before an attack trigger ("X stabbed", "X, the man who carried out"), or
    of a verb of planning it ("X masterminded the bombing", "X ordered the assassination": D1, responsible)."""
    low = ctx.low
    ends = ctx.end_set
    for a in ctx.attack_starts:
        # "X, the 24-year-old whose hired van ploughed into a bus stop": the van's owner drove it
        s0 = ctx.sent_bounds(a)[0]
        owner = next((k for k in range(a - 1, max(s0, a - 1 - _WHOSE_REACH) - 1, -1) if low[k] == w.whose), None)
        if owner is not None and low[a] in w.attack_verb_starts and all(
                not ctx.cap[k] and w.is_adjective_like(low[k]) for k in range(owner + 1, a)):
            m = owner - 1
            while m > s0 and owner - m < 8 and low[m] != w.comma:
                m -= 1
            run = run_ending(w, ctx, m - 1 if low[m] == w.comma else owner - 1)
            if run is not None:
                seeds.add(run)
        # "Ali Vance, the man who carried out the attack" / "Ali Vance stabbed ..."
        for v in range(a, max(-1, a - 8), -1):  # the trigger itself too: "Ali Vance planted the bomb"
            if v in ends:
                break
            if (low[v] not in w.agent_verbs and low[v] not in w.plan_verbs) or (
                    v == a and low[a] not in w.attack_verb_starts) or (
                    v in ctx.rejected_attacks):
                continue  # the trigger itself only as a past verb: not "the Rolando bombing"; not "who drove home"
            s0 = ctx.sent_bounds(v)[0]
            m = v - 1
            if m >= s0 and low[m] == w.who:
                m -= 1
                while m > s0 and v - m < 8 and low[m] != w.comma:
                    m -= 1
                if low[m] == w.comma:
                    m -= 1
                run = run_ending(w, ctx, m)
            else:
                # "Ali Vance, 24, planted", "Farid Osman, a 29-year-old electrician from Marseille, drove" (not "X
                # were killed"): the subject before an apposition first, not the apposition's last name (Marseille)
                run = run_ending(w, ctx, _subject_end(w, ctx, v, strict=True)) if low[v - 1] == w.comma else None
                if run is None:
                    while m >= s0 and v - m < 6 and (low[m] in w.role_fillers or w.is_adverb(low[m])):
                        m -= 1
                    run = run_ending(w, ctx, m)
            if run is not None and not (run[0] and low[run[0] - 1] == w.the) and not (
                    low[v] in w.plan_verbs and not w.state_names.isdisjoint(low[run[0]:run[1]])):
                seeds.add(run)  # not "the Khans had attacked": a family or a compound
            break




_CLAUSE_REACH = 16  # tokens from a clause's subject to the act its second verb names
_BACK_SENTENCES = 3  # sentences a pronoun subject looks back for the name it stands for


def _seeds_referred(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The subject of an act told by a second verb or through a pronoun, in long reports: "Rizky Pratama walked up
    to the gate and blew himself up" (the first verb's subject); "Pratama stopped speaking to his family. On 12
    March, he walked up to the gate and blew himself up" (he: the name the nearest sentence before opened with)."""
    low = ctx.low
    for a in ctx.attack_starts:
        if low[a] not in w.attack_verb_starts or a in ctx.rejected_attacks:
            continue
        s0 = ctx.sent_bounds(a)[0]
        p = _clause_subject(w, ctx, s0, a)
        if p is None:
            continue
        if low[p] not in w.person_pronouns:
            run = run_at(w, ctx, p)
            if run is not None and run[0] == p and _opens_clause(w, ctx, run[1], a) and _a_name(ctx, run):
                seeds.add(run)
            continue
        if not _opens_clause(w, ctx, p + 1, a):
            continue
        for _back in range(_BACK_SENTENCES):
            if s0 == 0:
                break
            s0 = ctx.sent_bounds(s0 - 1)[0]
            run = run_at(w, ctx, s0) if low[s0] not in w.place_preps else None  # the name opening the sentence
            if run is not None and run[0] == s0 and run[1] < ctx.n and not ctx.cap[run[1]] and (
                    low[run[1]] not in w.possessive) and _a_name(ctx, run):
                seeds.add(run)
                break


def _a_name(ctx: DocContext, run: tuple[int, int]) -> bool:
    """A run that opens a sentence is a name if it has two words or its word is capitalised inside a sentence too
    (not "Witnesses spoke to ...")."""
    if run[1] - run[0] >= 2:
        return True
    h = ctx.low[run[0]]
    return any(k != run[0] and ctx.cap[k] and (k - 1) not in ctx.end_set for k in ctx.where(frozenset({h})))


def _clause_subject(w: Words, ctx: DocContext, s0: int, limit: int) -> int | None:
    """Where the sentence's subject starts: its first word, or the word after an opening adjunct's comma ("On the
    morning of 12 March, he ..."); None if the adjunct runs past `limit`."""
    low = ctx.low
    if ctx.cap[s0] and run_at(w, ctx, s0) is not None and low[s0] not in w.place_preps:
        return s0
    if low[s0] in w.person_pronouns:
        return s0
    c = next((k for k in range(s0, min(limit, s0 + 10)) if low[k] == w.comma), None)
    if c is None or low[s0] not in w.place_preps:
        return None
    return c + 1 if c + 1 < limit else None


def _opens_clause(w: Words, ctx: DocContext, k: int, a: int) -> bool:
    """Does the subject ending before k lead its clause to the act at a: a verb, lower-case words and "and" right
    before the act, no other name, clause, list or quote between ("X walked up to the gate and blew himself up")?"""
    low = ctx.low
    if not (k < a <= k + _CLAUSE_REACH) or low[a - 1] != w.and_ or low[k] in w.possessive or low[k] in w.passive_aux:
        return False
    return all(not ctx.cap[t] and low[t] not in w.clause_breaks for t in range(k, a - 1))


_PREPARE_REACH = 4  # tokens from "prepare" / "planning" to the attack it prepares ("prepare the shooting on")
_SPENT_REACH = 5  # tokens of "spent eleven months" between a subject and its "planning"


def _seeds_preparing(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The attacker a sentence shows preparing or using the means of the attack: "for helping Yanis Belkacem
    prepare the shooting", "Travis Dunmore spent eleven months planning the shooting", "the rifle that Belkacem
    used", "the van Whitlock hired" (D1: who carried out the attack)."""
    low, n = ctx.low, ctx.n

    def before_attack(k: int) -> bool:
        return any(a in ctx.attack_starts for a in range(k + 1, min(ctx.sent_bounds(k)[1], k + 1 + _PREPARE_REACH)))

    for k in ctx.where(w.help_verbs):  # "helping X (to) prepare the shooting"
        run = run_at(w, ctx, k + 1) if k + 1 < n else None
        if run is None or run[0] != k + 1 or run[1] >= n:
            continue
        v = run[1] + (low[run[1]] == w.to)
        if v < n and low[v] in w.prepare_verbs and before_attack(v):
            seeds.add(run)
    for k in ctx.where(w.preparing_gerunds):  # "X spent eleven months planning the shooting"
        if not before_attack(k):
            continue
        s0 = ctx.sent_bounds(k)[0]
        for m in range(k - 1, max(s0, k - _SPENT_REACH) - 1, -1):
            if ctx.cap[m]:
                run = run_ending(w, ctx, m)
                if run is not None and run[1] - run[0] >= 2 and low[run[1]] not in w.place_preps and not (
                        run[0] and low[run[0] - 1] == w.the):  # the subject: not "under the Terrorism Act with"
                    seeds.add(run)
                break
    for k in ctx.where(w.use_verbs):  # "the rifle that Belkacem used", "the van Whitlock hired"
        run = run_ending(w, ctx, k - 1) if k else None
        if run is None or run[0] < 2:
            continue
        j = run[0] - 1 - (low[run[0] - 1] in w.that or low[run[0] - 1] in w.relative)
        if j >= 1 and low[j] in w.weapon_nouns and (low[j - 1] == w.the or low[j - 1] in w.possessive_det) and (
                ctx.attack_starts):  # the definite weapon of a text that reports an attack: the attack's
            seeds.add(run)


_TO_LIST = 4  # tokens from the attackers to the colon of their list: "two of the attackers within minutes:"


def _seeds_listed_after_role(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The names listed after plural attackers, past a colon or *are / were*: "shot dead two of the attackers
    within minutes: Ahmed Bwana, 22, and Salim Mwakio, 26", "The three co-defendants are Sven Maurer, 41, a
    roofer; Katrin Lenz, 29, ...; and Paul Brandt, 36" (each with its age or description, as a list of the dead)."""
    low = ctx.low
    for start, end, kind in ctx.by_kind.get("PERP", ()):
        if kind != "individual" or not w.strings[low[end - 1]].endswith("s"):
            continue
        s1 = ctx.sent_bounds(start)[1]
        if end < s1 and low[end] in w.dead_links:
            j = end + 1  # "The three co-defendants are ..."
        else:
            colon = next((m for m in range(end, min(s1, end + _TO_LIST)) if ctx.text(m) == ":"), None)
            if colon is None or any(m in ctx.attack_starts for m in range(end, colon)):
                continue
            j = colon + 1
        for _a, b, _nxt in list_elements(w, ctx, j, s1, exact=True):
            run = run_ending(w, ctx, b - 1)
            if run is not None:
                seeds.add(run)


def _seeds_device_makers(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The subject of a verb of making the device ("Prosecutors allege that Karim Dahl built the device in his
    garage", "X assembled the bombs"): D1, responsible for the attack."""
    low = ctx.low
    for k in ctx.where(w.device_nouns):
        v = k - 1
        while v >= 0 and k - v <= 5 and low[v] not in w.build_verbs and (
                low[v] in w.device_modifiers or low[v] in w.article or low[v] == w.the or low[v] in w.possessive_det
                or low[v] == w.hyphen or w.is_adjective_like(low[v]) or v in ctx.nums):
            v -= 1  # "built the pressure-cooker bomb", "assembled his explosives", "assembled the two bombs"
        if v < 1 or low[v] not in w.build_verbs or v in ctx.end_set:
            continue
        m = v - 1
        while m >= 0 and v - m <= 3 and (low[m] in w.perfect_aux or w.is_adverb(low[m])):
            m -= 1  # "had allegedly built"
        if m > 1 and low[m] == w.comma:  # "X and his cousin, Karim Benali, assembled": the apposition's name
            run = run_ending(w, ctx, m - 1)
            run = run if run is not None and run[0] and low[run[0] - 1] == w.comma else None
        else:
            run = run_ending(w, ctx, m) if m >= 0 and ctx.cap[m] else None
        if run is not None and not (run[0] and low[run[0] - 1] == w.the):
            seeds.add(run)


def _seeds_named_as(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The name after *as* that names a role noun: "police named the gunman as Jean-Marc Roux", "the
    attacker was identified as Ali Vance"."""
    low = ctx.low
    role_at = {k for k, _e, _v in ctx.by_kind.get("PERP", ()) if low[k] in w.person_role_nouns}
    role_at.update(ramming_drivers(w, ctx))  # "The driver was identified as X" in a ramming
    for k in role_at:
        s1 = ctx.sent_bounds(k)[1]
        for m in range(k + 1, min(s1, k + _AS_REACH)):
            if low[m] == w.as_ and (m == k + 1 or any(low[v] in w.naming_verbs for v in range(k + 1, m))):
                _seed_after_as(w, ctx, m, seeds)
                break
    # "identified the man who set off the bomb as Akbarzhon Jalilov": the one the attack's clause describes
    for v in ctx.where(w.naming_verbs):
        s1 = ctx.sent_bounds(v)[1]
        who = next((j for j in range(v + 1, min(s1, v + 5)) if low[j] == w.who), None)
        if who is None:
            continue
        as_at = next((j for j in range(who + 2, min(s1, who + _NAMED_REACH)) if low[j] == w.as_), None)
        if as_at is not None and any(who < a < as_at for a in ctx.attack_starts):
            _seed_after_as(w, ctx, as_at, seeds)
    # "The assailant ... stabbed three people. He was identified by prosecutors as Abdullahi Hassan": a pronoun
    # that opens the sentence after one whose subject is the attacker
    for k in role_at:
        s0, s1 = ctx.sent_bounds(k)
        if k - s0 > _SUBJECT_REACH or s1 + 3 >= ctx.n or low[s1 + 1] not in w.person_pronouns:
            continue
        t1 = ctx.sent_bounds(s1 + 1)[1]
        for m in range(s1 + 2, min(t1, s1 + 2 + _AS_REACH)):
            if low[m] == w.as_ and any(low[v] in w.naming_verbs for v in range(s1 + 2, m)):
                _seed_after_as(w, ctx, m, seeds)
                break


_SUBJECT_REACH = 3  # tokens before the attacker's role noun at the start of its sentence ("The lone assailant")
_AS_REACH = 8  # tokens from a role noun to its "as": "The suspect, identified by prosecutors only as Stephan B."
_NAMED_REACH = 16  # tokens from "who" to the "as" of "identified the man who set off the bomb ... as X"


def _seed_after_as(w: Words, ctx: DocContext, m: int, seeds: set[tuple[int, int]]) -> None:
    """The name after the *as* at m, past an age before it ("as 26-year-old Chris Harper Mercer"), and the one
    joined to it ("identified as Ibrahim El Bakraoui and Najim Laachraoui")."""
    low = ctx.low
    j = m + 1
    j = age_end(w, ctx, j) or j
    run = run_at(w, ctx, j)
    if run is not None and run[0] == j:
        seeds.add(run)
        if run[1] + 1 < ctx.n and low[run[1]] == w.and_:
            nxt = run_at(w, ctx, run[1] + 1)
            if nxt is not None and nxt[0] == run[1] + 1 and nxt[1] - nxt[0] >= 2:
                seeds.add(nxt)


def _seeds_by(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The name after *by* that does the attack ("carried out by Omar Hadi", "ordered by Abu Bakr
    al-Baghdadi"): `role` tells an agent from "told by", "compiled by"."""
    by = numpy.zeros(ctx.n, dtype=bool)
    for word in w.by_words:
        by |= ctx.lows == word
    for k in numpy.flatnonzero(by).tolist():
        if k + 2 >= ctx.n or not ctx.cap[k + 1]:
            continue
        run = run_at(w, ctx, k + 1)
        if run is not None and run[0] == k + 1 and sum(name_tok(w, ctx, j) for j in range(*run)) >= 2 and not any(
                ctx.low[j] in w.state_names for j in range(*run)) and role(w, ctx, *run):  # "by Russia": a state
            seeds.add(run)


_LISTED_REACH = 14  # tokens of "have been charged in connection with the attack," before "among them"


def _seeds_listed(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The names listed after a suspect predicate: "were arrested, including Eva Vance, the director Ali
    Vance and his wife Mara Vance" (each element's first name; not the one inside "wife of X")."""
    low = ctx.low
    for k, _e, _v in (*ctx.by_kind.get("PSEED_AFTER", ()), *ctx.by_kind.get("PSEED_BEFORE", ())):
        s1 = ctx.sent_bounds(k)[1]
        j = next((j for j in range(k + 1, min(s1, k + 4)) if low[j] in w.list_openers), None)
        if j is None:  # past the attack: "Three men have been charged in connection with the attack, among them X"
            j = next((j for j in range(k + 4, min(s1, k + _LISTED_REACH)) if low[j - 1] == w.comma and (
                low[j] in w.list_openers or (low[j] == w.among and j + 1 < s1 and low[j + 1] == w.them))), None)
            if j is None or not any(a in ctx.attack_starts for a in range(k, j)):
                continue
            j += low[j] == w.among
        m = j + 1
        while m < s1 and m - j < 60:
            e = m
            while e < s1 and low[e] != w.comma and low[e] != w.and_:
                e += 1
            name = next((q for q in range(m, e) if name_tok(w, ctx, q)), None)
            if name is not None and not any(low[q] == w.of for q in range(m, name)):
                run = run_at(w, ctx, name)
                if run is not None and run[0] == name:
                    seeds.add(run)
                    e = max(e, run[1])
            m = e + 1


def _subject_end(w: Words, ctx: DocContext, v: int, *, strict: bool = False) -> int:
    """The last token of the subject before the verb at v, past fillers (*has*, *later*), an age
    (", 24,") and a relative clause (", who was known as X,"); `strict`: only those and an apposition
    that opens with an article (", a French national,")."""
    low = ctx.low
    s0 = ctx.sent_bounds(v)[0]
    m = v - 1
    while m >= s0 and (low[m] in w.person_seed_skip or w.is_adverb(low[m])):
        m -= 1
    if m > s0 and low[m] == w.comma:
        c = next((c for c in range(m - 1, max(s0 - 1, m - 14), -1) if low[c] == w.comma), None)
        if c is not None and (not strict or low[c + 1] in (w.who, w.the) or low[c + 1] in w.article or all(
                j in ctx.nums for j in range(c + 1, m))):  # ", who was known as X,", ", a national,", ", 24,"
            m = c - 1
    return m


def _seeds_confessing(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """The subject of a confession or plea ("Ali Vance confessed", "Vance, 24, pleaded not guilty"): only
    a person confesses or pleads; and the person a verdict finds guilty ("X was found guilty", "found X guilty")."""
    for c in ctx.claim_at:  # the claims kept: of the attack, not "found guilty of obstruction of justice"
        if ctx.low[c] in w.personal_claim_verbs or (
                ctx.low[c] in w.find_verbs and c + 1 < ctx.n and ctx.low[c + 1] == w.guilty):
            run = run_ending(w, ctx, _subject_end(w, ctx, c))
            if run is not None:
                seeds.add(run)
        elif ctx.low[c] == w.guilty and c >= 2:  # the verdict's object: "a jury found Tomas Wexler guilty"
            run = run_ending(w, ctx, c - 1)
            if run is not None and run[0] and ctx.low[run[0] - 1] in w.find_verbs:
                seeds.add(run)


def _aliases(w: Words, ctx: DocContext, seeds: set[tuple[int, int]]) -> None:
    """Another name of a seed (or of a role noun) is the same person: "Mehsud, known by the nom de guerre
    Abu Hamza", "the gunman, nicknamed Abz", "McVeigh used the name 'Robert Kling'", "known as"."""
    cues = ctx.by_kind.get("ALIAS", ())
    for _round in range(2 if cues else 0):  # an alias of an alias: "the gunman, nicknamed Abz ... Abz used"
        before = len(seeds)
        _alias_round(w, ctx, cues, seeds)
        if len(seeds) == before:
            break


def _alias_round(w: Words, ctx: DocContext, cues: Iterable[Anchor], seeds: set[tuple[int, int]]) -> None:
    low, n = ctx.low, ctx.n
    words = {low[k] for a, b in seeds for k in range(a, b)}
    for s, e, _v in cues:
        j = e
        if low[e - 1] == w.known:  # "known on the streets as", "known to friends as": past the audience to its "as"
            j = next((m + 1 for m in range(e, min(n, e + _KNOWN_REACH)) if low[m] == w.as_), e)
        j0 = j
        while j < n and j - j0 < 4 and low[j] in w.alias_cue_next:
            j += 1
        if low[e - 1] == w.name and not any(low[q] in w.quotes for q in range(e, j)):
            continue  # "the name 'Robert Kling'", not "in the name of God"
        if low[e - 1] == w.to and w.as_ not in low[e:j]:
            continue  # "known to his friends as X", not "known to police"
        alias = run_at(w, ctx, j)
        if alias is None or any(low[q] not in w.person_connectors for q in range(j, alias[0])):
            continue  # "Abu Hamza": a leading particle is left out of the run
        if _owner_in_role(w, ctx, s, words) or _owner_after(w, ctx, alias[1], words):
            seeds.add(alias)
            # "known to friends as "Yaya" and online as "Abou Dujana al-Firansi"": the next alias of the list
            m = alias[1] + (alias[1] < n and low[alias[1]] in w.quotes)
            if m + 1 < n and low[m] == w.and_:
                k = next((q + 1 for q in range(m + 1, min(n, m + _KNOWN_REACH)) if low[q] == w.as_), None)
                if k is not None and k < n and low[k] in w.quotes:
                    k += 1
                other = run_at(w, ctx, k) if k is not None and k < n else None
                if other is not None and other[0] == k:
                    seeds.add(other)


_KNOWN_REACH = 5  # tokens from "known" to its "as": "known on the streets as"


def _owner_in_role(w: Words, ctx: DocContext, k: int, words: set[int]) -> bool:
    """Is a person before the alias cue at k, in its clause, a seed, a role noun or "the man" ("Belkacem, a
    26-year-old Marseille native known to friends as ...": past the description's place name)?"""
    low = ctx.low
    s0 = ctx.sent_bounds(k)[0]
    for m in range(k - 1, max(s0 - 1, k - 12), -1):
        if low[m] in w.person_role_nouns or (low[m] in w.coreferent_heads and m and low[m - 1] == w.the) or (
                ctx.cap[m] and low[m] in words):  # a seed's word, even one opening the sentence ("Mwinyi, known")
            return True
    return False


def _owner_after(w: Words, ctx: DocContext, end: int, words: set[int]) -> bool:
    """Is the alias ending at `end` followed by its owner, a seed ("Under the handle "Ashborn", Whitlock posted")?"""
    low = ctx.low
    j = end + (end < ctx.n and low[end] in w.quotes)
    j += j < ctx.n and low[j] == w.comma
    run = run_at(w, ctx, j) if j < ctx.n else None
    return run is not None and run[0] == j and any(low[q] in words for q in range(*run))


def leader_seeds(w: Words, ctx: DocContext, groups: list[Candidate]) -> set[tuple[int, int]]:
    """The named leader of a perpetrator group (D1: held responsible): "IRA leader Sean Vance", "the IRA's
    commander, Ali Vance", "Ali Vance, the leader of the Sangha Front"."""
    low, n = ctx.low, ctx.n
    out: set[tuple[int, int]] = set()
    for c in groups:
        j = c.end
        while j < n and (low[j] in w.possessive or low[j] in w.quotes):
            j += 1
        if j + 1 < n and low[j] in w.leader_nouns:
            k = j + 2 if low[j + 1] == w.comma else j + 1
            run = run_at(w, ctx, k)
            if run is not None and run[0] == k:
                out.add(run)
        i = c.start - 1
        if i > 0 and low[i] == w.the:
            i -= 1
        if i >= 4 and low[i] in (w.of, w.for_) and low[i - 1] in w.leader_nouns:
            m = i - 2
            while m > 0 and i - m < 4 and low[m] != w.comma:
                m -= 1
            run = run_ending(w, ctx, m - 1) if low[m] == w.comma else None
            if run is not None:
                out.add(run)
    return out
