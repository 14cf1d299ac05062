"""Lists of the dead and wounded (D6): the element that starts at a token, and where the next one starts.

One reader for every list a report gives its victims in ("Among those killed were retired teacher Margaret
Ellis, 71, and 19-year-old student Tomas Varga", "Police named the wounded as officer Jana Vogt, 34, officer
Felix Brandt, 29, and delivery driver Omar Khalil, 38", "The officers, Constable X and Sergeant Y, were"):
an element is a full name with its titles, or a person's description and the name after it, one span.
"""

from __future__ import annotations

from collections.abc import Iterator

from incident_corpus.preannotate.rules.context import DocContext
from incident_corpus.preannotate.rules.people import name_ok, run_at
from incident_corpus.preannotate.rules.words import Words

DESCRIPTION_HEAD = 10  # tokens of "Betts's 22-year-old sister" before the comma of its name
DESCRIPTION_MAX = 12  # tokens of ", a 22-year-old student from Ghent" (a hyphenated age is five)
_PREFIX_MAX = 8  # lower-case tokens of "34-year-old bus driver" before a name (a hyphenated age is five)
_RELATIVE_MAX = 12  # tokens of ", who were guarding the bank," after a listed name
_SEMICOLON_REACH = 30  # tokens of ", a railway police officer who tried to stop the bomber at the ticket barrier;"


def listed_name(w: Words, ctx: DocContext, j: int, s1: int) -> tuple[int, int] | None:
    """The name that starts a list element at j, with its titles and a suffix such as *Jr.*: a full name
    ("Sergeant Musa Bello", "Edward Sotomayor Jr."), or a person's lower-case description and the name after it
    ("retired teacher Margaret Ellis", "34-year-old bus driver Samir Haddad", "her grandson Tobias" ->
    `grandson Tobias`: a described name may be one word)."""
    if j >= s1:
        return None
    low = ctx.low
    a = j + (low[j] in w.possessive_det)  # "her grandson Tobias": the extent has no determiner
    t = a
    if t + 2 < s1 and ctx.cap[t] and not ctx.cap[t + 1] and w.is_adjective_like(low[t + 1]) and t not in ctx.nums:
        t += 1  # a capitalised origin before the description: "Japanese engineer Kenji Watanabe"
    while t < s1 and t - a < _PREFIX_MAX and not ctx.cap[t] and (
            w.is_adjective_like(low[t]) or low[t] == w.hyphen or t in ctx.nums or low[t] in w.person_titles):
        t += 1
    described = t > a
    if described and t + 1 < s1 and low[t] == w.comma and ctx.cap[t + 1] and (
            _names_a_person(w, ctx, t - 1, kin=a > j)):
        named = listed_name(w, ctx, t + 1, s1)  # "her husband, Geoffrey Price": one person, the name is the span
        return named if named is not None and named[0] == t + 1 else None
    if described and not (t < s1 and ctx.cap[t] and (_names_a_person(w, ctx, t - 1, kin=a > j) or (
            low[t] in w.person_titles and _title_end(w, ctx, t, s1) > t))):  # "police Lt. Jorge Salcedo"
        return None
    if t >= s1 or not ctx.cap[t]:
        return None
    if t + 1 < s1 and low[t] in w.title_forces and low[t + 1] in w.person_titles and ctx.cap[t + 1]:
        t += 1  # "Police Sergeant Luis Molano": the force is the title's
    titled = t
    while t + 1 < s1 and low[t] in w.person_titles and (nxt := _title_end(w, ctx, t, s1)) > t:
        t = nxt  # "Sergeant Musa Bello", "Lt. Jorge Salcedo": the title is the name's (D6)
    described = described or t > titled  # "Lieutenant Bolanos": a titled name may be one word
    run = run_at(w, ctx, t)
    if run is not None and run[0] < t and all(low[m] in w.person_titles for m in range(max(run[0], j), t)):
        run = (t, run[1])  # "Lt. Jorge Salcedo": an abbreviated title reads as part of the name run
    if run is None or run[0] != t or run[1] - run[0] < 2 - described or not name_ok(w, ctx, *run):
        return None
    end = run[1]
    if end < s1 and low[end] in w.name_suffixes:
        end += 1  # "Edward Sotomayor Jr."
    return (a if described else j), end


def split_title_dot(w: Words, ctx: DocContext, t: int) -> bool:
    """Is token t an abbreviated title whose full stop the tokenizer split off ("Lt" "." in "Lt. Jorge")?"""
    return (t + 1 < ctx.n and ctx.low[t] in w.title_abbreviations and ctx.text(t + 1) == "."
            and not ctx.doc[t].whitespace_)


