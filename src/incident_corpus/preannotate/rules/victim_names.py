"""Named victims (D6): a titled name and its outcome, the person named after a noun of killing, and a victim
phrase's name before or after it, with the titles that go with a name."""

from __future__ import annotations

from incident_corpus.preannotate.rules.attack import force_subject
from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.people import name_ok, name_tok, run_at, run_ending
from incident_corpus.preannotate.rules.victim_lists import list_elements, listed_name, person_noun, split_title_dot
from incident_corpus.preannotate.rules.words import Words


def with_name_after(w: Words, ctx: DocContext, c: Candidate, covered: set[int], perp_heads: set[int]
                     ) -> Candidate:
    """D6: a victim's description with the name right after it is one span ("killing Judge Ramon Diaz" ->
    `Judge Ramon Diaz`, "police officer Tom Reyes was shot dead" -> `police officer Tom Reyes`)."""
    e = c.end
    if e >= ctx.n or e in ctx.end_set or e - 1 in ctx.end_set or not ctx.cap[e] or ctx.low[e] in w.time_words or (
            e - 1 in ctx.nums or ctx.low[e - 1] in w.bare_quantity_heads):
        return c  # not after a figure: "injuring hundreds Attack: CCTV shows" (a caption)
    run = run_at(w, ctx, e)
    if run is None and name_tok(w, ctx, e):  # a title inside the run: "Attorney General Roberto Garcia"
        run = (e, _titled_run_end(w, ctx, e))
    if run is None or not c.start <= run[0] <= e or not name_ok(w, ctx, *run) or any(
            m in covered or m in perp_heads for m in range(*run)):
        return c
    covered.update(range(*run))
    return c._replace(end=run[1])


def with_name_before(w: Words, ctx: DocContext, c: Candidate, covered: set[int], perp_heads: set[int]
                      ) -> Candidate:
    """D6: a victim's description in apposition after a name, or after a name and an age, gives way to the name
    ("his son Humayun, an Army captain who was killed" -> `Humayun`; the guideline's "Anna Berg, a nurse, died" ->
    `Anna Berg`; "Afzal, 52, a former senator, died" -> `Afzal`); not a place ("In Kabul, a policeman")."""
    low = ctx.low
    k = c.start - 2  # the name's last token
    if k >= 2 and k in ctx.nums and low[k - 1] == w.comma:
        k -= 2  # with the age between: "Denise Okafor, 45, a hospice nurse who was shot"
    if k < 0 or low[c.start - 1] != w.comma or not ctx.cap[k] or low[c.start] not in w.indefinite:
        return c
    run = run_ending(w, ctx, k)
    if run is None or not name_ok(w, ctx, *run) or any(m in covered or m in perp_heads for m in range(*run)) or (
            run[0] and (low[run[0] - 1] in w.target_preps or low[run[0] - 1] in w.place_preps)):
        return c
    covered.update(range(*run))
    return c._replace(start=run[0], end=run[1])


