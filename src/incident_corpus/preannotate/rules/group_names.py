"""Group names in a document: from the lexicon, from name shapes (`X Front`, `Lashkar-e-X`, `Provisional X`,
"the separatist group ETA"), acronyms and glosses in parentheses, and names the article itself puts in role
(*X claimed*, *blamed X*, *blamed the attack on X*)."""

from __future__ import annotations

from collections.abc import Callable

import numpy

from incident_corpus.preannotate.rules.blame import blamed_phrases, people_noun
from incident_corpus.preannotate.rules.context import DocContext
from incident_corpus.preannotate.rules.entities import (
    Keys,
    acronym_end,
    acronym_token,
    acronyms_before_fighters,
    name_key,
    parenthesised,
    prefixed_names,
)
from incident_corpus.preannotate.rules.people import (
    act_claimed_is_other,
    attackers_group_start,
    issues_claim,
    named_self_claims,
)
from incident_corpus.preannotate.rules.words import Words


def group_names(w: Words, ctx: DocContext) -> tuple[list[tuple[int, int, str]], Keys]:
    """Group-name mentions: (start, end, source) with source group (lexicon), pattern or learned; and the
    entity keys joined by parentheses."""
    low, n = ctx.low, ctx.n
    found: list[tuple[int, int, str]] = [(s, e, "group") for s, e, _v in ctx.by_kind.get("GROUP", ())]
    found += [(s, e, "group") for s, e, _v in ctx.by_kind.get("ACRONYM", ())]
    for start, end, _v in ctx.by_kind.get("ORGSUFFIX", ()):
        i = _name_start(w, ctx, start)
        tail = _name_tail(w, ctx, end)  # "the Army of National Liberation", "Front for the Liberation of X"
        if i < start or tail > end:
            found.append((i, tail, "pattern"))
    for h in ctx.where(w.tail_org_heads):
        i, tail = _name_start(w, ctx, h), _name_tail(w, ctx, h + 1)  # "the Zarate Willka Armed Forces of Liberation"
        if ctx.cap[h] and tail > h + 1 and any(ctx.cap[k] and low[k] not in w.state_force_heads and low[k] not in
                                                w.state_names for k in range(i, h)):
            found.append((i, tail, "pattern"))
    found.extend(prefixed_names(w, ctx))
    found.extend(_quoted_names(w, ctx))
    found.extend(_introduced_names(w, ctx))
    found.extend(_names_glossed_as_groups(w, ctx))
    found.extend(_names_before_acronyms(w, ctx))
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
        elif low[start] in w.fighter_nouns and end + 1 < n and (low[end] == w.of or (
                low[end] == w.from_ and low[end + 1] == w.the)):
            # "guerrillas of the FMLN", "fighters from the Islamic State": the fighters' group is named (not "militants
            # from Xinjiang": a place)
            k = end + 1 + (low[end + 1] == w.the)
            e = k
            while e < n and ctx.cap[e] and e not in ctx.end_set and low[e] not in w.not_name_words and e - k < 6:
                e += 1
            if e > k and w.state_names.isdisjoint(low[k:e]):
                found.append((k, e, "pattern"))
    found.extend(acronyms_before_fighters(w, ctx, found))
    # "the IRA's Belfast brigade": a unit of a named group is named with it; "ULFA-I": a faction's letters
    for k, (s, e, src) in enumerate(found):
        if e - s == 1 and acronym_end(ctx, s) > e:
            found[k] = (s, e := acronym_end(ctx, s), src)
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
    found.extend(parenthesised(w, ctx, learned, keys))  # "blamed the attacks on National Thowheeth Jama'ath (NTJ)"
    found.extend(_glosses(w, ctx, found, keys))
    found.extend(_also_known_as(w, ctx, found, keys))
    found.extend(_translated_names(w, ctx, found, keys))
    # keep the longest name at each position (Islamic State Khorasan Province over Islamic State)
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for f in found:
        if f[0] >= last_end:
            out.append(f)
            last_end = f[1]
    return out, keys


