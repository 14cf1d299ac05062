"""Lines in capitals are read with the casing they would have in ordinary prose.

Old wire copy comes in capitals (`URBAN GUERRILLAS OF THE PEOPLE'S FRONT (FRP) KILLED JUDGE ERNESTO VALDIVIA`),
and so do shouted headlines. In capitals a name looks like every other word, so the rules, which find people
and groups by their capitals, find almost none: PERPETRATOR overlap F1 on the real-news dev gold upper-cased
was 0.44 against 0.89 in its own case (0.87 with this module). `recase` gives such lines the casing a reader
would expect, one character for one character, so that the rules' offsets hold for the caller's text (the
spans keep the original capitals):

- a word the rest of the text writes in mixed case (not at a sentence start) takes that form;
- else the usual form of the word in English (`patterns/casing.txt.gz`, from spaCy's lexeme
  probabilities: *the*, *attack* in lower case, *FBI* in capitals); a word it does not hold is read as a
  name (*Valdivia*), which is what a rare word in a news report usually is, unless the rules' own attack,
  outcome and claim patterns use it (*dynamited*);
- the first word of a sentence, initials (*J.*, *U.S.*), a title before a name (*Major General*), an
  acronym introduced in parentheses and the organisation's name before it are capitalised,
  and a short word that is also a group's or a country's acronym (*IS*, *US*) is one where its neighbours
  say so (*an IS attack*, *blamed IS*, *IS militants*, *US-backed*).

Lines in ordinary case are left as they are, so text that is not in capitals reads exactly as before.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from functools import cache
from importlib import resources

# Four words of two or more capitals in a row: a cheap test (in C) that lets almost every text through untouched.
_CAPS_RUN = re.compile(r"[A-Z]{2,}[^a-z\n]{1,12}?[A-Z]{2,}[^a-z\n]{1,12}?[A-Z]{2,}[^a-z\n]{1,12}?[A-Z]{2,}")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LINE = re.compile(r"[^\n]*\n?")
SHOUTING_SHARE = 0.8  # of a line's words of two or more letters, in capitals
MIN_WORDS = 4


@cache
def _words() -> dict[str, frozenset[str]]:
    """The word sets of words.json this module reads (their keys start with recase_)."""
    from incident_corpus.preannotate import lexicon

    return {key[len("recase_"):]: frozenset(v) for key, v in lexicon.load().words.items() if key.startswith("recase_")}


@cache
def _table() -> dict[str, str]:
    """lower-cased word -> "l" (usually lower case) or "U" (usually capitals); other words are names."""
    data = resources.files("incident_corpus.preannotate").joinpath("patterns/casing.txt.gz").read_bytes()
    rows = gzip.decompress(data).decode("utf-8").splitlines()
    pairs = (line.split("\t", 1) for line in rows if line and not line.startswith("#"))
    return {word: form for word, form in pairs}


@cache
def _trigger_words() -> frozenset[str]:
    """The words of the attack, outcome and claim patterns: lower-case vocabulary, never a name."""
    from incident_corpus.preannotate import lexicon

    lex = lexicon.load()
    return frozenset(word for (kind, _v), phrases in lex.phrases.items() if kind in ("ATK", "CUE", "CLAIM")
                     for phrase in phrases for word in phrase.lower().split() if word.isalpha())


@cache
def _non_state_heads() -> frozenset[str]:
    """The organisation heads a name before them makes part of it; not a state's (*the Syrian army*)."""
    from incident_corpus.preannotate import lexicon

    return _words()["org_heads"] - frozenset(lexicon.load().words["state_org_heads"])


@cache
def _acronyms() -> dict[str, str]:
    """lower-cased acronym -> its form, for the groups' acronyms of the lexicon (JNIM, JeM, Daesh)."""
    from incident_corpus.preannotate import lexicon

    return {a.lower(): a for a in lexicon.load().phrases.get(("ACRONYM", ""), ()) if " " not in a}


def _lower(word: str) -> str:
    low = word.lower()
    return low if len(low) == len(word) else word  # a few letters change length when cased (İ): keep them


def _title(word: str) -> str:
    head, mark, tail = [*re.split(r"(['’])", word, maxsplit=1), "", ""][:3]
    if mark and len(head) == 1:  # O'NEILL -> O'Neill
        return _upper(head) + mark + _title(tail)
    if mark:  # PEOPLE'S -> People's
        return _title(head) + mark + _lower(tail)
    first = word[:1].upper()
    return (first if len(first) == 1 else word[:1]) + _lower(word[1:])


