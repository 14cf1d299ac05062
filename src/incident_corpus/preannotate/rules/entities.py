"""Entity keys for guideline D1: PERPETRATOR is entity-level, so every mention of a group that one mention
ties to an attack is marked, and the mentions must be recognised as one entity first.

A key is the name normalised three ways: the spelling variants that carry no signal go (case,
hyphens, a leading *the*), known aliases map to one name (`group_aliases` in words.json: *ISIS*,
*ISIL*, *Daesh* are *Islamic State*), and long words become a consonant skeleton, so that
transliterations agree (*Tehrik-i-Taliban* and *Tehreek-e-Taliban*, *Hezbollah* and *Hizbollah*).
An acronym introduced in parentheses after a name (*Baloch Liberation Army (BLA)*) joins that name's entity.
"""

from __future__ import annotations

import functools

from incident_corpus.preannotate.rules.context import DocContext
from incident_corpus.preannotate.rules.words import Words

_VOWELS = frozenset("aeiouy")


@functools.lru_cache(maxsize=4096)
def skeleton(text: str) -> str:
    """The consonant skeleton of a lower-case name: letters only, the first kept, later vowels dropped, runs
    of one letter collapsed (`tehreeketaliban` and `tehrikitaliban` give `thrktlbn`)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) <= 4:
        return "".join(letters)
    out = [letters[0]]
    for c in letters[1:]:
        if c in _VOWELS or c == out[-1]:
            continue
        out.append(c)
    return "".join(out)


def one_edit(a: str, b: str) -> bool:
    """Are two different words one substitution, insertion or deletion apart ("tzarnaev", "tsarnaev")?"""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long_, strict=False)) if x != y), len(short))
    return short[i:] == long_[i + 1:]


def spelling_variants(ctx: DocContext, names: set[int], *, min_len: int = 7) -> dict[int, int]:
    """The capitalised words of the document one edit from a long name in `names` (lower-case hashes), with
    the same first letter, each mapped to that name: a report's own misspelling of a name ("Tzarnaev"
    beside "Tsarnaev", "Dzokhar" beside "Dzhokhar")."""
    strings = ctx.doc.vocab.strings
    long_names = {strings[h]: h for h in names if len(strings[h]) >= min_len}
    if not long_names:
        return {}
    low = ctx.low
    words = {low[k] for k in range(ctx.n) if ctx.cap[k]} - names
    out: dict[int, int] = {}
    for h in words:
        text = strings[h]
        if len(text) >= min_len - 1:
            match = next((t for t in long_names if t[0] == text[0] and one_edit(text, t)), None)
            if match is not None:
                out[h] = long_names[match]
    return out


def name_key(w: Words, ctx: DocContext, start: int, end: int) -> str:
    """The entity key of the group name at [start, end)."""
    words = [ctx.doc[k].text.lower() for k in range(start, end) if ctx.low[k] != w.the]
    joined = " ".join(x for x in words if x != "-").replace(" - ", " ").replace("-", " ")
    joined = w.group_aliases.get(joined, joined)
    return skeleton(joined)


class Keys:
    """Entity keys with unions (an acronym in parentheses and the name before it are one entity)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        root = key
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def acronym_token(ctx: DocContext, k: int) -> bool:
    """An all-capitals word of 2-8 letters (hyphen allowed): BLA, ISIS-K, a new group's acronym."""
    text = ctx.doc[k].text
    letters = text.replace("-", "")
    return 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper()


def acronym_end(ctx: DocContext, k: int) -> int:
    """One past the acronym at k, a faction's letters after a hyphen too ("ULFA-I", "NSCN-IM", "IS-K"); k when
    there is none."""
    if not acronym_token(ctx, k):
        return k
    doc = ctx.doc
    if k + 2 < ctx.n and doc[k + 1].text == "-" and not doc[k].whitespace_ and not doc[k + 1].whitespace_ and (
            acronym_token(ctx, k + 2) or (len(doc[k + 2].text) == 1 and doc[k + 2].text.isupper())):
        return k + 3
    return k + 1