def _name_start(w: Words, ctx: DocContext, start: int) -> int:
    """Where a name ending in a head word at `start` begins: the capitalised words and connectors before it
    ("the People's Resistance Front": a possessive inside the name; not "On Monday Free Syrian Army")."""
    low = ctx.low
    i = start
    while i > 0 and (low[i - 1] not in w.name_stops or (i > 1 and low[i - 2] in w.name_possessors)) and (
            ctx.cap[i - 1] or low[i - 1] in w.name_connectors) and (i - 1) not in ctx.end_set and not (
            low[i - 1] in w.time_words or (low[i - 1] in w.place_preps and ctx.cap[i - 1])) and not (
            i > 2 and low[i - 2] == w.hyphen and low[i - 3] in w.not_role_before) and (  # "the pro-Castro Army of"
            (i - 1) not in ctx.claim_at and (i - 1) not in ctx.attack_starts):  # "Army Blames Red Hand Brigade"
        i -= 1
    while i < start and low[i] in w.name_connectors:
        i += 1
    return i


NAMING_MAX = 4  # words between a group noun and its name: "a group which calls itself the"


def _introduced_names(w: Words, ctx: DocContext) -> list[tuple[int, int, str]]:
    """The name a group noun introduces: *a group known as the Black Hand*, *an organisation calling itself
    Revolutionary Justice*, *a faction under the name X*."""
    low, n = ctx.low, ctx.n
    out: list[tuple[int, int, str]] = []
    for start, end, _v in ctx.by_kind.get("PERP", ()):
        if low[start] not in w.group_nouns_before_name:
            continue
        k = end
        while k < n and k - end < NAMING_MAX and low[k] in w.naming_words and not ctx.cap[k]:
            k += 1
        last = k - 1 - (low[k - 1] == w.the)
        if k == end or last < end or low[last] not in w.naming_ends:
            continue
        e = k
        while e < n and e - k < _TAIL_MAX and (e == k or (e - 1) not in ctx.end_set) and (
                (ctx.cap[e] and low[e] not in w.not_name_words) or (
                e > k and low[e] in w.name_connectors and e + 1 < n and ctx.cap[e + 1])):
            e += 1
        if e > k:
            out.append((k, e, "pattern"))
    return out


_ACRONYM_NAME_MAX = 10  # tokens of "the Group for the Support of Islam and Muslims" before "(JNIM)"


def _names_before_acronyms(w: Words, ctx: DocContext) -> list[tuple[int, int, str]]:
    """A name its acronym introduces, with an organisation's head in it: "the Group for the Support of Islam and
    Muslims (JNIM)", "the Committee for Public Safety (CPS)" (words joined by of / for / the / and)."""
    low = ctx.low
    out: list[tuple[int, int, str]] = []
    for p in ctx.where(w.parens):
        a_end = acronym_end(ctx, p + 1)
        if a_end == p + 1 or a_end >= ctx.n or low[a_end] != w.paren_close or not p or not ctx.cap[p - 1]:
            continue
        i = p - 1
        while i > 0 and p - i < _ACRONYM_NAME_MAX and (i - 1) not in ctx.end_set and (
                (ctx.cap[i - 1] and low[i - 1] not in w.not_name_words) or (
                    low[i - 1] in w.name_joiners and i > 1 and (ctx.cap[i - 2] or low[i - 2] in w.name_joiners))):
            i -= 1
        while i < p and low[i] in w.name_joiners:
            i += 1  # a name opens with a capital, not "of the"
        if p - i >= 2 and any(low[m] in w.acronym_name_heads for m in range(i, p)) and w.state_names.isdisjoint(
                low[i:p]):
            out.append((i, p, "pattern"))
    return out


_GLOSS_ADJECTIVES = 4  # words of "a small chat-based jihadist network" between the article and the group noun