def named_victims(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
    """"Major General Ali Vance died", "Sergeant Omar Vance was killed": a titled name and its outcome."""
    low = ctx.low
    out: list[Candidate] = []
    victim_heads = {e - 1 for _s, e, _v in ctx.by_kind.get("VICTIM", ())}
    # the longest cue at each token first: "shot dead" (killed), not "shot" (injured)
    for c_start, _c_end, outcome in sorted(ctx.by_kind.get("CUE", ()), key=lambda c: (c[0], c[0] - c[1])):
        if not outcome:
            continue
        j = c_start - 1
        while j >= 0 and c_start - j <= 3 and (
                low[j] in w.passive_aux or w.is_adverb(low[j]) or low[j] in w.gap_adverbs):
            j -= 1  # "was also killed"
        if low[c_start] in w.passive_victim_cues and not any(low[m] in w.passive_aux for m in range(j + 1, c_start)):
            continue  # the agent of an active verb: "Officer Darren Wilson shot Michael Brown"
        aged = False
        if j >= 1 and low[j] == w.who and low[j - 1] == w.comma:
            j -= 2  # "Colonel Juan Perez, who died instantly"
            if j >= 2 and j in ctx.nums and low[j - 1] == w.comma:
                j -= 2  # "Ahmed Raza, 30, who was injured in the blast"
                aged = True
        elif j >= 2 and low[j] == w.comma and j - 1 in ctx.nums and low[j - 2] == w.comma:
            j -= 3  # "Sergeant Tomas Berg, 52, was killed"
            aged = True
        run = run_ending(w, ctx, j) if j >= 0 and ctx.cap[j] else None
        if run is None or any(m in covered for m in range(*run)):
            continue
        a = _titles_before(w, ctx, run[0])
        if a == run[0] and a > 0 and ((a - 1) in victim_heads or (
                person_noun(w, ctx, a - 1) and w.is_adjective_like(low[a - 1]))):
            a -= 1  # "journalist Anna Weiss died", "Kenyan receptionist Grace Wanjiru": a description before the name
            while a > 0 and low[a - 1] in w.casualty_left and low[a - 1] not in w.article:
                a -= 1
        if a == run[0] and not (run[0] in victim_heads and run[1] - run[0] > 1) and not (
                aged and run[1] - run[0] > 1 and not any(m in perp_heads for m in range(*run))):
            continue  # an untitled name may be the attacker ("Vance died in the blast he set off"), unless a full
            # name with an age no rule made a perpetrator ("Edward Sotomayor, 34, died at the scene")
        out.append(Candidate(a, run[1], "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
        while aged and a >= 6 and low[a - 1] == w.and_:  # "Edward Sotomayor, 34, and Stanley Almodovar, 23, were"
            k = a - 2 - (low[a - 2] == w.comma)
            prev = run_ending(w, ctx, k - 2) if k in ctx.nums and low[k - 1] == w.comma else None
            if prev is None or prev[1] - prev[0] < 2 or any(m in covered or m in perp_heads for m in range(*prev)):
                break
            a = prev[0]
            covered.update(range(*prev))
            out.append(Candidate(a, prev[1], "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
    return out


def named_kill_objects(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
    """D6: the person named after a noun of killing ("the assassination of Senator Luis Galan", "the murder of
    Jecar Neghme", in a text that reports an attack "the death of Carlos Galan") or before one in the possessive
    ("Bernardo Jaramillo's murder"), or after a kill participle ("the assassinated Carlos Pizarro"), with a title
    before the name."""
    low, n = ctx.low, ctx.n
    out: list[Candidate] = []
    found: list[tuple[int, int, str]] = []
    for _s, e, outcome in (*ctx.by_kind.get("KILL_OF", ()), *ctx.by_kind.get("DEATH_OF", ())):
        k = e + (e < n and low[e] == w.the)
        a = k
        while k < n and k - a < 2 and low[k] in w.office_modifiers:
            k += 1  # "the murder of former Supreme Court President Francisco Guerrero"
        if k < n and ctx.cap[k] and k not in ctx.end_set and name_tok(w, ctx, k):
            found.append((a, _titled_run_end(w, ctx, k), outcome))  # "of Senator Luis Galan", "of Supreme Court X"
    for s_, _e, outcome in ctx.by_kind.get("KILL_NOUN", ()):
        if s_ >= 2 and low[s_ - 1] in w.possessive and ctx.cap[s_ - 2]:
            run = run_ending(w, ctx, s_ - 2)
            if run is not None:
                found.append((_titles_before(w, ctx, run[0]), run[1], outcome))
    for c, e, outcome in ctx.by_kind.get("CUE", ()):
        # "the assassinated Carlos Pizarro", "the slain Jesuit Ignacio Ellacuria": a killed name after its participle
        if outcome and e - c == 1 and c and low[c - 1] == w.the and low[c] in w.passive_victim_cues:
            k = e
            while k < n and k - e < 2 and low[k] in w.office_modifiers:
                k += 1
            if k < n and ctx.cap[k] and k not in ctx.end_set and name_tok(w, ctx, k):
                found.append((e, _titled_run_end(w, ctx, k), outcome))
    for a, b, outcome in found:
        if b - a < 2 or not name_ok(w, ctx, a, b) or any(m in covered or m in perp_heads for m in range(a, b)):
            continue  # a person's full name, not "the killing of Muslims"
        covered.update(range(a, b))
        out.append(Candidate(a, b, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
    return out


_DESCRIPTION_WORDS = 3  # lower-case words of "the night watchman" before the comma of its name
_AGENT_BACK = 6  # tokens before a verb of hurting that may hold its agent ("a US drone strike killed")


def state_agent_before(w: Words, ctx: DocContext, v: int) -> bool:
    """Do the tokens before the verb of hurting at v, in its sentence, name a state's force or the police ("a US
    drone strike killed", "its troops had killed"), and no attacker before them? The act is then a
    state's, out of the guideline's scope."""
    low = ctx.low
    s0 = ctx.sent_bounds(v)[0]
    if any(s0 <= k < v for kind in ("PERP", "GROUP", "ACRONYM") for k, _e, _m in ctx.by_kind.get(kind, ())):
        # an attacker before it is the agent ("Gunmen attacked a police station, killing Officer X"), unless a
        # state's force is the verb's own subject ("the attackers escaped and security forces had killed two")
        return force_subject(w, ctx, s0, v)
    a = max(s0, v - _AGENT_BACK)
    return any(low[m] in w.state_force_heads and low[m] not in w.state_force_joiners for m in range(a, v)) or any(
        low[m] in w.police_shooters for m in range(a, v))  # not a raid: "raids by subversive groups"


def named_objects(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
    """D6: a person's name as the object of an active verb of hurting, with its titles ("gunmen killed Victor
    Pena", "militants assassinated Governor Luis Ortega", "shot dead Judge Ana Pardo"); a full name or a titled
    one, not a perpetrator's, not after a passive ("was shot dead Monday")."""
    low, n = ctx.low, ctx.n
    out: list[Candidate] = []
    for c, e, outcome in sorted(ctx.by_kind.get("CUE", ()), key=lambda c: (c[0], c[0] - c[1])):
        if not outcome or low[c] not in w.name_object_verbs or e >= n or e - 1 in ctx.end_set or (
                c and low[c - 1] in w.passive_aux) or (c >= 2 and low[c - 2] in w.passive_aux):
            continue
        k = e
        if low[k] in w.dead_determiners:  # "killing the caretaker, Emmanuel Audu": the name after the description
            m = k + 1
            while m < n and m - k <= _DESCRIPTION_WORDS and not ctx.cap[m] and m not in ctx.nums and (
                    w.is_adjective_like(low[m])):
                m += 1
            if not (m < n - 1 and m > k + 1 and low[m] == w.comma):
                continue
            k = e = m + 1
        if k < n and not ctx.cap[k] and k not in ctx.nums and low[k] not in w.office_modifiers and (
                not state_agent_before(w, ctx, c)):
            out.extend(_described_objects(w, ctx, k, outcome, covered, perp_heads))
            continue  # "injuring police corporal Juan Sepulveda and patrolman Hector Rojas"
        while k + 1 < n and k - e < 2 and (low[k] in w.office_modifiers or (
                low[k] in w.title_forces and low[k + 1] in w.person_titles)):
            k += 1  # "killed former Senator Luis Galan", "injuring Police Corporal Juan Sepulveda"
        if k >= n or not ctx.cap[k] or k in ctx.end_set or not name_tok(w, ctx, k) or low[k] in w.time_words:
            continue
        b = _titled_run_end(w, ctx, k)
        titled = _titles_before(w, ctx, k + 1) < k + 1 or low[k] in w.person_titles
        if (b - k < 2 and not titled) or (b - k < 3 and titled and low[b - 1] in w.person_titles) or not name_ok(
                w, ctx, k, b) or any(m in covered or m in perp_heads for m in range(k, b)):
            continue
        if state_agent_before(w, ctx, c):
            continue  # a state's act, out of scope: "police shot dead X", "a US drone strike killed X"
        covered.update(range(e, b))
        out.append(Candidate(e, b, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
    return out


def _described_objects(w: Words, ctx: DocContext, k: int, outcome: str, covered: set[int], perp_heads: set[int]
                       ) -> list[Candidate]:
    """D6: the described names after a verb of hurting, joined by *and* or commas, each one span ("injuring
    police corporal Juan Sepulveda and patrolman Hector Rojas")."""
    low = ctx.low
    s1 = ctx.sent_bounds(k)[1]
    out: list[Candidate] = []
    while (found := listed_name(w, ctx, k, s1)) is not None and found[0] == k and not any(
            m in covered or m in perp_heads for m in range(*found)):
        covered.update(range(*found))
        out.append(Candidate(found[0], found[1], "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
        k = found[1] + (found[1] < s1 and low[found[1]] == w.comma)
        if k >= s1 or low[k] != w.and_:
            break
        k += 1
    return out


def identified_victims(w: Words, ctx: DocContext, covered: set[int], perp_heads: set[int]) -> list[Candidate]:
    """D6: the names a report gives its dead or wounded: "the victim was identified as Marcus Johnson, 23",
    "police identified the dead as Sarah Kim and David Kim", "Police named the wounded as officer Jana Vogt, 34,
    ...", "The martyred jawans have been identified as head constable X of Uttar Pradesh, ..." (not "the gunman
    was identified as X"); each element as `listed_name` reads it."""
    low, n = ctx.low, ctx.n
    out: list[Candidate] = []
    for k in ctx.where(w.identify_verbs):
        if k + 2 >= n:
            continue
        s0, s1 = ctx.sent_bounds(k)
        if low[k + 1] == w.as_:  # "the victims have been identified as"
            j = k - 1
            while j >= s0 and k - j <= 3 and (low[j] in w.passive_aux or low[j] in w.perfect_aux):
                j -= 1
            if j < s0 or j == k - 1 or not (low[j] in w.identified_victim_heads or (
                    j > s0 and low[j - 1] in w.identified_dead)):  # "the dead man was identified as"
                continue
            m, head = k + 2, j
        else:  # "identified the dead as", "named the wounded as"
            m = k + 1 + (low[k + 1] == w.the)
            if m + 2 < n and low[m] in w.identified_dead and low[m + 1] != w.as_ and low[m + 2] == w.as_ and (
                    person_noun(w, ctx, m + 1)):
                m += 1  # "named the dead man as", "identified the slain officer as"
            if m + 1 >= n or not (low[m] in w.identified_victim_heads or low[m - 1] in w.identified_dead) or (
                    low[m + 1] != w.as_):
                continue
            m, head = m + 2, m
        if low[head] in w.identified_dead or (head > s0 and low[head - 1] in w.identified_dead):
            outcome = "killed"  # "the dead", "the martyred jawans"
        elif w.dead_subjects.get(low[head]) == "injured":
            outcome = "injured"  # "named the wounded as"
        else:
            outcome = last_outcome_near(ctx, k)
        for a, b, _nxt in list_elements(w, ctx, m, s1):
            if any(t in covered or t in perp_heads for t in range(a, b)):
                break
            covered.update(range(a, b))
            out.append(Candidate(a, b, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
    return out


def last_outcome_near(ctx: DocContext, k: int) -> str:
    """The outcome of the last hurt cue in token k's sentence or the one before, else unknown."""
    s = ctx.sent_of(k)
    values = [v for c, _e, v in ctx.by_kind.get("CUE", ()) if v and s - 1 <= ctx.sent_of(c) <= s]
    return values[-1] if values else "unknown"


def _titles_before(w: Words, ctx: DocContext, a: int) -> int:
    """Where a name starting at `a` starts with its capitalised titles ("Major General Ali Vance")."""
    while a > 0:
        if ctx.low[a - 1] in w.person_titles and ctx.cap[a - 1]:
            a -= 1
        elif a > 1 and ctx.cap[a - 2] and split_title_dot(w, ctx, a - 2):
            a -= 2  # "Sgt. Luis Pineda", the dot a token of its own
        else:
            break
    return a


def _titled_run_end(w: Words, ctx: DocContext, k: int) -> int:
    """One past the capitalised run from token k, titles and particles inside it ("Supreme Court President
    Francisco Jose Guerrero", "Alfonso de Lima"); not a number, a day or a month."""
    low, n = ctx.low, ctx.n
    b = k + 1
    while b < n and b - 1 not in ctx.end_set and ((ctx.cap[b] and b not in ctx.nums and low[b] not in w.time_words) or (
            low[b] in w.person_connectors and b + 1 < n and name_tok(w, ctx, b + 1))):
        b += 1
    return b