def _title_end(w: Words, ctx: DocContext, t: int, s1: int) -> int:
    """The capitalised word after a title at t, past its dot where the tokenizer split it off ("Lt. Jorge"), else
    t."""
    if t + 1 < s1 and ctx.cap[t + 1]:
        return t + 1
    if t + 2 < s1 and split_title_dot(w, ctx, t) and ctx.cap[t + 2]:
        return t + 2
    return t


def person_noun(w: Words, ctx: DocContext, k: int) -> bool:
    """Does the lower-case word at k name a person: a title, a victim noun of the lexicon, or a person's ending
    ("teacher", "florist", "patrolman", "constable", "driver")? Asked of a description before a name or after a
    possessive."""
    low = ctx.low
    return not ctx.cap[k] and (low[k] in w.person_titles or w.strings[low[k]].endswith(w.person_endings) or any(
        e - 1 == k for _s, e, _v in ctx.by_kind.get("VICTIM", ())))


def _names_a_person(w: Words, ctx: DocContext, k: int, kin: bool) -> bool:
    """Is the lower-case word at k, right before a name, a person's noun, an age ("eight-year-old"), or any noun
    after a possessive ("her grandson")?"""
    return kin or person_noun(w, ctx, k) or (
        ctx.low[k] == w.old and k >= 1 and ctx.low[k - 1] == w.hyphen)  # "eight-year-old Lily Morgan"


def list_elements(w: Words, ctx: DocContext, j: int, s1: int, *, exact: bool = False
                  ) -> Iterator[tuple[int, int, int | None]]:
    """The elements of a list of names that starts at j: (start, end, where the next element starts or None), one
    reader for every list the rules walk (of the dead, of the suspects); `exact`: the first element starts at j and
    every later one at its predecessor's next start. A caller stops the walk where its own test fails."""
    while (named := listed_name(w, ctx, j, s1)) is not None and (named[0] == j or not exact):
        nxt = after_listed_name(w, ctx, named[1], s1)
        yield named[0], named[1], nxt
        if nxt is None:
            return
        j = nxt


def after_listed_name(w: Words, ctx: DocContext, end: int, s1: int) -> int | None:
    """Where the next element of a list of the dead starts after a name that ends at `end` and its apposition
    (", 34", ", a train driver", " of Punjab", ", who were guarding the bank,"), past "; " / ", " / ", and" /
    "and"; None where the list ends."""
    low = ctx.low
    j = past_apposition(w, ctx, end, s1)
    if j + 1 < s1 and low[j] in w.list_joints and low[j + 1] == w.and_:
        j += 1
    if j < s1 and (low[j] in w.list_joints or low[j] == w.and_):
        return j + 1
    return None


def past_apposition(w: Words, ctx: DocContext, j: int, s1: int) -> int:
    """Past an origin, an age, an indefinite description or a relative clause after a listed name (" of Punjab",
    ", 34", ", a travel agent", ", who were guarding the bank"): the token after it, or j."""
    low = ctx.low
    if j + 1 < s1 and low[j] == w.of and ctx.cap[j + 1]:
        j += 1
        while j < s1 and ctx.cap[j] and j not in ctx.nums:
            j += 1  # "constable Manpreet Singh of Punjab": where the person is from
    if j + 1 < s1 and low[j] == w.comma and j + 1 in ctx.nums:
        j += 2  # ", 45" (and then perhaps ", a train driver")
    elif j + 2 < s1 and low[j] == w.paren and j + 1 in ctx.nums and low[j + 2] == w.paren_close:
        j += 3  # "constable Sanjay Tirkey (29)": an age in parentheses
    semicolon = next((m for m in range(j + 2, min(s1, j + _SEMICOLON_REACH)) if ctx.text(m) == ";"), None)
    if j + 1 < s1 and low[j] == w.comma and semicolon is not None and (low[j + 1] == w.the or not ctx.cap[j + 1]):
        return semicolon  # in a list in semicolons any description: "Samir Bensaid, 34, the bar's head barman;"
    if j + 1 < s1 and low[j] == w.comma and (low[j + 1] in w.article or low[j + 1] in w.relative_openers):
        k = semicolon or next(
            (m for m in range(j + 2, min(s1, j + max(DESCRIPTION_MAX, _RELATIVE_MAX))) if low[m] in w.list_joints),
            None)  # a list in semicolons may give each element a long description
        if k is not None:
            return k
        return s1 if s1 - j <= DESCRIPTION_MAX else j  # the description ends the clause: nothing is listed after
    return j