def _names_glossed_as_groups(w: Words, ctx: DocContext) -> list[tuple[int, int, str]]:
    """A name that an apposition says is a group: *LTN, a small jihadist network based in Idlib*, *Jeshi la Haki
    (JLH), a coastal militia*, *the SBM, a chat-based network of about 40 men*; not a place or a state."""
    low = ctx.low
    out: list[tuple[int, int, str]] = []
    for start, end, kind in ctx.by_kind.get("PERP", ()):
        if kind != "organisation" or end - start != 1:
            continue
        q = start - 1
        while q > 0 and start - q <= _GLOSS_ADJECTIVES and not ctx.cap[q] and low[q] not in w.article and (
                w.is_adjective_like(low[q]) or low[q] == w.hyphen):
            q -= 1  # "a small chat-based jihadist network"
        if q < 2 or low[q] not in w.indefinite or low[q - 1] != w.comma:
            continue
        e = q - 1
        if low[e - 1] == w.paren_close and e >= 4 and low[e - 3] == w.paren:
            e -= 3  # "Jeshi la Haki (JLH), a coastal militia": the name before its acronym
        i = e
        while i > 0 and e - i < _TAIL_MAX and (i - 1) not in ctx.end_set and (
                (ctx.cap[i - 1] and low[i - 1] not in w.not_name_words) or (
                    low[i - 1] in w.foreign_connectors and i > 1 and ctx.cap[i - 2])):
            i -= 1
            if i > 2 and low[i - 1] == w.hyphen and low[i - 2] in w.foreign_connectors and ctx.cap[i - 3]:
                i -= 2  # "Jaysh al-Tawhid (JAT), a jihadist group": the particle and its hyphen
        if i < e and ctx.cap[i] and w.state_names.isdisjoint(low[i:e]) and w.country_names.isdisjoint(low[i:e]):
            out.append((i, e, "pattern"))
    return out


_QUOTED_MAX = 8  # tokens between the quotes of 'the "Tupac Amaru Revolutionary Movement" (MRTA) group'


def _quoted_names(w: Words, ctx: DocContext) -> list[tuple[int, int, str]]:
    """A capitalised name in quotation marks before a group noun: *the "Zarate Willka" group*, *the Maoist
    "Shining Path" organisation*, *the "Red Hand" (RH) group*: the article says what it names."""
    low, n = ctx.low, ctx.n
    out: list[tuple[int, int, str]] = []
    opens = [i for i in ctx.where(w.quotes) if i + 2 < n]
    for i in opens:
        if not ctx.cap[i + 1] or low[i + 1] in w.not_name_words:
            continue
        m = i + 1
        while m < n and m - i <= _QUOTED_MAX and m not in ctx.end_set and (ctx.cap[m] or (
                low[m] in w.name_connectors and m + 1 < n and ctx.cap[m + 1])) and low[m] not in w.quotes:
            m += 1
        if m >= n - 1 or low[m] not in w.quotes:
            continue
        g = m + 1
        if g + 2 < n and low[g] == w.paren and low[g + 2] == w.paren_close:
            g += 3  # its acronym between: 'the "Tupac Amaru Revolutionary Movement" (MRTA) group'
        if g < n and low[g] in w.group_nouns_before_name:
            out.append((i + 1, m, "pattern"))
    return out


_TAIL_MAX = 6  # tokens after "of" in "Front for the Liberation of the Enclave of Cabinda"


