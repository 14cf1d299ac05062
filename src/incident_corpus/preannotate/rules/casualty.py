"""CASUALTY: victim noun phrases and bare toll figures, each with the outcome (killed, injured, ...) of a
cue near it in the same sentence, or carried over from the sentence before."""

from __future__ import annotations

import numpy

from incident_corpus.preannotate.rules.context import CONFIDENCE, Anchor, Candidate, DocContext
from incident_corpus.preannotate.rules.outcomes import (
    bare_subject_outcome,
    carried_outcome,
    list_outcome,
    outcome_near,
    own_outcome,
    subject_outcome,
)
from incident_corpus.preannotate.rules.people import listed_full_names, run_ending
from incident_corpus.preannotate.rules.victim_lists import (
    DESCRIPTION_HEAD,
    after_listed_name,
    list_elements,
    listed_name,
    person_noun,
)
from incident_corpus.preannotate.rules.victim_names import (
    identified_victims,
    last_outcome_near,
    named_kill_objects,
    named_objects,
    named_victims,
    state_agent_before,
    with_name_after,
    with_name_before,
)
from incident_corpus.preannotate.rules.words import Words


def casualties(w: Words, ctx: DocContext, perp_heads: set[int]) -> list[Candidate]:
    """Victim noun phrases and bare toll figures, kept only next to an outcome cue in the same sentence.

    Each finder skips the tokens an earlier one `covered`, so the order below is part of the rules.
    """
    cues = sorted(ctx.by_kind.get("CUE", []))
    cue_at = {c[0]: c[2] for c in cues if c[2]}
    covered: set[int] = set()
    out = _victim_phrases(w, ctx, perp_heads, cues, cue_at, covered)
    out.extend(_subject_figures(w, ctx, cue_at, covered))
    out.extend(_partitives(w, ctx, covered, cues))
    out.extend(_toll_figures(w, ctx, covered))
    out.extend(_indefinite_objects(w, ctx, covered, perp_heads))
    out.extend(named_victims(w, ctx, covered, perp_heads))
    out.extend(named_kill_objects(w, ctx, covered, perp_heads))
    out.extend(named_objects(w, ctx, covered, perp_heads))
    out.extend(identified_victims(w, ctx, covered, perp_heads))
    out.extend(_predicates_of_the_dead(w, ctx, covered, perp_heads))
    out.extend(_lists_after_openers(w, ctx, out, covered, perp_heads))
    out.extend(_passive_subjects(w, ctx, covered, perp_heads))
    out.extend(_among_the_dead(w, ctx, covered, perp_heads))
    perp_nouns = {e - 1 for _s, e, v in ctx.by_kind.get("PERP", ()) if v == "individual" and
                  ctx.low[e - 1] not in w.victim_fighters}
    out = [c for c in out if c.end - 1 not in perp_nouns]  # "killing 25 militants": attackers are no casualties
    out = [c for c in out if not _hurt_in_a_state_act(w, ctx, c.end, cues)]
    named_ends = {c.end for c in out if ctx.cap[c.start]}
    out = [c for c in out if not (ctx.low[c.start] in w.indefinite and _after_a_name(w, ctx, c.start, named_ends))]
    out = _totals_before_a_part(w, ctx, out)
    out = _shared_count_conjuncts(w, ctx, out)
    out = [_with_hyphen_tail(w, ctx, with_name_after(w, ctx, with_name_before(w, ctx, c, covered, perp_heads),
                                                      covered, perp_heads)) for c in out]
    out += _kin_conjuncts(w, ctx, out, covered, perp_heads)
    return out + _named_conjuncts(w, ctx, out, covered, perp_heads) + _names_of_the_counted(w, ctx, out, covered,
                                                                                          perp_heads)


def other_causes_left(w: Words, ctx: DocContext, found: list[Candidate], cands: list[Candidate]) -> list[Candidate]:
    """The victims `found` less those of a sentence that names another cause of harm and no attack: "Two soldiers
    were killed in the fighting", "Artillery fire killed four civilians", "an air strike ... four civilians had
    died" (CASUALTY is who the attack killed or hurt, not the war's or a riot's dead). An attack in the sentence
    before makes the fighting its own."""
    found = [c for c in found if not _running_toll(w, ctx, c.end)]
    causes = {ctx.sent_of(k) for k in ctx.where(w.other_harm_causes)}
    causes.update(ctx.sent_of(a) for a, _e, _v in ctx.by_kind.get("WAR", ()))
    if not causes:
        return found
    attacked = {ctx.sent_of(c.start) for c in cands if c.label == "ATTACK"}
    # "... repelled a Taliban attack. Three police officers were killed in the fighting": that attack's fighting
    return [c for c in found if ctx.sent_of(c.start) not in causes or not attacked.isdisjoint(
        (ctx.sent_of(c.start), ctx.sent_of(c.start) - 1))]


_SINCE_REACH = 5  # tokens from the perfect's "have" to its "since": "have been killed on both sides since"


def _running_toll(w: Words, ctx: DocContext, end: int) -> bool:
    """A running total, not an attack's dead: the victims' verb in the perfect with *since* after it ("More than
    6,000 people have been killed since the conflict began", "2,300 civilians have died on both sides since 2019")."""
    low = ctx.low
    s1 = ctx.sent_bounds(end - 1)[1]  # a victim's span ends past its first token
    if end >= s1 or low[end] not in w.perfect_aux:
        return False
    return any(low[k] == w.since and k not in ctx.attack_starts
               for k in range(end + 1, min(s1, end + 2 + _SINCE_REACH)))


def _kin_conjuncts(w: Words, ctx: DocContext, out: list[Candidate], covered: set[int], perp_heads: set[int]
                   ) -> list[Candidate]:
    """The victim's own people listed after a victim, with its outcome ("killing Maria Perez and her driver" ->
    `driver`; "... and two of her bodyguards" -> `two of her bodyguards`): a possessive ties them to the victim.
    The phrase ends the list or the sentence."""
    low, n = ctx.low, ctx.n
    victims = {s for s, _e, _v in ctx.by_kind.get("VICTIM", ())}
    more: list[Candidate] = []
    for c in out:
        e = c.end
        if e + 2 >= n or low[e] != w.and_:
            continue
        a = e + 1
        if a in ctx.nums and a + 3 < n and low[a + 1] == w.of and low[a + 2] in w.possessive_det:
            h = a + 3  # "two of her bodyguards"
            person = _plural_head(w, ctx, h) or h in victims
        elif low[a] in w.possessive_det and a + 2 < n and a + 1 in ctx.nums and low[a + 2] != w.hyphen:
            h = a + 2  # "his two bodyguards": the extent has no determiner
            person = _plural_head(w, ctx, h, (w.place_preps,)) or h in victims
            a += 1
        elif low[a] in w.possessive_det:
            a += 1  # "her driver": the extent has no determiner
            h = _age_gap(w, ctx, a)  # "her nine-year-old daughter", "his elderly mother"
            person = h < n and _kin_or_person(w, ctx, h)
        else:
            continue
        ends = h + 1 >= n or low[h + 1] in w.list_element_ends or (h + 1) in ctx.end_set or (
            low[h + 1] in w.place_preps) or (  # "... and his two bodyguards outside his home"
            low[h + 1] in w.passive_aux)  # "A woman and her son were among the dead"
        if not (person and ends) or h in perp_heads or h in ctx.attack_starts or \
                not covered.isdisjoint(range(a, h + 1)):
            continue
        covered.update(range(a, h + 1))
        more.append(Candidate(a, h + 1, "CASUALTY", dict(c.attributes), CONFIDENCE["casualty"]))
    return more


def _age_gap(w: Words, ctx: DocContext, a: int) -> int:
    """Past an age ("nine-year-old", "12-year-old") or one modifier ("elderly", "younger") at a, where the person's
    noun would stand; a itself when neither is there."""
    low, n = ctx.low, ctx.n
    if a + 4 < n and (a in ctx.nums) and low[a + 1] == w.hyphen and low[a + 3] == w.hyphen and low[a + 4] == w.old:
        return a + 5
    if a + 1 < n and not ctx.cap[a] and a not in ctx.nums and w.is_adjective_like(low[a]) and _kin_or_person(
            w, ctx, a + 1):
        return a + 1
    return a


