"""The rules' lexicons, read from the data files in `patterns/` (shipped inside the wheel).

Anchor phrases are Prodigy-style pattern lines, one JSON object per line:
`{"label": KIND, "pattern": "phrase", "value": ATTRIBUTE_VALUE}`. KIND names what the phrase
anchors (ATK attack trigger, STAGE, PERP description noun, PERSON, GROUP/ACRONYM/ORGSUFFIX names,
CLAIM predicate, VICTIM noun, CUE outcome word, KILL_OF a noun whose *of* object is a victim
(*the slaughter of*), DEATH_OF a noun whose *of* object is a victim only when it is a name (*the death of
Carlos Galan*), KILL_NOUN a noun whose possessive owner is one (*Galan's murder*),
PSEED_BEFORE/PSEED_AFTER words that make the name next to them a perpetrator:
*suspect X*, *X was charged*; WAR the acts and weapons of a state at war: *air strike*, *barrel
bombs*); `value` is the attribute it implies, if any.
`words.json` holds the small word sets the rules look up around an anchor. Edit the files, not
the code, to teach the rules a word; `check()` (run by the tests) says what a file gets wrong.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from incident_corpus.core.labels import ATTRIBUTES_BY_NAME

PATTERN_FILES: tuple[str, ...] = ("attack.jsonl", "perpetrator.jsonl", "groups.jsonl", "claim.jsonl", "casualty.jsonl")
WORDS_FILE = "words.json"

# Kinds whose verb phrases are matched in every tense (`inflect`).
INFLECTED_KINDS = ("ATK", "CLAIM")
# Kinds matched in the base form too ("Taliban deny involvement"); an attack's base form is too often a plan
# ("plans to plant a bomb", "threatened to blow up").
BASE_FORM_KINDS = ("CLAIM",)

# Which attribute a KIND's `value` belongs to ("" = no attribute).
KIND_ATTRIBUTE: dict[str, str] = {
    "ATK": "attack_type", "ATK_AGENT": "attack_type", "ATK_WEAK": "attack_type", "STAGE": "attack_stage",
    "PERP": "perpetrator_kind",
    "CLAIM": "claim_status", "CUE": "outcome", "KILL_OF": "outcome", "DEATH_OF": "outcome",
    "KILL_NOUN": "outcome", "PERSON": "",
    "PSEED_BEFORE": "",
    "PSEED_AFTER": "", "ALIAS": "", "GROUP": "", "ACRONYM": "", "ORGSUFFIX": "", "VICTIM": "", "WAR": "",
}


@dataclass(frozen=True)
class Lexicon:
    """Phrases by (kind, value), in file order, and the named word sets."""

    phrases: dict[tuple[str, str], tuple[str, ...]]
    words: dict[str, Any]

    def by_kind(self, kind: str) -> tuple[str, ...]:
        return tuple(p for (k, _v), ps in self.phrases.items() if k == kind for p in ps)

    def values(self, kind: str) -> dict[str, tuple[str, ...]]:
        return {v: ps for (k, v), ps in self.phrases.items() if k == kind}


def _read(name: str) -> str:
    return (resources.files("incident_corpus.preannotate") / "patterns" / name).read_text(encoding="utf-8")


@functools.cache
def load() -> Lexicon:
    phrases: dict[tuple[str, str], list[str]] = {}
    for name in PATTERN_FILES:
        for line in _read(name).splitlines():
            if line.strip():
                row = json.loads(line)
                phrases.setdefault((row["label"], row.get("value", "")), []).append(row["pattern"])
    words = {k: v for k, v in json.loads(_read(WORDS_FILE)).items() if not k.startswith("_")}
    for key in [k for k in phrases if k[0] in INFLECTED_KINDS]:
        phrases[key] = inflect(phrases[key], words["verb_forms"], base=key[0] in BASE_FORM_KINDS)
    return Lexicon({k: tuple(v) for k, v in phrases.items()}, words)


def inflect(patterns: list[str], paradigms: list[list[str]], *, base: bool = False) -> list[str]:
    """Each phrase of two or more words that opens with a verb of `verb_forms` (words.json) in every form
    of that verb; the base form only with `base` (CLAIM: a plural subject's present and a headline's, "Taliban
    Deny Involvement"; the claim rules then drop it after *to*, a modal or a negation, `base_form_blockers`:
    "the government must take responsibility"). Our own table, not a lemmatizer (none is installed): the phrases
    are few and the forms must be exact."""
    forms = {f: p for p in paradigms for f in p}
    out = dict.fromkeys(patterns)
    for pattern in patterns:
        first, _, rest = pattern.partition(" ")
        if rest and first in forms:
            out.update(dict.fromkeys(f"{f} {rest}" for f in forms[first][0 if base else 1:]))
    return list(out)


def check(lexicon: Lexicon | None = None) -> list[str]:
    """Problems in the data files: unknown kinds, attribute values labels.py does not know, empty patterns."""
    lex = lexicon or load()
    problems = []
    for (kind, value), phrases in lex.phrases.items():
        if kind not in KIND_ATTRIBUTE:
            problems.append(f"unknown pattern label {kind!r}")
            continue
        attr = KIND_ATTRIBUTE[kind]
        if value and (not attr or value not in ATTRIBUTES_BY_NAME[attr].values):
            problems.append(f"{kind}: value {value!r} is not a {attr or 'known'} value")
        problems.extend(f"{kind}: empty or padded pattern {p!r}" for p in phrases if not p or p != p.strip())
    return problems