def _name_tail(w: Words, ctx: DocContext, end: int) -> int:
    """Where a group's name ends when its head word comes first (*Army of National Liberation*, *Front for
    the Liberation of Cabinda*, *Armed Forces of Liberation*); `end` when no name follows the head, or when
    what follows is a state's name (*the Army of Pakistan*)."""
    low, n = ctx.low, ctx.n
    if end + 1 >= n or (low[end] != w.of and low[end] != w.for_) or (end - 1) in ctx.end_set:
        return end
    k = end + 1 + (low[end + 1] == w.the)
    e = k
    while e < n and e - k < _TAIL_MAX and (e - 1) not in ctx.end_set and (
            (ctx.cap[e] and low[e] not in w.not_name_words)
            or (e > k and low[e] in (w.of, w.the, w.and_) and e + 1 < n and (ctx.cap[e + 1] or low[e + 1] == w.the))
            or (e > k and low[e] == w.hyphen and e + 1 < n and ctx.cap[e + 1] and not ctx.doc[e - 1].whitespace_)):
        e += 1  # capitalised words, and "of" / "the" / "and" between them; "of Asom-Independent"
    while e > k and not ctx.cap[e - 1]:
        e -= 1
    if e == k or all(low[m] in w.state_names for m in range(k, e) if ctx.cap[m]):
        return end
    known = {s for kind in ("GROUP", "ACRONYM") for s, _e, _v in ctx.by_kind.get(kind, ())}
    if any(m in known for m in range(k, e)) or low[k] in w.foreign_org_heads:
        return end  # "the Belfast Brigade of the Provisional IRA", "the Cacique Guanenta Front of the Ejercito de
        # Liberacion Comunera": a unit of another group, named apart
    return e


_SEED_MAX = 8  # words of a learned name: "the South Bastar Divisional Committee of the CPI"
_GLOSS_MAX = 9  # tokens of "(Homeland Shield Brigades)" between a name and its claim
_APPOSITION_MAX = 16  # tokens between the commas of "X, a jihadist group that operates on both sides of the border,"


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
    if low[k] == w.comma and k + 2 < j - 1 and low[k + 1] in w.quotes and low[k + 2] in w.apposition_openers:
        return k  # 'the "Zarate Willka Armed Forces of Liberation," a group with an Indian background, has'
    return j


_NAMING_BEFORE = 8  # words of a name in another language before its gloss ("Frente Patriótico Manuel Rodríguez")


def _glosses(w: Words, ctx: DocContext, found: list[tuple[int, int, str]], keys: Keys
             ) -> list[tuple[int, int, str]]:
    """A name's gloss right after it, in parentheses (*Brigada Zapata (Zapata Brigade)*) or as an
    alternative between commas (*Harakat al-Mustaqbal, or the Movement of the Future,*): the same group,
    with its other mentions."""
    low, n = ctx.low, ctx.n
    taken = {(s, e) for s, e, _src in found}
    out: list[tuple[int, int, str]] = []
    for s, e, _src in found:
        acronym = e + 2 < n and low[e] == w.comma and acronym_token(ctx, e + 1) and low[e + 2] == w.paren_close
        if acronym:  # "(Red Dawn Revolutionary Movement, MRAR)": the gloss and the acronym, one group
            keys.union(name_key(w, ctx, s, e), name_key(w, ctx, e + 1, e + 2))
            out.extend(_mentions_of(ctx, e + 1, taken))
        if s >= 3 and low[s - 1] == w.paren and e < n and (low[e] == w.paren_close or acronym):
            before = next((a for a, b, _x in found if b == s - 1), None)
            if before is not None:  # "Saraya Dir al-Watan (Homeland Shield Brigades)": a name found before its gloss
                keys.union(name_key(w, ctx, s, e), name_key(w, ctx, before, s - 1))
                continue
            # "the Ejército de Liberación Nacional (National Liberation Army)": the name the gloss translates
            a = s - 1
            while a > 0 and s - 1 - a < _NAMING_BEFORE and (a - 1) not in ctx.end_set and low[a - 1] not in (
                    w.not_name_words) and (ctx.cap[a - 1] or (low[a - 1] in w.foreign_connectors and a > 1 and
                                                             ctx.cap[a - 2])):
                a -= 1
            if s - 1 - a >= 2 and ctx.cap[a] and (a, s - 1) not in taken and not any(
                    low[m] in w.state_names for m in range(a, s - 1)):
                taken.add((a, s - 1))
                keys.union(name_key(w, ctx, s, e), name_key(w, ctx, a, s - 1))
                out.append((a, s - 1, "learned"))
            continue
        if e + 3 < n and low[e] == w.paren:
            k = e + 1 + (low[e + 1] in w.quotes)  # 'Lashkar-e-Ansar ("Army of the Helpers")'
            k += low[k] == w.the and ctx.cap[k + 1]  # "Los Intocables del Valle (The Untouchables of the Valley)"
            close = w.paren_close
        elif e + 4 < n and low[e] == w.comma and low[e + 1] == w.or_:  # "X, or the Movement of the Future,"
            k = e + 2 + (low[e + 2] == w.the)
            close = w.comma
        else:
            continue
        m = k
        while m < n and m - k < 6 and m not in ctx.end_set and _gloss_word(w, ctx, k, m):
            m += 1
        acronym = close == w.paren_close and m + 2 < n and low[m] == w.comma and acronym_token(ctx, m + 1) and (
            low[m + 2] == w.paren_close)  # "the Frente Popular Autonomo (Autonomous Popular Front, FPA)"
        m_close = m + (m + 1 < n and low[m] in w.quotes and low[k - 1] in w.quotes)  # the gloss's closing quote
        if m - k >= 2 and m < n and (low[m_close] == close or acronym) and ctx.cap[m - 1] and (k, m) not in taken:
            keys.union(name_key(w, ctx, s, e), name_key(w, ctx, k, m))
            if acronym:
                keys.union(name_key(w, ctx, s, e), name_key(w, ctx, m + 1, m + 2))
                out.extend(_mentions_of(ctx, m + 1, taken))
            gloss = low[k:m]
            for i in numpy.flatnonzero(ctx.lows == gloss[0]).tolist():  # and its other mentions
                if low[i:i + len(gloss)] == gloss and ctx.cap[i] and (i, i + len(gloss)) not in taken:
                    taken.add((i, i + len(gloss)))
                    out.append((i, i + len(gloss), "learned"))
    return out


