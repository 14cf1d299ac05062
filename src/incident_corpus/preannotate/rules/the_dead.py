"""Victims told through the dead and the wounded: "Anna Berg was among the dead" (D6), "the dead included three
policemen", "The victims were ...", and the named victims listed after an opener ("Killed were Rosa Delgado, 67, ...",
"killed seven people at the bar: Lea Marchetti, 27, ...")."""

from __future__ import annotations

import numpy

from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.victim_lists import (
    DESCRIPTION_HEAD,
    after_listed_name,
    list_elements,
    listed_name,
    person_noun,
)
from incident_corpus.preannotate.rules.victim_names import last_outcome_near
from incident_corpus.preannotate.rules.victim_subjects import subject_np
from incident_corpus.preannotate.rules.words import Words


def among_the_dead(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
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
                continue  # "X was among the dead", not "among the dead were" (a list: predicates_of_the_dead)
            j -= 1
            if low[j] == w.comma:  # "Father Daniel Kiprono, 61, the parish priest, was among the dead"
                c = next((m for m in range(j - 1, max(s0, j - _DESCRIPTION_BACK) - 1, -1) if low[m] == w.comma), None)
                if c is not None and (low[c + 1] in w.article or low[c + 1] == w.the):
                    j = c - 1
                if j - 2 > s0 and j in ctx.nums and low[j - 1] == w.comma:
                    j -= 2  # ", 61"
            span = _described_name_ending(w, ctx, j, s0) if ctx.cap[j] else subject_np(
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


def predicates_of_the_dead(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
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


def lists_after_openers(w: Words, ctx: DocContext, found: list[Candidate], covered: set[int], perp_heads: set[int]
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