def _upper(word: str) -> str:
    up = word.upper()
    return up if len(up) == len(word) else word


def shouting_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line whose words (of two or more letters) are mostly in capitals."""
    if not _CAPS_RUN.search(text):
        return []
    found = []
    for m in _LINE.finditer(text):
        if m.start() == m.end():
            break
        words = [w for w in _WORD.findall(m.group()) if len(w) > 1]
        if len(words) >= MIN_WORDS and sum(w.isupper() for w in words) >= SHOUTING_SHARE * len(words):
            found.append((m.start(), m.end()))
    return found


def _sentence_start(text: str, pos: int) -> bool:
    """Whether the word at `pos` opens a sentence: nothing or a line break before it, or a full stop (not an
    abbreviation's), question or exclamation mark or a dash as the last mark before it, quotes aside."""
    i = pos
    while i > 0 and text[i - 1] in " \t\"'“”‘’([":
        i -= 1
    if i == 0 or text[i - 1] in "\n!?]" or text[i - 2:i] == "--":  # ] closes a tag: [TEXT]
        return True
    return text[i - 1] == "." and not _abbreviation(text, i - 1)


def _abbreviation(text: str, dot: int) -> bool:
    m = re.search(r"([^\W\d_]+)$", text[max(0, dot - 12):dot])
    return m is not None and (len(m.group(1)) == 1 or m.group(1).lower() in _words()["abbreviations"])


def _mixed_case_forms(text: str, skip: list[tuple[int, int]]) -> dict[str, str]:
    """lower-cased word -> its most frequent form outside `skip`, where that form is not at a sentence start."""
    seen: dict[str, Counter[str]] = {}
    last = 0
    for start, end in [*skip, (len(text), len(text))]:
        for m in _WORD.finditer(text, last, start):
            word = m.group()
            if not word.isupper() and not _sentence_start(text, m.start()):
                seen.setdefault(word.lower(), Counter())[word] += 1
        last = end
    return {key: forms.most_common(1)[0][0] for key, forms in seen.items()}


def _neighbour(words: list[re.Match[str]], i: int, step: int) -> str:
    j = i + step
    return words[j].group().lower() if 0 <= j < len(words) else ""


def _case_word(words: list[re.Match[str]], i: int, text: str, known: dict[str, str], table: dict[str, str],
               acronyms: set[str]) -> str:
    """The form of words[i] in prose, in order of evidence: the article's own mixed-case form, the
    lexicon's acronyms, a name's infix, initials, IS / US by their neighbours, the word's usual case, an
    acronym (introduced in parentheses, or without a vowel), else a name."""
    m = words[i]
    word, key = m.group(), m.group().lower()
    before, after = text[max(0, m.start() - 1):m.start()], text[m.end():m.end() + 2]
    if key in known:
        return known[key] if len(known[key]) == len(word) else word
    if key in _acronyms() and key not in ("is", "us"):
        return _acronyms()[key]
    if before == "-" and after[:1] == "-" and key in _words()["name_infixes"]:
        return _lower(word)  # LASHKAR-I-JHANGVI, JAMAAT-UL-AHRAR: a name's infix
    if len(word) == 1:  # initials (J. SMITH, U.S.) and the pronoun I; "a" stays an article
        return _upper(word) if after[:1] == "." or key == "i" else _lower(word)
    if key in ("is", "us"):
        prev, nxt = _neighbour(words, i, -1), _neighbour(words, i, 1)
        acronym = (before == "(" and after[:1] == ")") or after[:1] in ("'", "’") or (
            after[:1] == "-" and after[1:2].isalpha())
        if key == "is":
            acronym = acronym or prev in _words()["is_group_before"] or nxt in _words()["is_group_after"]
        else:
            acronym = acronym or prev in ("a", "an", "the")
        return _upper(word) if acronym else _lower(word)
    form = table.get(key)
    head = re.split(r"['’]", key)[0]
    if form is None and len(head) > 1 and head != key:
        form = table.get(head)  # PEOPLE'S: as PEOPLE; O'NEILL: a name
    if form is None and key in _trigger_words():
        form = "l"  # a word of the rules' own vocabulary the table lacks (DYNAMITED, MACHINE-GUNNED): no name
    if form is None and (key in acronyms or not re.search(r"[aeiouy]", key)):
        form = "U"  # an acronym: introduced in parentheses somewhere in the text (FMLN), or without a vowel
    if form == "l":
        return _lower(word)
    if form == "U":
        return _upper(word)
    return _title(word)


def recase(text: str) -> str:
    """`text` with its lines in capitals recased (see the module's docstring); same length, same characters
    but for their case. Text without such lines comes back as it is."""
    lines = shouting_lines(text)
    if not lines:
        return text
    table = _table()
    known = _mixed_case_forms(text, lines)
    out = list(text)
    acronyms = {m.group(1).lower() for m in re.finditer(r"(?:\(|, )([A-Z]{2,8})\)", text)
                if table.get(m.group(1).lower()) != "l"}
    for start, end in lines:
        words = list(_WORD.finditer(text, start, end))
        for i, m in enumerate(words):
            new = _case_word(words, i, text, known, table, acronyms)
            if _sentence_start(text, m.start()):
                new = _title(new) if new.islower() else new
            if len(new) == len(m.group()):
                out[m.start():m.end()] = new
        _titles_before_names(words, out, table)
        _heads_after_names(words, out, table)
        _names_before_acronyms(words, out)
        _quoted_names(words, out, text)
        _foreign_names(words, out, table)
        _parenthesised_glosses(words, out)
    return "".join(out)


@cache
def _foreign() -> tuple[frozenset[str], frozenset[str]]:
    """The first words of groups' names in their own language (*frente*, *comando*) and that language's small
    words (*de*, *y*), from the rules' word lists."""
    from incident_corpus.preannotate import lexicon

    words = lexicon.load().words
    return frozenset(words["foreign_org_heads"]), frozenset(words["foreign_connectors"])


_FOREIGN_MAX = 5  # words of a name after its foreign head: "EJERCITO DE LIBERACION NACIONAL"


def _foreign_names(words: list[re.Match[str]], out: list[str], table: dict[str, str]) -> None:
    """*THE FRENTE POPULAR AUTONOMO (...)*, *THE COMANDO HONOR Y PATRIA* -> *the Frente Popular Autonomo*, *the
    Comando Honor y Patria*: a group's head in its own language opens a name; its words run to a parenthesis or
    a comma (the gloss or the acronym that follows), else up to a function word or a word of the rules' attack,
    outcome and claim patterns; the language's small words stay small."""
    heads, small = _foreign()
    text = words[0].string if words else ""
    for i, m in enumerate(words):
        if m.group().lower() not in heads or i + 1 >= len(words):
            continue
        run = [m]
        k = i + 1
        while k < len(words) and k - i <= _FOREIGN_MAX and text[words[k - 1].end():words[k].start()] == " ":
            run.append(words[k])
            k += 1
        closed = k - i <= _FOREIGN_MAX and text[run[-1].end():run[-1].end() + 2].strip()[:1] in ("(", ",")
        if not closed:  # up to the sentence's next function or trigger word: "THE COMANDO HONOR Y PATRIA CLAIMED"
            cut = next((j for j, x in enumerate(run) if j and (x.group().lower() in _words()["name_stops"] or
                                                               x.group().lower() in _trigger_words())), len(run))
            run = run[:cut]
        while run and run[-1].group().lower() in small:
            run.pop()
        if len(run) >= 2:
            _capitalise(out, [x for x in run if x.group().lower() not in small or x is m])


_GLOSS_MAX = 6  # words of a gloss in parentheses: "(HONOR AND FATHERLAND COMMAND, CHP)"


def _parenthesised_glosses(words: list[re.Match[str]], out: list[str]) -> None:
    """*(AUTONOMOUS POPULAR FRONT, FPA)*, *(THE UNTOUCHABLES OF THE VALLEY)* after a name -> *(Autonomous Popular
    Front, FPA)*: a translation in parentheses right after a capitalised name, ending in an organisation's head
    or followed by the acronym, is a name too."""
    sets = _words()
    text = words[0].string if words else ""
    for i, m in enumerate(words):
        if i == 0 or text[m.start() - 1:m.start()] != "(" or not _capitalised(out, words[i - 1]) or \
                text[words[i - 1].end():m.start()].strip() != "(":
            continue
        j = i
        while j + 1 < len(words) and j + 1 - i < _GLOSS_MAX and text[words[j].end():words[j + 1].start()] == " ":
            j += 1
        after = text[words[j].end():words[j].end() + 1]
        acronym = after == "," and j + 1 < len(words) and words[j + 1].group().isupper() and \
            text[words[j + 1].end():words[j + 1].end() + 1] == ")" and 2 <= len(words[j + 1].group()) <= 8
        gloss = words[i:j + 1]
        if (acronym or (after == ")" and words[j].group().lower() in sets["org_heads"])) and len(gloss) >= 2:
            _capitalise(out, [x for x in gloss if x.group().lower() not in sets["name_joiners"] or x is m])


_OPEN_QUOTES = "\"“"
_CLOSE_QUOTES = "\"”"
_QUOTED_MAX = 5  # words in a quoted name: *"RED DAWN"*, *"THE UNTOUCHABLES,"*


def _quoted_names(words: list[re.Match[str]], out: list[str], text: str) -> None:
    """*THE MAOIST "RED DAWN" GROUP*, *"THE UNTOUCHABLES," A COLOMBIAN MAFIA GROUP* -> *"Red Dawn"*, *"The
    Untouchables,"*: old wire quotes the names of armed groups, and a quoted phrase of a few words that an
    organisation's head (*group*, *front*, *cartel*) follows, or that a comma and *a ... group* gloss, is a
    name, whatever the usual case of its words (quoted speech is followed by neither)."""
    sets = _words()
    heads = sets["org_heads"] | {"group", "groups"}
    k = 0
    while k < len(words):
        m = words[k]
        if text[m.start() - 1:m.start()] not in _OPEN_QUOTES or m.start() == 0:
            k += 1
            continue
        j = k  # the last word inside the quotes
        while j < len(words) and j - k < _QUOTED_MAX and text[words[j].end():words[j].end() + 2].strip(",")[:1] \
                not in _CLOSE_QUOTES:
            if text[words[j].end():words[j + 1].start() if j + 1 < len(words) else words[j].end()].strip(" -"):
                j = len(words)  # another mark inside: speech, not a name
                break
            j += 1
        if j >= len(words) or j - k >= _QUOTED_MAX:
            k += 1
            continue
        after = [w.group().lower() for w in words[j + 1:j + 8]]
        gap = text[words[j].end():words[j + 1].start()] if j + 1 < len(words) else ""
        acronym = 1 if after and text[words[j + 1].start() - 1] == "(" else 0  # *"ANDEAN ARMY" (EPA) GROUP*
        named = (after[acronym:acronym + 1] and after[acronym] in heads and "," not in gap) or (
            "," in gap and after[:1] in (["a"], ["an"]) and any(x in heads for x in after[1:6]))
        if named:
            _capitalise(out, [w for w in words[k:j + 1] if w.group().lower() not in sets["name_joiners"] or w is m])
        k = j + 1


def _titles_before_names(words: list[re.Match[str]], out: list[str], table: dict[str, str]) -> None:
    """*MAJOR GENERAL VYACHESLAV GLADKIKH* -> *Major General Vyacheslav Gladkikh*: titles before a name are
    part of it (the rules read a capitalised title as the start of a person's name)."""
    titles = _words()["titles"]
    office = _words()["title_modifiers"]
    for i in range(len(words) - 2, -1, -1):
        nxt = words[i + 1]
        word = words[i].group().lower()
        if (word in titles or (word in office and (nxt.group().lower() in titles or nxt.group().lower() in office))) \
                and _capitalised(out, nxt) and \
                words[i].string[words[i].end():nxt.start()] in (" ", ". ") and \
                (nxt.group().lower() in titles or word in office or table.get(nxt.group().lower()) is None):
            out[words[i].start():words[i].end()] = _title(words[i].group())  # *DEFENSE MINISTER*, *SUPREME COURT*


def _heads_after_names(words: list[re.Match[str]], out: list[str], table: dict[str, str]) -> None:
    """*THE ZAPATA BRIGADE* -> *the Zapata Brigade*: an organisation's head (*brigade*, *front*, *cartel*)
    right after a name is part of the name, as it is written in prose."""
    heads = _non_state_heads()
    all_heads = _words()["org_heads"]
    modifiers = _words()["org_modifiers"]
    for i in range(1, len(words)):
        m = words[i]
        word = m.group().lower()
        if word not in all_heads:
            continue
        tail = _tail_of(words, i, modifiers)
        if word not in heads and not tail:
            continue  # a state's head only with a name after it: *ARMY OF NATIONAL LIBERATION*
        k = i - 1  # past the modifiers: *FARABUNDO MARTI NATIONAL LIBERATION FRONT*, *LAUTARO YOUTH FRONT*
        while k > 0 and i - k <= _MODIFIERS_MAX and words[k].group().lower() in modifiers and \
                words[k].string[words[k].end():words[k + 1].start()] == " ":
            k -= 1
        prev = words[k]
        if k < i - 1 and "".join(out[prev.start():prev.end()]).isupper():
            continue  # after an acronym the modifiers describe its fighters: "the FMLN urban commandos"
        if prev.string[prev.end():words[k + 1].start()] == " " and _capitalised(out, prev) \
                and table.get(prev.group().lower()) != "l" and prev.group().lower() not in _words()["titles"]:
            _capitalise(out, words[k + 1:i + 1] + tail)


_MODIFIERS_MAX = 3  # an organisation's modifiers between a name and its head: "national liberation"


def _tail_of(words: list[re.Match[str]], i: int, modifiers: frozenset[str]) -> list[re.Match[str]]:
    """The modifiers after a head's *of* (*ARMED FORCES OF LIBERATION*, *ARMY OF NATIONAL LIBERATION*): part of
    the name; *of* itself stays lower case."""
    text = words[i].string
    if i + 2 >= len(words) or words[i + 1].group().lower() != "of" or text[words[i].end():words[i + 1].start()] != " ":
        return []
    tail = []
    for k in range(i + 2, min(len(words), i + 2 + _MODIFIERS_MAX)):
        if words[k].group().lower() not in modifiers or text[words[k - 1].end():words[k].start()] != " ":
            break
        tail.append(words[k])
    return tail


def _names_before_acronyms(words: list[re.Match[str]], out: list[str]) -> None:
    """*the national liberation army (ELN)* -> *the National Liberation Army (ELN)*: an organisation's name
    before its acronym in parentheses is a name, whatever the usual case of its words. The name is the run
    of words before the acronym that are capitalised already, an organisation's head (*army*, *front*,
    *party*) or one of its usual modifiers (*national*, *revolutionary*), joined by *of*, *for*, *and*; it
    must hold a head."""
    sets = _words()
    text = words[0].string if words else ""
    for i, m in enumerate(words):
        if i == 0 or text[m.start() - 1:m.start()] != "(" or text[m.end():m.end() + 1] != ")" or \
                not m.group().isupper() or text[words[i - 1].end():m.start()].strip() != "(":
            continue
        spelled = _spelled_out(words, i, text, sets["name_joiners"])
        if spelled:
            _capitalise(out, spelled)
            continue
        run: list[re.Match[str]] = []
        for k in range(i - 1, max(-1, i - 10), -1):
            word = words[k].group().lower()
            if run and text[words[k].end():run[-1].start()].strip(" -"):
                break  # a comma or other mark ends the name
            if not (_capitalised(out, words[k]) or word in sets["org_heads"] or word in sets["org_modifiers"]
                    or (word in sets["name_joiners"] and word != "the")):
                break
            run.append(words[k])
        while run and run[-1].group().lower() in sets["name_joiners"]:
            run.pop()  # a name does not open with "of"
        if not any(w.group().lower() in sets["org_heads"] for w in run):
            continue
        _capitalise(out, [w for w in run if w.group().lower() not in sets["name_joiners"]])


def _spelled_out(words: list[re.Match[str]], i: int, text: str, joiners: frozenset[str]) -> list[re.Match[str]]:
    """The words before the acronym words[i] whose initials spell it (*mountain liberation front (MLF)*),
    joiners skipped; [] when they do not."""
    letters = words[i].group().lower()
    found: list[re.Match[str]] = []
    k = i - 1
    while k >= 0 and len(found) < len(letters):
        if found and text[words[k].end():found[-1].start()].strip(" -"):
            return []
        if words[k].group().lower() not in joiners or not found:
            found.append(words[k])
        k -= 1
    initials = "".join(w.group()[0].lower() for w in reversed(found))
    return found if len(found) >= 2 and initials == letters else []


def _capitalised(out: list[str], m: re.Match[str]) -> bool:
    return out[m.start()].isupper()


def _capitalise(out: list[str], words: list[re.Match[str]]) -> None:
    """Title-case each of `words` in `out` that is not capitalised already (an acronym keeps its capitals)."""
    for w in words:
        if not _capitalised(out, w):
            out[w.start():w.end()] = _title(w.group())