def _past_acronym(w: Words, ctx: DocContext, j: int) -> int:
    """The token after the acronym in parentheses that opens at j ("(ISKP)", "(ULFA-I)"), else j."""
    if j + 2 < ctx.n and ctx.low[j] == w.paren:
        a_end = acronym_end(ctx, j + 1)
        if a_end > j + 1 and a_end < ctx.n and ctx.low[a_end] == w.paren_close:
            return a_end + 1
    return j


def _also_known_as(w: Words, ctx: DocContext, found: list[tuple[int, int, str]], keys: Keys
                   ) -> list[tuple[int, int, str]]:
    """A group's other names after *also known as / also called / also spelled / also transliterated*: "Islamic
    State Khorasan Province (ISKP), also known as IS-K or ISIS-K", "al-Shabab (also spelled al-Shabaab)": the same
    group, with every mention."""
    low, n = ctx.low, ctx.n
    taken = {(s, e) for s, e, _src in found}
    out: list[tuple[int, int, str]] = []
    for s, e, _src in list(found):
        j = _past_acronym(w, ctx, e)  # past "(ISKP)"
        j += j < n and (low[j] == w.comma or low[j] == w.paren)
        if not (j + 2 < n and low[j] == w.also and low[j + 1] in w.alias_words):
            continue
        k = j + 2 + (low[j + 2] == w.as_)
        while k < n:
            a_end = acronym_end(ctx, k)
            if a_end == k:
                while a_end < n and a_end - k < _TAIL_MAX and (ctx.cap[a_end] or (
                        low[a_end] in w.foreign_connectors and a_end + 1 < n and (
                            ctx.cap[a_end + 1] or low[a_end + 1] == w.hyphen)) or (
                        low[a_end] == w.hyphen and a_end + 1 < n and ctx.cap[a_end + 1])):
                    a_end += 1  # "al-Shabaab", "Liwaa Ahrar al-Jezira"
            if a_end == k or (k, a_end) in taken:
                break
            taken.add((k, a_end))
            keys.union(name_key(w, ctx, s, e), name_key(w, ctx, k, a_end))
            out.append((k, a_end, "learned"))
            if a_end - k == 1 or acronym_token(ctx, k):
                out.extend(m for m in _mentions_of(ctx, k, taken) if acronym_end(ctx, m[0]) == a_end - k + m[0])
            if a_end + 1 < n and low[a_end] == w.or_:
                k = a_end + 1  # "IS-K or ISIS-K"
                continue
            break
    return out


