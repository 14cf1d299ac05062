"""Counted victims and toll figures: a victim noun with its number and hedge ("at least 14 people"), the object of a
verb or noun of killing ("killing innocent civilians", "the slaughter of men, women and children"), an indefinite
object ("injuring a 60-year-old night watchman"), partitives ("two of the dead") and bare figures ("the toll rose
to 30", "Twelve died")."""

from __future__ import annotations

from incident_corpus.preannotate.rules.context import CONFIDENCE, Anchor, Candidate, DocContext
from incident_corpus.preannotate.rules.identity import age_end
from incident_corpus.preannotate.rules.outcomes import (
    bare_subject_outcome,
    carried_outcome,
    list_outcome,
    outcome_near,
    own_outcome,
    subject_outcome,
)
from incident_corpus.preannotate.rules.victim_lists import listed_name
from incident_corpus.preannotate.rules.victim_names import state_agent_before
from incident_corpus.preannotate.rules.victim_subjects import subject_of_a_state_act
from incident_corpus.preannotate.rules.words import Words


def victim_phrases(w: Words, ctx: DocContext, perp_heads: set[int], cues: list[Anchor], cue_at: dict[int, str],
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
        if outcome is None or subject_of_a_state_act(w, ctx, end, cues):
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


def subject_figures(w: Words, ctx: DocContext, cue_at: dict[int, str], covered: set[int]) -> list[Candidate]:
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
            continue  # a toll figure read by toll_figures ("killing 14"); "no one was hurt"
        if j > i + 1 and j in cue_at and i not in covered and (i + 1) not in nums and not (
                h and (low[h - 1] == w.the or low[h - 1] == w.of or (h - 1) in nums)):
            covered.update(range(h, i + 1))
            out.append(Candidate(h, i + 1, "CASUALTY", {"outcome": cue_at[j]}, CONFIDENCE["casualty_number"]))
    return out


def toll_figures(w: Words, ctx: DocContext, covered: set[int]) -> list[Candidate]:
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


def indefinite_objects(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
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
        h = age_end(w, ctx, v + 2) or v + 2  # "a 60-year-old watchman"
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


def plural_head(w: Words, ctx: DocContext, j: int, more_ends: tuple[frozenset[int], ...] = ()) -> bool:
    """A lower-case plural noun at j that ends its phrase and names no attackers ("two of his bodyguards,"; with
    `more_ends`, also before those words: "two of her bodyguards were killed")."""
    text = ctx.doc[j].text
    return (not ctx.cap[j] and j not in ctx.nums and text.endswith("s") and text.isalpha() and len(text) > 3
            and not any(s == j for s, _e, _v in ctx.by_kind.get("PERP", ()))
            and (j + 1 >= ctx.n or ctx.low[j + 1] in w.list_element_ends
                 or any(ctx.low[j + 1] in m for m in more_ends)))


def partitives(w: Words, ctx: DocContext, covered: set[int], cues: list[tuple[int, int, str]]) -> list[Candidate]:
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
            j in victim_ends or plural_head(w, ctx, j, (w.passive_aux,)))  # "two of her bodyguards were killed"
        if (verb is not None or own_head) and j not in victim_ends and plural_head(w, ctx, j, (w.passive_aux,)):
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