def parenthesised(w: Words, ctx: DocContext, found: list[tuple[int, int, str]], keys: Keys
                  ) -> list[tuple[int, int, str]]:
    """Acronyms or names in parentheses right after a name join its entity; a new acronym's other
    mentions become names too ("the Baloch Liberation Army (BLA) ... BLA fighters")."""
    low, n = ctx.low, ctx.n
    starts = {s: e for s, e, _src in found}
    new: list[tuple[int, int, str]] = []
    orths: set[int] = set()
    for s, e, _src in found:
        if not (e + 2 < n and low[e] == w.paren):
            continue
        inner = starts.get(e + 1)
        if inner is not None and inner < n and low[inner] == w.paren_close:
            keys.union(name_key(w, ctx, s, e), name_key(w, ctx, e + 1, inner))
        elif (a_end := acronym_end(ctx, e + 1)) > e + 1 and a_end < n and low[a_end] == w.paren_close:
            keys.union(name_key(w, ctx, s, e), name_key(w, ctx, e + 1, a_end))
            orths.add(ctx.doc[e + 1].orth)
    if orths:
        taken = {(s, e) for s, e, _src in found}
        for k, tok in enumerate(ctx.doc):
            if tok.orth in orths and (k, k + 1) not in taken and (k == 0 or ctx.doc[k - 1].text != "-"):
                new.append((k, acronym_end(ctx, k), "pattern"))  # "ULFA-I" whole, not its "ULFA" alone
    return new


def prefixed_names(w: Words, ctx: DocContext) -> list[tuple[int, int, str]]:
    """"Provisional X": a prefix (`org_prefixes`) that names a faction ("the Provisional Ulster Council"); a group's
    head in its own language and the capitalised words after it, joined by that language's small words ("the
    Frente Popular Autonomo", "the Comando Honor y Patria", "the Ejercito de Liberacion Comunera")."""
    low, n = ctx.low, ctx.n
    out: list[tuple[int, int, str]] = []
    for i in ctx.where(w.org_prefixes):
        end = i + 1
        while end < n and ctx.cap[end] and end not in ctx.end_set and low[end] not in w.not_name_words:
            end += 1
        if ctx.cap[i] and end > i + 1:
            out.append((i, end, "pattern"))
    for i in ctx.where(w.foreign_org_heads):
        end = i + 1
        while end < n and end not in ctx.end_set and (
                (ctx.cap[end] and low[end] not in w.not_name_words) or (
                    low[end] in w.foreign_connectors and end + 1 < n and ctx.cap[end + 1])):
            end += 1
            if end + 2 < n and low[end] in w.foreign_connectors and low[end + 1] == w.hyphen and ctx.cap[end + 2]:
                end += 2  # "Liwa Tariq al-Nur": a particle and its hyphen inside the name
        if ctx.cap[i] and end > i + 1 and ctx.cap[end - 1]:
            out.append((i, end, "pattern"))
    return out


def acronyms_before_fighters(w: Words, ctx: DocContext, found: list[tuple[int, int, str]]
                             ) -> list[tuple[int, int, str]]:
    """"IS militants", "QRF fighters": an acronym right before a fighter noun names their group; its other
    mentions ("the QRF is growing") are names too."""
    low = ctx.low
    taken = {st for st, _e, _src in found}
    out: list[tuple[int, int, str]] = []
    orths: set[int] = set()
    for start, _end, _v in ctx.by_kind.get("PERP", ()):
        k = start - 1
        if k >= 0 and k not in taken and low[start] in w.fighter_nouns and acronym_token(ctx, k) and not (
                k and (k - 1) not in ctx.end_set and acronym_token(ctx, k - 1)):
            out.append((k, start, "pattern"))
            orths.add(ctx.doc[k].orth)
    if orths:
        taken.update(st for st, _e, _src in out)
        out.extend((k, k + 1, "pattern") for k, tok in enumerate(ctx.doc) if tok.orth in orths and k not in taken)
    return out