_TRANSLATION_REACH = 8  # tokens of ", a name that translates roughly as" between a name and its quoted gloss


def _translated_names(w: Words, ctx: DocContext, found: list[tuple[int, int, str]], keys: Keys
                      ) -> list[tuple[int, int, str]]:
    """A group's name translated in quotes after it: *Jamaah Tauhid Nusantara (JTN), a name that translates roughly
    as "Congregation of the Oneness of God"*, *Liwa Tariq al-Nur (LTN), Arabic for "the Brigade of the Path of
    Light"*, *Jeshi la Haki (JLH), a coastal militia whose name means "Army of Justice"*: the same group."""
    low, n = ctx.low, ctx.n
    taken = {(s, e) for s, e, _src in found}
    out: list[tuple[int, int, str]] = []
    for s, e, _src in list(found):
        j = _past_acronym(w, ctx, e)
        if j >= n or low[j] != w.comma:
            continue
        q = next((m for m in range(j + 1, min(n, j + _TRANSLATION_REACH)) if low[m] in w.quotes), None)
        if q is None or (q + 1) in ctx.end_set or not any(low[m] in w.translation_cues for m in range(j + 1, q)):
            continue
        k = q + 1 + (q + 2 < n and low[q + 1] == w.the and bool(ctx.cap[q + 2]))
        m = k
        while m < n and m - k < _TAIL_MAX and m not in ctx.end_set and _gloss_word(w, ctx, k, m):
            m += 1
        if m - k >= 2 and m < n and low[m] in w.quotes and ctx.cap[m - 1]:
            keys.union(name_key(w, ctx, s, e), name_key(w, ctx, k, m))  # a name shape may have found it already
            if (k, m) not in taken:
                taken.add((k, m))
                out.append((k, m, "learned"))
    return out