def _kin_or_person(w: Words, ctx: DocContext, k: int) -> bool:
    """A lower-case kin noun ("daughter", "wife") or person noun ("driver") at k, after a victim's possessive."""
    return not ctx.cap[k] and (ctx.low[k] in w.kin_nouns or person_noun(w, ctx, k))


_DASHES = ("--", "\u2014", "\u2013")


def _names_of_the_counted(w: Words, ctx: DocContext, out: list[Candidate], covered: set[int], perp_heads: set[int]
                          ) -> list[Candidate]:
    """D6: the names given later to counted victims, in apposition to their noun again ("Two police officers were
    shot dead ... The officers, Constable Sean Doyle, 31, and Sergeant Aisling Kerr, 44, were responding"), each
    with the outcome the count had."""
    low, n = ctx.low, ctx.n
    heads = {low[c.end - 1]: c for c in out if c.end - c.start > 1 and not ctx.cap[c.end - 1] and (
        w.strings[low[c.end - 1]].endswith("s"))}
    more: list[Candidate] = []
    for head, c in heads.items():
        for k in numpy.flatnonzero(ctx.lows == head).tolist():
            if k <= c.end or k + 2 >= n or low[k - 1] != w.the or not (
                    low[k + 1] == w.comma or ctx.text(k + 1) in _DASHES):  # "The officers -- A and B -- were"
                continue
            for a, b, _nxt in list_elements(w, ctx, k + 2, ctx.sent_bounds(k)[1]):
                if any(m in covered or m in perp_heads for m in range(a, b)):
                    break
                covered.update(range(a, b))
                more.append(Candidate(a, b, "CASUALTY", dict(c.attributes), CONFIDENCE["casualty"]))
    return more


def _named_conjuncts(w: Words, ctx: DocContext, out: list[Candidate], covered: set[int], perp_heads: set[int]
                     ) -> list[Candidate]:
    """D6: the full names listed after a victim that ends in a name, each its own span with the same outcome
    ("murdered farmers Victor Pena and Raul Soto", "killing Judge Ana Pardo, Mario Sanz and Pedro Ruiz"); the
    list must close with *and* (not "killing Victor Pena, Raul Soto's cousin")."""
    more: list[Candidate] = []
    for c in out:
        if not ctx.cap[c.end - 1] or c.end - 1 in ctx.nums:
            continue
        listed = listed_full_names(w, ctx, c.end)
        last = next((i for i, (_a, _b, by_and) in enumerate(listed) if by_and), None)
        if last is None or any(m in covered or m in perp_heads for a, b, _x in listed[:last + 1] for m in range(a, b)):
            continue
        for a, b, _x in listed[:last + 1]:
            covered.update(range(a, b))
            more.append(Candidate(a, b, "CASUALTY", dict(c.attributes), CONFIDENCE["casualty_number"]))
    return more


def _with_hyphen_tail(w: Words, ctx: DocContext, c: Candidate) -> Candidate:
    """A head written as a hyphenated compound keeps its tail ("two passers-by", not `two passers`)."""
    e = c.end
    if e + 1 < ctx.n and ctx.low[e] == w.hyphen and not ctx.doc[e - 1].whitespace_ and not ctx.doc[e].whitespace_ \
            and not ctx.cap[e + 1] and e + 1 not in ctx.nums:
        return c._replace(end=e + 2)
    return c


def _shared_count_conjuncts(w: Words, ctx: DocContext, out: list[Candidate]) -> list[Candidate]:
    """"ten shoppers and employees": a bare noun after "and" shares the count before it, one span; a conjunct with
    its own count, description or name stays its own ("three soldiers and police officer Tom Reyes")."""
    low = ctx.low
    by_start = {c.start: c for c in out}
    merged: list[Candidate] = []
    dropped: set[int] = set()
    for c in sorted(out, key=lambda c: c.start):
        if c.start in dropped:
            continue
        nxt = by_start.get(c.end + 1)
        if nxt is not None and low[c.end] == w.and_ and any(k in ctx.nums for k in range(c.start, c.end)) and not any(
                k in ctx.nums or ctx.cap[k] or low[k] in w.article for k in range(nxt.start, min(ctx.n, nxt.end + 1))):
            dropped.add(nxt.start)
            c = c._replace(end=nxt.end)
        merged.append(c)
    return merged


def _totals_before_a_part(w: Words, ctx: DocContext, out: list[Candidate]) -> list[Candidate]:
    """"a bus carrying 40 workers, killing three of them": the count before "N of them" is the whole, not the
    victims; the nearest counted phrase before the part in its sentence is dropped, unless it is hurt itself ("eight
    people were hurt, three of them seriously", "killing 30 people, 12 of them children")."""
    low = ctx.low
    parts = [c.start for c in out if c.end - c.start == 1 and c.end + 1 < ctx.n and low[c.end] == w.of and
             low[c.end + 1] == w.them]
    if not parts:
        return out
    drop: set[int] = set()
    for p in parts:
        before = [c for c in out if c.end <= p and c.start not in parts and ctx.sent_of(c.start) == ctx.sent_of(p) and
                  any(k in ctx.nums for k in range(c.start, c.end))]
        if before:
            whole = max(before, key=lambda c: c.end)
            if not (low[whole.end] in w.passive_aux or (whole.start and low[whole.start - 1] in w.object_kill_verbs)):
                drop.add(whole.start)  # the whole hurt too: "eight people were hurt, three of them seriously"
    return [c for c in out if c.start not in drop]


