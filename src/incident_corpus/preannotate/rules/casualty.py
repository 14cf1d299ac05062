"""CASUALTY: victim noun phrases and bare toll figures, each with the outcome (killed, injured, ...) of a
cue near it in the same sentence, or carried over from the sentence before.

`casualties` runs the finders in order (counted victims and tolls in `victim_counts`, subjects of a hurt verb in
`victim_subjects`, victims told through the dead in `the_dead`, named victims in `victim_names`), drops the
attackers' and a state's dead, and adds the conjuncts a found victim brings (her driver, the names of the counted).
"""

from __future__ import annotations

import numpy

from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.identity import age_end
from incident_corpus.preannotate.rules.people import listed_full_names
from incident_corpus.preannotate.rules.the_dead import among_the_dead, lists_after_openers, predicates_of_the_dead
from incident_corpus.preannotate.rules.victim_counts import (
    indefinite_objects,
    partitives,
    plural_head,
    subject_figures,
    toll_figures,
    victim_phrases,
)
from incident_corpus.preannotate.rules.victim_lists import list_elements, person_noun
from incident_corpus.preannotate.rules.victim_names import (
    identified_victims,
    named_kill_objects,
    named_objects,
    named_victims,
    with_name_after,
    with_name_before,
)
from incident_corpus.preannotate.rules.victim_subjects import hurt_in_a_state_act, passive_subjects
from incident_corpus.preannotate.rules.words import Words


def casualties(w: Words, ctx: DocContext, perp_heads: set[int]) -> list[Candidate]:
    """Victim noun phrases and bare toll figures, kept only next to an outcome cue in the same sentence.

    Each finder skips the tokens an earlier one `covered`, so the order below is part of the rules.
    """
    cues = sorted(ctx.by_kind.get("CUE", []))
    cue_at = {c[0]: c[2] for c in cues if c[2]}
    covered: set[int] = set()
    out = victim_phrases(w, ctx, perp_heads, cues, cue_at, covered)
    out.extend(subject_figures(w, ctx, cue_at, covered))
    out.extend(partitives(w, ctx, covered, cues))
    out.extend(toll_figures(w, ctx, covered))
    out.extend(indefinite_objects(w, ctx, covered, perp_heads))
    out.extend(named_victims(w, ctx, covered, perp_heads))
    out.extend(named_kill_objects(w, ctx, covered, perp_heads))
    out.extend(named_objects(w, ctx, covered, perp_heads))
    out.extend(identified_victims(w, ctx, covered, perp_heads))
    out.extend(predicates_of_the_dead(w, ctx, covered, perp_heads))
    out.extend(lists_after_openers(w, ctx, out, covered, perp_heads))
    out.extend(passive_subjects(w, ctx, covered, perp_heads))
    out.extend(among_the_dead(w, ctx, covered, perp_heads))
    perp_nouns = {e - 1 for _s, e, v in ctx.by_kind.get("PERP", ()) if v == "individual" and
                  ctx.low[e - 1] not in w.victim_fighters}
    out = [c for c in out if c.end - 1 not in perp_nouns]  # "killing 25 militants": attackers are no casualties
    out = [c for c in out if not hurt_in_a_state_act(w, ctx, c.end, cues)]
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
            person = plural_head(w, ctx, h) or h in victims
        elif low[a] in w.possessive_det and a + 2 < n and a + 1 in ctx.nums and low[a + 2] != w.hyphen:
            h = a + 2  # "his two bodyguards": the extent has no determiner
            person = plural_head(w, ctx, h, (w.place_preps,)) or h in victims
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
    if end := age_end(w, ctx, a):
        return end
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


def _after_a_name(w: Words, ctx: DocContext, k: int, named_ends: set[int]) -> bool:
    """Does the description at k stand in apposition after a named victim, an age between? D6: "Anna Berg, a
    nurse, died" and "Anna Berg, 22, a student" mark Anna Berg."""
    low = ctx.low
    c = k - 1
    if c >= 3 and low[c] == w.comma and (c - 1) in ctx.nums and low[c - 2] == w.comma:
        c -= 2
    return c >= 1 and low[c] == w.comma and c in named_ends