def _mentions_of(ctx: DocContext, k: int, taken: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Every mention of the acronym at token k (itself too), as a learned name: "(..., MRAR) ... The MRAR has not
    claimed it"."""
    orth = ctx.doc[k].orth
    out = []
    for i, tok in enumerate(ctx.doc):
        if tok.orth == orth and (i, i + 1) not in taken:
            taken.add((i, i + 1))
            out.append((i, i + 1, "learned"))
    return out


def _gloss_word(w: Words, ctx: DocContext, k: int, m: int) -> bool:
    """Token m continues a gloss that opened at k: a capitalised word, or "of" / "of the" inside it."""
    low = ctx.low
    if ctx.cap[m]:
        return m == k or low[m] not in w.not_name_words  # a gloss may open with "Army": 'Lashkar-e-Ansar ("Army of'
    if m == k:
        return False
    if low[m] == w.of:
        return m + 1 < ctx.n and (bool(ctx.cap[m + 1]) or low[m + 1] == w.the)
    if low[m] == w.and_:  # "(Honor and Fatherland Command, CHP)"
        return m + 1 < ctx.n and bool(ctx.cap[m + 1])
    return low[m] == w.the and low[m - 1] == w.of


def _learned_names(w: Words, ctx: DocContext, known: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Capitalised names that claim/deny (`X claimed`) or are blamed (`blamed X`), and their other mentions."""
    low, n = ctx.low, ctx.n
    seeds: set[tuple[int, ...]] = set()
    known_ends = {e for _s, e in known}

    def name_char(k: int) -> bool:
        return bool(ctx.cap[k]) and low[k] not in w.not_name_words

    for c_start, (c_end, status) in ctx.claim_at.items():
        passive = status == "attributed" and c_start > 0 and low[c_start - 1] in w.passive_aux
        if status in ("claimed", "denied") or passive:  # "the banned Jan Mukti Sena (JMS) is suspected to be behind"
            if act_claimed_is_other(w, ctx, c_end, status):
                continue  # "The Red Cross said it had carried out an assessment of the bombing site"
            j = c_start
            if j >= 2 and issues_claim(w, ctx, j - 2):
                j -= 2  # the noun: "The Red Dawn Brigades posted a claim of responsibility"
            while j > 0 and (low[j - 1] in w.group_nouns or low[j - 1] in w.perfect_aux
                             or w.is_adverb(low[j - 1]) or (passive and low[j - 1] in w.passive_aux)):
                j -= 1  # "the Extraditables have claimed", "the group has now claimed", "X has been linked"
            j = _before_apposition(w, ctx, j)  # "Harakat al-Mustaqbal, or the Movement of the Future, said"
            if j >= 3 and low[j - 1] == w.paren_close:
                # "Jaysh al-Tawhid (JAT), a jihadist group ..., claimed", "Saraya Dir al-Watan (Homeland Shield
                # Brigades) claimed": the name before its acronym or gloss
                j = next((m for m in range(j - 3, max(0, j - _GLOSS_MAX) - 1, -1) if low[m] == w.paren), j)
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
            # not "Taliban spokesman Zabihullah Mujahid claimed": he speaks for the group; not "the group's
            # affiliate in Afghanistan took responsibility": a place in the subject
            if i < j and j not in known_ends and (i == 0 or (
                    low[i - 1] != w.comma and low[i - 1] not in w.speaker_nouns and low[i - 1] not in w.place_preps)):
                seeds.add(tuple(low[i:j]))
        elif low[c_start] in w.claim_needs_context:
            i = c_end
            if i < n and low[i] == w.the:
                i += 1
            j = i
            while j < n and (name_char(j) or (low[j] in w.learned_connectors and j + 1 < n
                                              and name_char(j + 1))):
                j += 1
                if j + 2 < n and low[j] == w.of and low[j + 1] == w.the and name_char(j + 2) and name_char(j - 1) and (
                        low[j + 2] not in w.foreign_org_heads):  # not "the Front of the Ejercito de ...": two groups
                    j += 2  # "blamed the Sons of the Valley"
            if i < j and j not in known_ends and not (j - i == 1 and j < n and people_noun(w, ctx, j)):
                seeds.add(tuple(low[i:j]))  # not "blamed Fulani herdsmen": an identity, blame.py's description
    seeds.update(_attackers_groups(w, ctx, known_ends, name_char))
    # "The Red Hand said in a statement that one of its members had carried out the bombing"
    seeds.update(tuple(low[i:j]) for i, j, _k in named_self_claims(w, ctx) if j not in known_ends)
    # "police blamed the attack on the Red Hand", "carried out by the Red Hand"
    seeds.update(tuple(low[i:j]) for i, j, name in blamed_phrases(w, ctx) if name and j not in known_ends)
    seeds = {s for s in seeds if s and len(s) <= _SEED_MAX}
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


def _attackers_groups(w: Words, ctx: DocContext, known_ends: set[int], name_char: Callable[[int], bool]
                      ) -> set[tuple[int, ...]]:
    """The name of the group the attackers are members of ("the bombers belonged to Jamaah Ansharut Daulah")."""
    low, n = ctx.low, ctx.n
    seeds: set[tuple[int, ...]] = set()
    for _s, e, _v in ctx.by_kind.get("PERP", ()):
        i = attackers_group_start(w, ctx, e)
        if i is None:
            continue
        j = i
        while j < n and j - i < 6 and (name_char(j) or (low[j] in w.learned_connectors and j + 1 < n and
                                                          name_char(j + 1))):
            j += 1
        if i < j and j not in known_ends and w.state_names.isdisjoint(low[i:j]):
            seeds.add(tuple(low[i:j]))
    return seeds