def _passive_subjects(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
    """The subject of a past passive hurt verb, whatever its noun: "three counter-protesters were stabbed",
    "a 64-year-old veteran was murdered", "Ali Vance was shot dead" (D6: a named victim). The subject needs
    a number, quantity or indefinite article, or is a name no rule made a perpetrator."""
    low = ctx.low
    perp_starts = {s for s, _e, _v in ctx.by_kind.get("PERP", ())}
    cue_words = {k for s, e, _v in ctx.by_kind.get("CUE", ()) for k in range(s, e)}
    out: list[Candidate] = []
    seen: set[int] = set()
    # the longest cue at each token first: "shot dead" (killed), not "shot" (injured)
    for c_start, c_end, outcome in sorted(ctx.by_kind.get("CUE", ()), key=lambda c: (c[0], c[0] - c[1])):
        dying = low[c_start] in w.death_verbs  # "two bodyguards died": no passive, the same subject
        if not outcome or not (dying or low[c_start] in w.passive_victim_cues) or c_start in seen:
            continue
        seen.add(c_start)
        j = c_start - 1
        while j >= 0 and c_start - j <= 3 and (low[j] in w.passive_aux or w.is_adverb(low[j]) or low[j] in (
                w.gap_adverbs) or (dying and low[j] in w.perfect_aux)):  # "were also killed"
            j -= 1
        passive = j >= 0 and (dying or any(low[m] in w.passive_subject_aux for m in range(j + 1, c_start)))
        if passive and not dying and _by_the_state(w, ctx, c_end):
            continue  # "Two young men were shot dead by police during a raid": a state's act, out of scope
        if passive and j > 0 and low[j] == w.comma:
            j = _before_relative(w, ctx, j)  # "two bodyguards, who were inside the car, were killed"
            if j in ctx.nums and j > 0 and low[j - 1] == w.comma:
                j = _before_apposition(w, ctx, j + 1)  # "Marco Reyes, 33, who was waiting in the car, was wounded"
        if passive and low[j] == w.who:  # "several fighters who had been wounded", "Ali Vance, who was shot"
            j -= 1
            if j >= 0 and low[j] == w.comma:
                j -= 1
        elif not passive and j == c_start - 1 and j > 0 and low[j] == w.comma and c_start + 1 < ctx.n and (
                low[c_start + 1] in w.by_words):
            j -= 1  # "his son, Humayon Khan, killed by a suicide bomber": a reduced relative
        elif not passive and j == c_start - 1 and j >= 0 and _counted_opening(w, ctx, j, perp_heads, perp_starts):
            pass  # "40 CRPF jawans killed in Pulwama terror attack": a headline's passive without its "were"
        elif not passive:
            continue
        elif j > 0 and low[j] == w.comma and ctx.cap[j - 1] and not dying:
            j -= 1  # "known as Becky, was murdered": a name closing an apposition (not "the driver, identified as
            # X, died when the explosives went off": a bomber's)
        elif j > 0 and low[j] == w.comma:
            j = _before_apposition(w, ctx, j)  # "Daniel Ruiz, 34, was shot dead"
        j = _before_of_name(w, ctx, j)  # "Nine jawans of the Central Reserve Police Force (CRPF) were killed"
        span = _subject_np(w, ctx, j, perp_heads, perp_starts, definite=not dying)
        if span is None and passive:  # "Two boys who sold newspapers on the corner were also killed": counted
            rel = next((k for k in range(j, max(ctx.sent_bounds(j)[0], j - _RELATIVE), -1) if low[k] == w.who), None)
            if rel is not None and rel > 0 and not any(low[m] == w.comma for m in range(rel, j + 1)):
                span = _subject_np(w, ctx, rel - 1, perp_heads, perp_starts, definite=False)
        if span is None and j in covered:  # a victim another finder took: its conjuncts are still open
            k = j
            while k - 1 in covered:
                k -= 1
            span = (k, j + 1)
        while span is not None:
            if not any(m in covered for m in range(*span)):
                covered.update(range(*span))
                out.append(Candidate(span[0], span[1], "CASUALTY", {"outcome": outcome},
                                     CONFIDENCE["casualty_number"]))
            # "a U.S. ambassador and three other Americans were killed": the conjunct before ("Maria Perez and
            # her driver": past the determiner the definite span leaves out)
            a = span[0] - (span[0] > 0 and (low[span[0] - 1] == w.the or low[span[0] - 1] in w.possessive_det))
            span = _subject_np(w, ctx, a - 2, perp_heads, perp_starts, definite=not dying) if (
                a >= 2 and low[a - 1] == w.and_ and a - 2 not in cue_words) else None
    return out


_BY_REACH = 3  # tokens between a passive hurt verb and its "by": "shot dead last night by"


def _verb_after(w: Words, ctx: DocContext, end: int, *, perfect: bool) -> int:
    """Where the verb of a subject ending at `end` starts: past up to three auxiliaries (the perfect's too when
    `perfect`) and adverbs ("were also", "had")."""
    low = ctx.low
    j = end
    while j < ctx.n and j - end < 3 and (low[j] in w.passive_aux or (perfect and low[j] in w.perfect_aux) or (
            w.is_adverb(low[j]))):
        j += 1
    return j


def _subject_of_a_state_act(w: Words, ctx: DocContext, end: int, cues: list[Anchor]) -> bool:
    """Is the phrase ending at `end` the subject of a passive hurt verb the police or a state's force did?"""
    j = _verb_after(w, ctx, end, perfect=False)
    return j != end and any(c == j and v and _by_the_state(w, ctx, e) for c, e, v in cues)


def _hurt_in_a_state_act(w: Words, ctx: DocContext, end: int, cues: list[Anchor]) -> bool:
    """Is the phrase ending at `end` the subject of an outcome in an operation or a battle ("a soldier died in
    clashes with the militants", "two policemen were wounded during the operation")?"""
    j = _verb_after(w, ctx, end, perfect=True)
    return any(c == j and v and _in_a_state_act(w, ctx, e, ctx.sent_bounds(c)[1]) for c, e, v in cues)


def _by_the_state(w: Words, ctx: DocContext, e: int) -> bool:
    """Is the passive hurt verb ending at e done by the police or a state's force ("were shot dead by police",
    "was killed by security forces")?"""
    low = ctx.low
    s1 = ctx.sent_bounds(e - 1)[1]
    by = next((k for k in range(e, min(s1, e + _BY_REACH)) if low[k] in w.by_words), None)
    if by is None:
        return _in_a_state_act(w, ctx, e, s1)
    k = by + 1 + (by + 1 < s1 and (low[by + 1] == w.the or low[by + 1] in w.article))
    return k < s1 and (low[k] in w.police_shooters or (low[k] in w.state_force_heads and low[k] not in (
        w.state_force_joiners)))


_STATE_ACT_REACH = 4  # tokens from "in" to the operation's noun: "during a joint military operation"


def _in_a_state_act(w: Words, ctx: DocContext, e: int, s1: int) -> bool:
    """Is the hurt verb ending at e followed by the operation or battle it happened in ("One soldier was wounded
    during the operation", "killed in clashes with the army", "died in a shootout with police")? The guideline
    leaves operations against attackers and battles out, and their dead with them."""
    low = ctx.low
    k = next((k for k in range(e, min(s1, e + _BY_REACH + 1)) if low[k] == w.in_ or low[k] == w.during), None)
    if k is None:  # "shot dead last night in", one token further than `_by_the_state` looks for its "by"
        return False
    reach = range(k + 1, min(s1, k + 1 + _STATE_ACT_REACH))
    return any(low[m] in w.state_act_nouns for m in reach) or any(
        a in reach for a, _e, _v in ctx.by_kind.get("WAR", ()))  # "died in the air strike"


def _among_the_dead(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
    """The guideline's "Anna Berg was among the dead" -> `Anna Berg` (D6), a described name or a counted phrase too
    ("Local journalist Samir Haddad was among the wounded", "his two sons were among the dead" -> `two sons`); and
    the names listed after "among them" ("Eleven people were wounded, among them British journalist Tom Hadley")."""
    low = ctx.low
    perp_starts = {s for s, _e, _v in ctx.by_kind.get("PERP", ())}
    out: list[Candidate] = []
    for k in numpy.flatnonzero(ctx.lows == w.among).tolist():
        s0, s1 = ctx.sent_bounds(k)
        if k + 2 < s1 and low[k + 1] in (w.the, w.those) and low[k + 2] in w.dead_subjects:
            outcome = w.dead_subjects[low[k + 2]]
            j = k - 1
            while j > s0 and (low[j] in w.gap_adverbs or w.is_adverb(low[j])):
                j -= 1
            if j <= s0 or low[j] not in w.passive_aux:
                # "There were mostly policemen and security officials among the dead and injured"
                spans = _existential_victims(w, ctx, s0, k)
                if spans:
                    _add_victims(ctx, spans, outcome, covered, perp_heads, out)
                continue  # "X was among the dead", not "among the dead were" (a list: _predicates_of_the_dead)
            j -= 1
            if low[j] == w.comma:  # "Father Daniel Kiprono, 61, the parish priest, was among the dead"
                c = next((m for m in range(j - 1, max(s0, j - _DESCRIPTION_BACK) - 1, -1) if low[m] == w.comma), None)
                if c is not None and (low[c + 1] in w.article or low[c + 1] == w.the):
                    j = c - 1
                if j - 2 > s0 and j in ctx.nums and low[j - 1] == w.comma:
                    j -= 2  # ", 61"
            span = _described_name_ending(w, ctx, j, s0) if ctx.cap[j] else _subject_np(
                w, ctx, j, perp_heads, perp_starts, definite=False)
            if span is None and not ctx.cap[j] and j > s0 and low[j - 1] not in w.article:
                i = j  # "his two sons": a possessive and a count, the extent has no determiner
                while i > s0 and (i - 1 in ctx.nums or w.is_adjective_like(low[i - 1])):
                    i -= 1
                span = (i, j + 1) if i < j and i in ctx.nums and low[i - 1] in w.possessive_det else None
            spans = [span] if span is not None else []
        elif k + 2 < s1 and low[k + 1] == w.them and k and low[k - 1] == w.comma:
            outcome = last_outcome_near(ctx, k)  # "Eleven people were wounded, among them ..."
            spans = [(a, b) for a, b, _nxt in list_elements(w, ctx, k + 2, s1)]
        else:
            continue
        _add_victims(ctx, spans, outcome, covered, perp_heads, out)
    return out


def _add_victims(ctx: DocContext, spans: list[tuple[int, int]], outcome: str, covered: set[int],
                 perp_heads: set[int], out: list[Candidate]) -> None:
    for a, b in spans:
        if outcome and not any(t in covered or t in perp_heads for t in range(a, b)):
            covered.update(range(a, b))
            out.append(Candidate(a, b, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty"]))


def _existential_victims(w: Words, ctx: DocContext, s0: int, k: int) -> list[tuple[int, int]]:
    """The people between "there were" and "among the dead", each conjunct that ends in a person's noun ("There
    were mostly policemen and security officials among the dead")."""
    low = ctx.low
    m = next((m for m in range(s0, k - 2) if low[m] == w.there and low[m + 1] in w.passive_aux), None)
    if m is None:
        return []
    i = m + 2
    while i < k and (low[i] in w.gap_adverbs or w.is_adverb(low[i])):
        i += 1
    spans: list[tuple[int, int]] = []
    a = i
    for j in range(i, k + 1):
        if j == k or low[j] == w.and_ or low[j] == w.comma:
            if a < j and person_noun(w, ctx, j - 1) and not any(ctx.cap[t] for t in range(a, j)):
                spans.append((a, j))
            elif a < j:
                return []  # a conjunct that is no group of people: not a list of victims
            a = j + 1
    return spans


def _described_name_ending(w: Words, ctx: DocContext, j: int, s0: int) -> tuple[int, int] | None:
    """The listed name (with its titles or description) that ends at token j: "Local journalist Samir Haddad"."""
    for m in range(max(s0, j - 10), j + 1):
        named = listed_name(w, ctx, m, j + 1)
        if named is not None and named[1] == j + 1 and (m == s0 or _subject_can_start(w, ctx, m - 1)):
            return named
    return None


def _subject_can_start(w: Words, ctx: DocContext, k: int) -> bool:
    """Can a subject start after token k (a comma, *and*, a conjunction, a sentence start)?"""
    return ctx.low[k] in w.subject_left or ctx.low[k] in (w.comma, w.and_) or k in ctx.end_set


def _before_of_name(w: Words, ctx: DocContext, j: int) -> int:
    """The head before a post-modifier "of the" and a name that ends at j ("Nine jawans| of the Central Reserve Police
    Force (CRPF)", "six jawans| of the state's Special Task Force", "three children| of Numan al-Mujamaie"), else
    j."""
    low = ctx.low
    s0 = ctx.sent_bounds(j)[0]
    k = j
    if k - 2 > s0 and low[k] == w.paren_close and low[k - 2] == w.paren:
        k -= 3  # "(CRPF)"
    if k <= s0 or not ctx.cap[k]:
        return j
    while k > s0 and (ctx.cap[k] or (low[k] == w.hyphen and ctx.cap[k + 1]) or (
            k + 1 < j and low[k + 1] == w.hyphen)) and k not in ctx.nums:
        k -= 1  # "Numan al-Mujamaie": a particle joined by a hyphen is the name's
    if k - 1 > s0 and low[k] in w.possessive and low[k - 1] not in w.article:
        k -= 2  # "the state's Special Task Force"
    if low[k] == w.the:
        k -= 1
    return k - 1 if k - 1 > s0 and low[k] == w.of and not ctx.cap[k - 1] else j


def _counted_opening(w: Words, ctx: DocContext, j: int, perp_heads: set[int], perp_starts: set[int]) -> bool:
    """Does a counted noun phrase open the sentence and end at j ("40 CRPF jawans| killed")?"""
    span = _subject_np(w, ctx, j, perp_heads, perp_starts, definite=False)
    return span is not None and span[0] == ctx.sent_bounds(j)[0] and span[0] in ctx.nums


_RELATIVE = 10  # tokens of a relative clause between a subject and its verb: ", who were inside the car,"


def _before_relative(w: Words, ctx: DocContext, j: int) -> int:
    """The last token of the subject before a relative clause that closes at the comma j (", who were inside the
    car,"), else j."""
    low = ctx.low
    s0 = ctx.sent_bounds(j)[0]
    k = next((k for k in range(j - 1, max(s0, j - _RELATIVE) - 1, -1) if low[k] == w.comma), None)
    if k is None or k - 1 < s0 or low[k + 1] != w.who or any(m in ctx.end_set for m in range(k, j)):
        return j
    return k - 1


_APPOSITION = 12  # tokens of an apposition between a name and its verb: ", a 12-year veteran of the force,"
_APPOSITIONS = 2  # appositions in a row: ", 39, director of the news program,"


def _before_apposition(w: Words, ctx: DocContext, j: int) -> int:
    """The name before the appositions that close at the comma j: an age, an indefinite or definite description,
    a bare job, a relative clause (", 34,", ", a 12-year veteran of the force,", ", 39, director of the news
    program,", ", 33, who was waiting in the car,"), else j (no name there)."""
    low = ctx.low
    s0 = ctx.sent_bounds(j)[0]
    end = j
    for _segment in range(_APPOSITIONS):
        k = next((k for k in range(end - 1, max(s0, end - _APPOSITION) - 1, -1) if low[k] == w.comma), None)
        if k is None or k - 1 < s0 or any(m in ctx.end_set for m in range(k, end)):
            return j
        first = k + 1
        named = listed_name(w, ctx, first, end) if not _segment else None
        if named is not None and named[0] == first and named[1] == end and k > s0 and not ctx.cap[k - 1]:
            return end - 1  # the name is the apposition: "Another victim, 52-year-old taxi driver X, died"
        if not ((first in ctx.nums and first + 1 == end) or low[first] in w.indefinite or low[first] == w.the or (
                low[first] == w.who or not ctx.cap[first])):
            return j
        if ctx.cap[k - 1]:
            return k - 1
        end = k
    return j


def _subject_np(w: Words, ctx: DocContext, j: int, perp_heads: set[int], perp_starts: set[int],
                definite: bool = True) -> tuple[int, int] | None:
    """The noun phrase ending at token j, if it can be a victim: counted or indefinite, or a name; a definite
    one only where `definite` (the subject of *died* is often a relative's in a biography: "his father died")."""
    low, nums = ctx.low, ctx.nums
    s0 = ctx.sent_bounds(j)[0]
    if j in perp_heads or j in perp_starts or low[j] in w.not_victim_heads or j in nums:
        return None
    if ctx.cap[j]:
        run = run_ending(w, ctx, j)
        if run is None or run[0] in perp_heads or (run[0] and low[run[0] - 1] in w.person_not_before) or (
                run[1] - run[0] == 1 and (run[0] == s0 or run[0] - 1 in ctx.end_set)):
            return None  # one capitalised word opening a sentence is not known to be a name ("Soldiers")
        a = run[0]
        while a > s0 and low[a - 1] in w.person_titles:
            a -= 1  # D6: the name with its title, "Officer Daniel Ruiz was shot dead"
        if a > s0 and not ctx.cap[a - 1] and low[a - 1] not in w.subject_left:
            return _described_subject(w, ctx, a, run[1])  # "Station driver Marco Reyes, 33, ... was wounded"
        return (a, run[1]) if a == s0 or low[a - 1] in w.subject_left else None
    if not w.is_adjective_like(low[j]):
        return None
    i = j
    while i > s0 and j - i < 7 and ((i - 1) in nums or low[i - 1] in w.quantity or low[i - 1] == w.hyphen
                                    or w.is_adjective_like(low[i - 1]) or ctx.cap[i - 1] or (
                                        low[i - 1] == w.paren_close and i - 3 > s0 and low[i - 3] == w.paren)):
        if low[i - 1] == w.paren_close:
            i -= 2  # "40 Central Reserve Police Force (CRPF) personnel": past the acronym in parentheses
        i -= 1
        if (i in nums or low[i] in w.quantity) and not (i and (low[i - 1] in w.quantity or (i - 1) in nums)):
            if i == s0 or low[i - 1] in w.subject_left:
                return i, j + 1
            break  # "the 19-year-old student": definite, one person
    return _definite_victim(w, ctx, j) if definite else None


def _described_subject(w: Words, ctx: DocContext, a: int, end: int) -> tuple[int, int] | None:
    """D6: a subject name with the person's description before it ("Station driver Marco Reyes", "the bus driver
    Marco Reyes" -> `bus driver Marco Reyes`), one span, read as a list element is; None when the words before
    the name are no person's description."""
    low = ctx.low
    s0, s1 = ctx.sent_bounds(a)
    if not person_noun(w, ctx, a - 1):  # "the same day Senator X was assassinated": no person's description
        return (a, end) if end - a >= 2 else None
    d = a - 1
    while d > s0 and a - d < DESCRIPTION_HEAD and (low[d - 1] == w.hyphen or (
            not ctx.cap[d - 1] and low[d - 1] not in w.subject_left and (
                w.is_adjective_like(low[d - 1]) or d - 1 in ctx.nums))):
        d -= 1  # "52-year-old taxi driver": the hyphens of an age too
    if d - 1 == s0 and ctx.cap[s0]:
        d = s0  # a sentence's capitalised first word: "Station driver Marco Reyes"
    if not (d == s0 or low[d - 1] in w.subject_left or low[d - 1] == w.the or low[d - 1] in w.possessive_det):
        return None
    listed = listed_name(w, ctx, d, s1)
    return listed if listed is not None and listed[1] == end else None


def _definite_victim(w: Words, ctx: DocContext, j: int) -> tuple[int, int] | None:
    """A definite or possessive victim with content and its first mention: "the mayor was shot dead", "his
    bodyguard was wounded" (`mayor`, `bodyguard`: the guideline's extent has no determiner); one person (not
    "the civilians", most often a repeat), not a head the text used before ("a policeman ... the policeman")."""
    low = ctx.low
    i = j
    while i > 0 and j - i < 3 and w.is_adjective_like(low[i - 1]):
        i -= 1  # "the deputy mayor"
    if i >= 4 and low[i] == w.old and low[i - 1] == w.hyphen and (i - 4) in ctx.nums:
        i -= 4  # "the 19-year-old student was stabbed to death"
    if not (i and (low[i - 1] == w.the or low[i - 1] in w.possessive_det)) or ctx.text(j).lower().endswith("s"):
        return None
    known = any(e - 1 == j for _s, e, _v in ctx.by_kind.get("VICTIM", ()))
    if not (known or (low[i - 1] in w.possessive_det and person_noun(w, ctx, j) and j not in ctx.attack_starts)) or (
            low[j] in low[:i]):
        return None  # a person's noun no lexicon lists after a possessive: "her driver was killed"
    return i, j + 1


def _victim_phrases(w: Words, ctx: DocContext, perp_heads: set[int], cues: list[Anchor], cue_at: dict[int, str],
                    covered: set[int]) -> list[Candidate]:
    """Victim nouns with their number ("at least 14 people") or as a kill verb's object ("killing civilians")."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    cue_pos = [c[0] for c in cues]
    out: list[Candidate] = []
    objects: list[tuple[int, int, str]] = []  # (start, end, outcome) of kill-verb objects, for their conjuncts
    # where an object of a kill verb or noun may start: "killing |innocent civilians", "slaughter of |men"
    object_starts = {c[1] for c in cues if low[c[0]] in w.object_kill_verbs and not any(
        d[0] <= c[0] and d[1] > c[1] for d in cues)}  # "shot dead |X", not "shot |dead X"
    object_starts.update(e for _s, e, _v in ctx.by_kind.get("KILL_OF", ()))
    kill_of = {e - 1: v for _s, e, v in ctx.by_kind.get("KILL_OF", ())}
    cue_lasts = {e - 1 for _s, e, v in cues if v}  # the last word of a hurt cue ("shot dead |by")
    for start, end, _v in sorted(ctx.by_kind.get("VICTIM", ())):
        if start in perp_heads or (end < n and low[end] in w.victim_modifier_heads):
            continue  # "a security forces convoy": a modifier of the thing attacked
        i = start
        acronym = False  # "40 Central Reserve Police Force (CRPF) personnel": one acronym inside the phrase
        while i > 0 and (low[i - 1] in w.casualty_left or (i - 1) in nums or low[i - 1] in w.casualty_inner
                         or (ctx.cap[i - 1] and (i - 1) not in ctx.end_set and i - 1 > 0
                             and (i - 2) not in ctx.end_set) or (
                                 not acronym and low[i - 1] == w.paren_close and i > 3 and low[i - 3] == w.paren
                                 and ctx.cap[i - 2] and ctx.cap[i - 4])):
            if low[i - 1] == w.paren_close:
                acronym = True
                i -= 2
            i -= 1
        for j in range(start - 1, i - 1, -1):
            if low[j] in w.separators:
                i = j + 1
                break
        while i < start and low[i] not in w.hedge_start and i not in nums:
            i += 1
        if i == start and any(m >= 0 and (m in nums or low[m] in w.quantity) for m in (start - 2, start - 3)):
            i = _adjective_gap(w, ctx, start)  # "a little girl", "a thirteenth victim"
            if i < start and i in nums:
                h = i
                while h > 0 and low[h - 1] in w.hedge_words and (h - 1) not in ctx.end_set:
                    h -= 1  # "at least 40 paramilitary policemen": the hedge is the count's
                while h < i and low[h] not in w.hedge_start:
                    h += 1
                i = h
        if i == start and not (low[start] in w.bare_quantity_heads and (
                end >= n or low[end] != w.of)):  # "Scores died" (not "scores of": the head follows)
            object_of = None
            if any((start - m) in object_starts for m in (0, 1, 2)) or (
                    start >= 2 and low[start - 1] in (w.and_, w.comma) and objects):
                object_of = _object_of_kill_verb(w, ctx, start, end, objects, kill_of)
            if object_of is None:
                bare = bare_subject_outcome(w, ctx, start, end, cue_at)
                if bare is not None:  # "... and guests staying upstairs were injured"
                    covered.update(range(start, end))
                    out.append(Candidate(start, end, "CASUALTY", {"outcome": bare}, CONFIDENCE["casualty_number"]))
                continue
            # "killing innocent civilians and security forces": the verb's object needs no number
            i = object_of[1]
            covered.update(range(i, end))
            out.append(Candidate(i, end, "CASUALTY", {"outcome": object_of[0]}, CONFIDENCE["casualty_number"]))
            continue
        if i < start and not any(j in nums or low[j] in w.quantity for j in range(i, start)):
            continue
        if i and low[i - 1] == w.the and not (i >= 2 and low[i - 2] in w.object_kill_verbs):
            continue  # "the 130 injured": a repeat of a figure given before (not "killed the two nurses")
        if i and low[i - 1] in w.by_words and _agent_of_act(w, ctx, i - 1, cue_lasts):
            continue  # "attacked by a student", "assassinated at the airport by two women": the agent
        if i and low[i - 1] == w.comma and end < n and low[end] in w.reporting_verbs:
            continue  # "wounding 40 others, a rescue official said": the speaker
        if end + 1 < n and low[end] in w.toll_report_verbs and w.toll in low[end + 1:min(n, end + 4)]:
            continue  # "A local official put the death toll at 30": who gives the toll
        outcome = (kill_of.get(i - 1)  # "killings of two police officers"
                   or own_outcome(w, ctx, i, end, cue_at) or outcome_near(ctx, cues, cue_pos, i, end)
                   or carried_outcome(w, ctx, i, cues, cue_pos) or list_outcome(w, ctx, end, cue_at)
                   or subject_outcome(w, ctx, end, cue_at))
        if outcome is None or _subject_of_a_state_act(w, ctx, end, cues):
            continue  # "Two young men were shot dead by police": a state's act
        covered.update(range(i, end))
        out.append(Candidate(i, end, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty"]))
        verb = i - 1 - (i > 1 and low[i - 1] == w.the)
        if i and low[verb] in w.object_kill_verbs:
            objects.append((i, end, outcome))  # "killed three soldiers and police officer Tom Reyes": its conjuncts
    return out


_AGENT_REACH = 8  # tokens from an act back to the "by" of its agent: "assassinated at Kuala Lumpur airport by"


def _agent_of_act(w: Words, ctx: DocContext, by: int, cue_lasts: set[int]) -> bool:
    """Does the "by" at `by` close a passive act in its clause ("attacked by", "assassinated at the airport
    by"): an attack trigger or the last word of a hurt cue before it, no comma between?"""
    low = ctx.low
    s0 = ctx.sent_bounds(by)[0]
    for k in range(by - 1, max(s0, by - _AGENT_REACH) - 1, -1):
        if k in ctx.attack_starts or k in cue_lasts:
            return True
        if low[k] == w.comma or low[k] == w.and_:
            return False
    return False


def _subject_figures(w: Words, ctx: DocContext, cue_at: dict[int, str], covered: set[int]) -> list[Candidate]:
    """A bare figure as the subject of the outcome: "496 had been killed", "11 were still in hospital"."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    out: list[Candidate] = []
    tolls = set(ctx.toll_numbers)
    subject_next = w.passive_aux | w.subject_fillers
    for i in nums:
        # "496 had been killed", "11 were still in hospital": a bare figure as the subject of the outcome
        if i + 1 < n and i + 1 in cue_at and i not in covered and i == ctx.sent_bounds(i)[0]:
            covered.add(i)  # a headline's passive without its auxiliary: "Five Killed as Man Rams Crowd"
            out.append(Candidate(i, i + 1, "CASUALTY", {"outcome": cue_at[i + 1]}, CONFIDENCE["casualty_number"]))
            continue
        if i + 1 >= n or low[i + 1] not in subject_next:
            continue
        j = i + 1
        while j < n and j - i <= 3 and (low[j] in w.passive_aux or low[j] in w.subject_fillers or (
                j > i + 1 and (w.is_adverb(low[j]) or low[j] in w.gap_adverbs))):
            j += 1  # "27 had already died"
        h = i
        while h > 0 and low[h - 1] in w.hedge_words and h - 1 not in ctx.end_set:
            h -= 1  # "At least 12 were killed", "More than 80 were wounded": the hedge is the figure's
        while h < i and low[h] not in w.hedge_start:
            h += 1
        if (h == i and i in tolls) or not w.count_none.isdisjoint(low[h:i]):
            continue  # a toll figure read by _toll_figures ("killing 14"); "no one was hurt"
        if j > i + 1 and j in cue_at and i not in covered and (i + 1) not in nums and not (
                h and (low[h - 1] == w.the or low[h - 1] == w.of or (h - 1) in nums)):
            covered.update(range(h, i + 1))
            out.append(Candidate(h, i + 1, "CASUALTY", {"outcome": cue_at[j]}, CONFIDENCE["casualty_number"]))
    return out


def _toll_figures(w: Words, ctx: DocContext, covered: set[int]) -> list[Candidate]:
    """Bare toll figures: "killing 14", "14 dead", "the toll rose to 14"."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    out: list[Candidate] = []
    for start in ctx.toll_numbers:
        if start in covered or (start - 1 in nums and start - 1 not in covered):
            continue
        last = start + 1
        while last < n and (last in nums or (low[last] in w.number_join and last + 1 in nums)):
            last += 1
        if last < n and low[last] in w.not_count_next:
            continue
        i = start
        while i > 0 and low[i - 1] in w.hedge_words and not (low[i - 1] == w.at and low[i] != w.least) and not (
                low[i - 1] == w.as_ and low[i] not in w.quantity and not (i >= 2 and low[i - 2] in w.quantity)):
            i -= 1  # "at least 17", "as many as 40"; not the "at" of "the number of dead at 16", "given as 11"
        while i < start and low[i] not in w.hedge_start:
            i += 1
        if i and low[i - 1] == w.the:
            continue
        nxt = low[last] if last < n else 0
        prev = low[i - 1] if i else 0
        if prev in w.num_verbs and w.is_unknown_word(nxt) and w.is_adjective_like(nxt) and (
                last + 1 >= n or w.is_adverb(low[last + 1]) or not w.is_adjective_like(low[last + 1])):
            last += 1  # "killing two soliders instantly": a head noun the lexicon does not know
            nxt = low[last] if last < n else 0
            covered.update(range(i, last))
            out.append(Candidate(i, last, "CASUALTY", {"outcome": w.num_verbs[prev]}, CONFIDENCE["casualty_number"]))
            continue
        outcome = None
        if nxt in w.num_killed_next:
            outcome = "killed"
        elif nxt in w.num_injured_next:
            outcome = "injured"
        elif prev in w.num_verbs and not w.is_unknown_word(nxt):
            outcome = w.num_verbs[prev]
        elif prev in w.toll_prev:
            outcome = _toll_before(w, ctx, i)  # "toll from X rose to 45", "put the number of dead at 16"
        if outcome is None:
            continue
        covered.update(range(i, last))
        out.append(Candidate(i, last, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
    return out


_TOLL_REACH = 14  # tokens of "the death toll, first given as 11, had risen to" before the figure


def _toll_before(w: Words, ctx: DocContext, i: int) -> str | None:
    """The outcome of the toll a figure at i gives, when the toll is named before it in its sentence: "the toll
    rose to 45", "the death toll, first given as 11, had risen to at least 17", "put the number of dead at 16",
    "the number of wounded, first given as 17, was raised to 19"."""
    low = ctx.low
    s0 = ctx.sent_bounds(i)[0]
    for j in range(i - 1, max(s0, i - _TOLL_REACH) - 1, -1):
        if low[j] == w.toll:
            return "killed"
        if low[j] == w.number and j + 2 < i and low[j + 1] == w.of and low[j + 2] in w.dead_subjects:
            return w.dead_subjects[low[j + 2]]
    return None


def _predicates_of_the_dead(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
    """"The victims included a 7-year-old girl", "many of the dead were pilgrims", "the dead included three
    policemen": victim phrases after *the dead / the victims / the wounded* and *were / included*, up to the end
    of the clause."""
    low, n = ctx.low, ctx.n
    heads = {s: e for s, e, _v in ctx.by_kind.get("VICTIM", ())}
    out: list[Candidate] = []
    for k in ctx.where(w.dead_subjects):  # few per text
        if not 0 < k < n - 1 or (low[k - 1] != w.the and low[k - 1] != w.those) or (
                k >= 3 and low[k - 2] == w.of and (k - 3) in ctx.nums):
            continue  # not "11 of the injured were members of the police": the partitive is the victims' span
        link = _dead_link(w, ctx, k)
        if link is None:
            continue
        outcome = w.dead_subjects[low[k]]
        j, s1 = link + 1, ctx.sent_bounds(k)[1]
        while j < s1 and low[j] not in w.separators:
            while j < s1 and w.is_adverb(low[j]):
                j += 1  # "the victims were mostly women and children": the adverb is not the victims'
            i = j
            named = listed_name(w, ctx, j, s1)
            if named is None and (low[j] in w.dead_determiners or (j + 1 < s1 and low[j + 1] in w.possessive)):
                # "Among those killed was the school's principal, Tahira Qazi": a definite description, then the name
                c = next((m for m in range(j + 1, min(s1, j + DESCRIPTION_HEAD)) if low[m] == w.comma), None)
                named = listed_name(w, ctx, c + 1, s1) if c is not None else None
            if named is not None:  # D6: "among those killed were Edward Sotomayor Jr., 34; Stanley Almodovar, 23"
                if any(m in covered or m in perp_heads for m in range(*named)):
                    break
                covered.update(range(*named))
                out.append(Candidate(named[0], named[1], "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty"]))
                nxt = after_listed_name(w, ctx, named[1], s1)
                if nxt is None:
                    break
                j = nxt
                continue
            while j < s1 and j not in heads and j - i < _ELEMENT_MAX and low[j] not in w.separators and (
                    low[j] in w.article or j in ctx.nums or w.is_adjective_like(low[j]) or low[j] == w.hyphen):
                j += 1
            if j in heads:
                end = heads[j]
            elif j - i >= 2 and (low[i] in w.article or i in ctx.nums) and (j - 1) not in ctx.nums and (
                    j >= s1 or low[j] in w.list_element_ends or low[j] in w.relative_openers):
                end = j  # a counted head the lexicon does not know: "a 71-year-old retiree, a tourist from Japan"
            else:
                break
            named = listed_name(w, ctx, end + 1, s1) if end + 1 < s1 and low[end] == w.comma else None
            if named is not None and not any(m in covered or m in perp_heads for m in range(*named)):
                i, end = named  # "Among the dead were an American, Jason Spindler, and ...": one person, the name
            if any(m in perp_heads for m in range(i, end)) or (end < s1 and low[end] in w.reporting_verbs):
                break  # "..., hospital officials said": the list's source, not its victims
            if any(m in covered for m in range(i, end)):
                pass  # "Among the dead were three children and Sheikh X": another finder's victims, the list goes on
            elif out and out[-1].end + 1 == i and low[i - 1] == w.and_ and i == j:
                out[-1] = out[-1]._replace(end=end)  # "women and children": a bare conjunct, one span
            else:
                out.append(Candidate(i, end, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty"]))
            covered.update(range(i, end))
            j = end
            if j < s1 and low[j] in w.place_preps:  # "a tourist from Japan, ...": past the post-modifier
                j = next((m for m in range(j + 1, min(s1, j + 5)) if low[m] in (w.and_, w.comma)), s1)
            if j + 1 < s1 and low[j] == w.comma and low[j + 1] == w.and_:
                j += 2  # ", and a 10-year-old boy": the list's last element
            elif j < s1 and low[j] in (w.and_, w.comma):
                j += 1
            else:
                break
    return out


_COUNTED_REACH = 4  # tokens of "The six people" before "killed were"


def _lists_after_openers(w: Words, ctx: DocContext, found: list[Candidate], covered: set[int], perp_heads: set[int]
                         ) -> list[Candidate]:
    """D6: the named victims listed after the other openers of a list: an outcome and *were* ("Killed were Rosa
    Delgado, 67, a retired seamstress; Ethan Park, 16, ..."), a colon after the counted victims ("killed seven
    people at the bar: Lea Marchetti, 27, a nurse; ..."), and the names that follow a named victim in a list of
    ages or semicolons ("the deaths of Margaret Lowe, 71, a retired cook; Tariq Hussain, 38, ...")."""
    low = ctx.low
    starts: list[tuple[int, str, bool]] = []  # (first element, outcome, the first is found already)
    victims = {k for s, e, _v in ctx.by_kind.get("VICTIM", ()) for k in range(s, e)}
    for c, e, outcome in ctx.by_kind.get("CUE", ()):
        s0 = ctx.sent_bounds(c)[0]
        if outcome and e < ctx.n - 1 and low[e] in w.dead_links and (c == s0 or (
                c == s0 + 1 and low[s0] in w.gap_adverbs) or (c - s0 <= _COUNTED_REACH and all(
                    k in ctx.nums or k in victims or low[k] == w.the or low[k] == w.those for k in range(s0, c)))):
            # "Killed were", "Also wounded were", "The six people killed were (the Rev.) X"
            starts.append((e + 1 + (low[e + 1] == w.the and ctx.cap[min(e + 2, ctx.n - 1)]), outcome, False))
    for f in found:
        s1 = ctx.sent_bounds(f.start)[1]
        colon = next((m for m in range(f.end, min(s1, f.end + _TO_COLON)) if ctx.text(m) == ":"), None)
        if colon is not None and not any(a in ctx.attack_starts for a in range(f.end, colon)):
            starts.append((colon + 1, f.attributes["outcome"], False))  # "killed seven people at the bar: ..."
        elif ctx.cap[f.start]:
            starts.append((f.start, f.attributes["outcome"], True))  # a named victim that may open a list
    out: list[Candidate] = []
    for j, outcome, known in starts:
        for k, (a, b, nxt) in enumerate(list_elements(w, ctx, j, ctx.sent_bounds(j)[1], exact=True)):
            if not (known and k == 0):
                if any(m in covered or m in perp_heads for m in range(a, b)):
                    break
                covered.update(range(a, b))
                out.append(Candidate(a, b, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty"]))
            if nxt is None or (known and not _listed_with_ages(w, ctx, b, nxt)):
                break  # after a victim found alone, only a list of ages or semicolons: not "X was killed, and Y said"
    return out


def _listed_with_ages(w: Words, ctx: DocContext, end: int, nxt: int) -> bool:
    """Is the element that ends at `end` given an age, or closed by a semicolon, before the next one at `nxt`?"""
    return (end + 1 < nxt and ctx.low[end] == w.comma and end + 1 in ctx.nums) or any(
        ctx.text(m) == ";" for m in range(end, nxt))


def _after_a_name(w: Words, ctx: DocContext, k: int, named_ends: set[int]) -> bool:
    """Does the description at k stand in apposition after a named victim, an age between? D6: "Anna Berg, a
    nurse, died" and "Anna Berg, 22, a student" mark Anna Berg."""
    low = ctx.low
    c = k - 1
    if c >= 3 and low[c] == w.comma and (c - 1) in ctx.nums and low[c - 2] == w.comma:
        c -= 2
    return c >= 1 and low[c] == w.comma and c in named_ends


_DESCRIPTION_BACK = 8  # tokens of ", the parish priest," between a name and "was among the dead"
_ELEMENT_MAX = 9  # tokens of "a 35-year-old tram driver" (a hyphenated age is five)
_TO_COLON = 7  # tokens of "dead were read aloud:" from the dead to the colon that opens their list


def _dead_link(w: Words, ctx: DocContext, k: int) -> int | None:
    """The *were / included* after *the victims* at k, right after it or past the attack they are of ("the victims of
    the bombing included", "the dead in Monday's attack were")."""
    low = ctx.low
    s1 = ctx.sent_bounds(k)[1]
    colon = next((m for m in range(k + 1, min(s1, k + _TO_COLON)) if ctx.text(m) == ":"), None)
    if colon is not None and colon + 1 < s1 and not any(a in ctx.attack_starts for a in range(k, colon)):
        return colon  # "The names of the dead were read aloud: florist Agnes Morrow, 61; ...", "Those killed: ..."
    if low[k + 1] in w.dead_links:
        return k + 1
    if low[k + 1] == w.comma and k + 2 < ctx.n and (low[k + 2] in w.article or k + 2 in ctx.nums or (
            ctx.cap[k + 2] and listed_name(w, ctx, k + 2, ctx.sent_bounds(k)[1]) is not None)):
        return k + 1  # in apposition: "The victims, a 71-year-old retiree and a 10-year-old boy, were crossing",
        # "The victims, James Furlong, 36, David Wails, 49, and Joseph Ritchie-Bennett, 39, were sitting"
    if low[k + 1] not in (w.of, w.in_):
        return None
    for j in range(k + 3, min(s1, k + 7)):
        if low[j] in w.dead_links:
            return j if any(a in ctx.attack_starts for a in range(k + 2, j)) else None
    return None


def _adjective_gap(w: Words, ctx: DocContext, start: int) -> int:
    """Start of "a/one/two + one or two unknown modifiers + victim noun", else `start`."""
    low, nums = ctx.low, ctx.nums
    for gap in (1, 2):
        q = start - gap - 1
        if q < 0 or not all(w.is_adjective_like(low[m]) and m not in nums and m not in ctx.attack_starts and (
                m not in ctx.rejected_attacks) for m in range(q + 1, start)):
            break  # not across a trigger: "a man with a knife attacked passengers" has no victim "a knife ..."
        if gap == 2 and w.strings[low[start - 1]].endswith("ing"):
            break  # "a bus carrying workers": a clause, not two modifiers ("a passing motorist" is one)
        if q in nums or low[q] in w.quantity:
            return q
    return start


def _object_of_kill_verb(w: Words, ctx: DocContext, start: int, end: int, objects: list[tuple[int, int, str]],
                         kill_of: dict[int, str]) -> tuple[str, int] | None:
    """The outcome when the victim noun at `start` is the object of an active kill verb, up to two
    modifiers away ("killing innocent civilians", "kills Russian major general"), or a conjunct of one;
    with the span's start (after the verb)."""
    low = ctx.low
    k = start - 1
    while k >= 0 and start - k <= 3 and (w.is_adjective_like(low[k]) or (
            ctx.cap[k] and k not in ctx.end_set and low[k] not in w.not_name_words)):
        if low[k] in w.object_kill_verbs:
            break
        k -= 1
    if k >= 1 and (low[k] == w.the or low[k] in w.possessive_det) and low[k - 1] in w.object_kill_verbs \
            and not (k >= 2 and low[k - 2] in w.passive_aux):
        # "killing the driver", "wounding his bodyguard": a definite victim with content (not "the victims"),
        # its span without the determiner (the guideline's extent: `driver`, `bodyguard`)
        outcome = w.object_kill_verbs[low[k - 1]]
        objects.append((k + 1, end, outcome))
        return outcome, k + 1
    if k in kill_of:
        outcome = kill_of[k]  # "the slaughter of men, women and children"
        objects.append((k + 1, end, outcome))
        return outcome, k + 1
    if k < 0 or low[k] not in w.object_kill_verbs:
        # "killing innocent civilians and security forces": the next objects of the list
        if k >= 1 and (low[k] == w.and_ or low[k] == w.comma) and not (
                low[k] == w.comma and end < ctx.n and low[end] in w.reporting_verbs):
            # (not "killed 20 people, prosecutors said": the speaker of the sentence)
            prev = next((c for c in objects if c[1] == k), None)
            if prev is not None:
                objects.append((k + 1, end, prev[2]))
                return prev[2], k + 1
        return None
    if k and low[k - 1] in w.passive_aux:
        return None  # "were killed": the subject, not the object, is the victim (handled by the cue window)
    if state_agent_before(w, ctx, k):
        return None  # "accused the army of killing civilians": a state's act, out of scope
    outcome, a = w.object_kill_verbs[low[k]], k + 1
    longer = max(((e, v) for c, e, v in ctx.by_kind.get("CUE", ()) if c == k and v and a < e <= start), default=None)
    if longer is not None:
        a, outcome = longer  # "shot dead opposition politician X": the cue's last word is no modifier of X
    objects.append((a, end, outcome))
    return outcome, a


_OBJECT_MODIFIERS = 2  # "injuring a 60-year-old night watchman": modifiers between the article and the head


def _indefinite_objects(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
    """One person hurt, named by a noun no lexicon lists, as the object of *killing / injuring / wounding*:
    "a car bomb exploded outside the offices, injuring a watchman" -> `a watchman` (the guideline keeps *a*: it
    carries the count). The head ends its phrase and is no attacker, attack or device word."""
    low, n = ctx.low, ctx.n
    perp_starts = {s for s, _e, _v in ctx.by_kind.get("PERP", ())}
    out: list[Candidate] = []
    for v in ctx.where(w.object_kill_verbs, stop=n - 2):
        outcome = w.object_kill_verbs[low[v]]
        definite = low[v + 1] in w.dead_determiners  # "killing the caretaker" -> `caretaker` (no determiner)
        if not w.strings[low[v]].endswith("ing") or not (definite or low[v + 1] in w.indefinite):
            continue
        h = v + 2
        if h + 5 < n and h in ctx.nums and low[h + 2] == w.year and low[h + 4] == w.old:
            h += 5  # "a 60-year-old watchman"
        g = h
        while h + 1 < n and h - g < _OBJECT_MODIFIERS and w.is_adjective_like(low[h]) and not ctx.cap[h] and (
                low[h + 1] not in w.list_element_ends):
            h += 1
        if (ctx.cap[h] or not ctx.doc[h].text.isalpha() or h in perp_starts or h in perp_heads or h in ctx.attack_starts
                or low[h] in w.device_nouns or any(k in covered for k in range(v + 1, h + 1))
                or not (h + 1 >= n or low[h + 1] in w.list_element_ends or (h + 1) in ctx.end_set)
                or (h + 1 < n and low[h + 1] == w.of)):  # "a number of people": a quantity, its head after
            continue
        if definite and not w.strings[low[h]].endswith(w.person_endings):
            continue  # a definite object names a person by its ending only: not "killing the bill"
        if definite and h + 2 < n and low[h + 1] == w.comma and listed_name(w, ctx, h + 2, n) is not None:
            continue  # "killing the caretaker, Emmanuel Audu": one person, the name is the span (named_objects)
        a = v + 1 + definite
        covered.update(range(a, h + 1))
        out.append(Candidate(a, h + 1, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty"]))
    return out


def _plural_head(w: Words, ctx: DocContext, j: int, more_ends: tuple[frozenset[int], ...] = ()) -> bool:
    """A lower-case plural noun at j that ends its phrase and names no attackers ("two of his bodyguards,"; with
    `more_ends`, also before those words: "two of her bodyguards were killed")."""
    text = ctx.doc[j].text
    return (not ctx.cap[j] and j not in ctx.nums and text.endswith("s") and text.isalpha() and len(text) > 3
            and not any(s == j for s, _e, _v in ctx.by_kind.get("PERP", ()))
            and (j + 1 >= ctx.n or ctx.low[j + 1] in w.list_element_ends
                 or any(ctx.low[j + 1] in m for m in more_ends)))


def _partitives(w: Words, ctx: DocContext, covered: set[int], cues: list[tuple[int, int, str]]) -> list[Candidate]:
    """"Two of the 12 initially killed", "11 of the injured": a partitive of the dead or wounded keeps
    its quantity and head (the guideline's partitive rule); "three of the five attackers" is not one."""
    low, n, nums = ctx.low, ctx.n, ctx.nums
    cue_end = {c[0]: (c[1], c[2]) for c in cues if c[2]}
    cue_at = {c[0]: c[2] for c in cues if c[2]}
    victim_ends = {s: e for s, e, _v in ctx.by_kind.get("VICTIM", ()) if e - s == 1}
    out: list[Candidate] = []
    for i in sorted(nums):
        if i in covered or (i - 1) in nums or i + 3 > n or low[i + 1] != w.of:
            continue
        if low[i + 2] == w.them:  # "killing three of them", "two of them died": the number alone
            outcome = w.object_kill_verbs.get(low[i - 1]) if i else None
            if outcome is not None and state_agent_before(w, ctx, i - 1):
                continue  # "security forces had killed two of them": the attackers, killed by the state
            if outcome is None and i + 3 < n and i + 3 in cue_end:
                outcome = cue_end[i + 3][1]
            if outcome is not None:
                covered.add(i)
                out.append(Candidate(i, i + 1, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
            continue
        if i + 3 >= n or (low[i + 2] != w.the and low[i + 2] not in w.possessive_det):
            continue
        j = i + 3
        verb = w.object_kill_verbs.get(low[i - 1]) if i else None  # "wounding two of his bodyguards"
        own_head = verb is None and low[i + 2] != w.the and j + 1 < n and low[j + 1] in w.passive_aux and (
            j in victim_ends or _plural_head(w, ctx, j, (w.passive_aux,)))  # "two of her bodyguards were killed"
        if (verb is not None or own_head) and j not in victim_ends and _plural_head(w, ctx, j, (w.passive_aux,)):
            victim_ends[j] = j + 1  # a head the lexicon does not know, as the object of a verb of hurting
        if low[i + 2] != w.the and not (j in victim_ends and (verb is not None or own_head)):
            continue
        if j in nums:
            k = j + 1
            while k < n and k - j <= 2 and w.is_adverb(low[k]):
                k += 1  # "Two of the 12 initially killed" -> "Two of the 12"
            if k in cue_end and k not in ctx.end_set:
                end, outcome = j + 1, cue_end[k][1]
            else:
                continue
        elif j in cue_end and low[j] in w.partitive_heads:
            end, outcome = cue_end[j]  # "11 of the injured"
        elif j in victim_ends and (own := own_outcome(w, ctx, i, victim_ends[j], cue_at)) is not None:
            end, outcome = victim_ends[j], own  # "three of the victims were seriously injured"
        elif j in victim_ends and verb is not None:
            end, outcome = victim_ends[j], verb  # "killing three of the guards", "wounding two of his bodyguards"
        else:
            continue
        if ctx.sent_of(i) != ctx.sent_of(end - 1):
            continue
        covered.update(range(i, end))
        out.append(Candidate(i, end, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
    return out

