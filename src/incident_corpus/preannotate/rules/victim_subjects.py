"""Victims as the subject of their outcome: the subject of a past passive hurt verb ("three counter-protesters
were stabbed", "Ali Vance was shot dead"), the noun phrase such a subject may be, and the state's acts whose
victims are out of scope ("Two young men were shot dead by police")."""

from __future__ import annotations

from incident_corpus.preannotate.rules.context import CONFIDENCE, Anchor, Candidate, DocContext
from incident_corpus.preannotate.rules.people import run_ending
from incident_corpus.preannotate.rules.victim_lists import DESCRIPTION_HEAD, listed_name, person_noun
from incident_corpus.preannotate.rules.words import Words


def passive_subjects(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
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
        span = subject_np(w, ctx, j, perp_heads, perp_starts, definite=not dying)
        if span is None and passive:  # "Two boys who sold newspapers on the corner were also killed": counted
            rel = next((k for k in range(j, max(ctx.sent_bounds(j)[0], j - _RELATIVE), -1) if low[k] == w.who), None)
            if rel is not None and rel > 0 and not any(low[m] == w.comma for m in range(rel, j + 1)):
                span = subject_np(w, ctx, rel - 1, perp_heads, perp_starts, definite=False)
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
            span = subject_np(w, ctx, a - 2, perp_heads, perp_starts, definite=not dying) if (
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


def subject_of_a_state_act(w: Words, ctx: DocContext, end: int, cues: list[Anchor]) -> bool:
    """Is the phrase ending at `end` the subject of a passive hurt verb the police or a state's force did?"""
    j = _verb_after(w, ctx, end, perfect=False)
    return j != end and any(c == j and v and _by_the_state(w, ctx, e) for c, e, v in cues)


def hurt_in_a_state_act(w: Words, ctx: DocContext, end: int, cues: list[Anchor]) -> bool:
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
    span = subject_np(w, ctx, j, perp_heads, perp_starts, definite=False)
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


def subject_np(w: Words, ctx: DocContext, j: int, perp_heads: set[int], perp_starts: set[int],
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
