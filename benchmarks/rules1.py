"""FROZEN copy of incident-rules-1 (src/incident_corpus/preannotate/rules.py at 312229d), kept only so
scripts/bench_preannotate.py can put rules-1 and rules-2 side by side. Do not edit or import from
the package; the spaCy component is renamed so both can load in one process.

Rule-based pre-annotation: the Label Studio "predictions" that annotators correct.

Rules, not a model, so that suggestions are identical on every machine and cheap enough to
run over every pushed article. The pipeline is the project's blank English tokenizer plus one
rule component (two PhraseMatchers and a one-pattern Matcher find anchor words; small Python
walks around each anchor build the spans), so token boundaries match the exports.
The extents and attributes follow `schema/guideline.md`.

Speed: all per-token work happens inside spaCy's matchers; Python only looks at the few
tokens around each match, never loops over a whole document.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from typing import Any

import numpy
import spacy
from spacy.attrs import LIKE_NUM, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from incident_corpus.core import scoring
from incident_corpus.core.errors import InputError
from incident_corpus.core.labels import ATTRIBUTES_BY_NAME, OVERLAP_PRIORITY, RELATION_BY_PAIR
from incident_corpus.core.nlp import LANG

__all__ = ["RULESET_VERSION", "Preannotator", "score_spans"]

RULESET_VERSION = "incident-rules-1"

_COMPONENT = "incident_rules_1_frozen"
_USER_KEY = "incident_corpus.candidates.rules1"

# ---------------------------------------------------------------------------------------------
# Lexicons (matched on the lower-cased token text unless said otherwise).

# ATTACK trigger phrases by attack_type ("" = generic: type left unset).
_ATTACK_PHRASES: dict[str, tuple[str, ...]] = {
    "bombing": (
        "bombing", "bombings", "bombed", "blast", "blasts", "explosion", "explosions", "exploded",
        "detonated", "blew himself up", "blew herself up", "blew themselves up", "bomb attack",
        "bomb attacks", "suicide attack", "suicide attacks", "car bombing", "suicide bombing",
        "suicide bombings", "grenade attack", "ied attack", "hurled a grenade", "threw a grenade",
        "lobbed a grenade", "rocket attack", "mortar attack", "fired rockets", "bomb blast",
        "set off a bomb", "to bomb",
    ),
    "armed_assault": (
        "shooting", "shootings", "opened fire", "gun attack", "gun attacks", "ambush", "ambushed",
        "ambushes", "massacre", "massacred", "stormed", "raided", "raid", "raids", "mass shooting",
        "shooting spree", "gun rampage", "gunfire attack",
    ),
    "assassination": ("assassination", "assassinated", "assassinate", "assassination attempt"),
    "kidnapping": (
        "kidnapping", "kidnappings", "kidnapped", "kidnap", "abducted", "abduct", "abduction",
        "abductions", "hostage-taking", "took hostage", "taken hostage",
    ),
    "arson": ("arson", "arson attack", "set fire to", "set ablaze", "torched", "torching", "firebombed",
              "firebombing", "set on fire"),
    "vehicle_ramming": ("rammed", "ramming", "ramming attack", "ploughed into", "plowed into", "ploughed",
                        "plowed", "rammed into", "car-ramming"),
    "stabbing": ("stabbing", "stabbings", "stabbed", "knife attack", "knife attacks", "stabbing attack",
                 "machete attack"),
    "other": ("hijacking", "hijacked", "beheaded", "beheading", "poisoning attack"),
    "": ("attack", "attacks", "attacked", "assault", "assaults", "assaulted", "terror attack",
         "terrorist attack", "terrorist attacks", "onslaught", "strike"),
}
# Left modifiers kept inside an ATTACK span, with the attack_type they imply.
_ATTACK_MODIFIERS: dict[str, str] = {
    "suicide": "bombing", "car": "bombing", "truck": "bombing", "bomb": "bombing", "grenade": "bombing",
    "ied": "bombing", "twin": "", "double": "", "triple": "", "knife": "stabbing", "machete": "stabbing",
    "gun": "armed_assault", "mortar": "bombing", "rocket": "bombing", "drone": "bombing",
    "arson": "arson", "vehicle": "vehicle_ramming", "terror": "", "terrorist": "", "militant": "",
    "insurgent": "", "jihadist": "",
}
_ATTACK_VERB_STARTS = frozenset({"blew", "set", "threw", "hurled", "lobbed", "took", "taken", "fired", "to",
                                 "kidnap", "abduct", "assassinate"})
_STAGE_ATTEMPTED = ("foiled", "thwarted", "attempted", "failed", "attempt", "plot", "plotted", "plotting",
                    "planned", "planning", "averted", "prevented", "defused", "foil", "thwart")
_STAGE_THREATENED = ("threatened", "threatening", "threatens", "vowed", "vows", "threat", "threats",
                     "warned of", "promised more")
_NOT_ATTACK_NEXT = frozenset({"dog", "dogs", "helicopter", "helicopters", "rifle", "rifles"})
_NOT_ATTACK_PREV = frozenset({"heart", "panic", "asthma", "cyber", "police", "military", "army", "air",
                              "airstrike", "counter"})

# PERPETRATOR head nouns: persons and organisations.
_PERP_PERSON = (
    "gunman", "gunmen", "gunwoman", "attacker", "attackers", "assailant", "assailants", "bomber",
    "bombers", "suicide bomber", "suicide bombers", "militant", "militants", "insurgent",
    "insurgents", "terrorist", "terrorists", "jihadist", "jihadists", "extremist", "extremists",
    "fighters", "suspect", "suspects", "perpetrator", "perpetrators", "shooter", "shooters",
    "hijacker", "hijackers", "kidnapper", "kidnappers", "abductor", "abductors", "rebels",
    "bandits", "assassin", "assassins", "commandos", "operatives", "jihadis", "islamists",
)
_PERP_ORG = ("cell", "cells", "faction", "factions", "outfit", "militia", "militias", "network", "group",
             "organisation", "organization", "insurgency")
_PERP_ORG_BARE_OK = frozenset({"militia", "militias"})
_PERP_MODIFIERS = frozenset({
    "suspected", "alleged", "armed", "heavily", "masked", "unidentified", "unknown", "lone", "suicide",
    "islamist", "jihadist", "militant", "separatist", "rebel", "extremist", "terrorist", "insurgent",
    "radical", "banned", "female", "male", "teenage", "young", "other", "more", "foreign", "local",
    "several", "many", "dozens", "hundreds", "of", "a", "few", "motorcycle", "motorbike",
    "would-be", "knife-wielding", "gun-toting", "jihadi", "islamic", "hooded", "urban", "right-wing",
    "far-right", "neo-nazi", "white", "supremacist", "dissident", "breakaway", "splinter", "shadowy",
    "little-known", "known", "self-styled", "clandestine", "underground", "violent", "sleeper",
})
_COMPOUND_PARTICIPLES = frozenset({"backed", "linked", "allied", "aligned", "affiliated", "inspired",
                                   "based", "led", "sponsored"})

# Named groups: case-insensitive multi-word names, and case-sensitive short names/acronyms.
_GROUPS_LOWER = (
    "islamic state", "islamic state group", "islamic state in iraq and syria", "islamic state khorasan",
    "islamic state khorasan province", "islamic state west africa province", "daesh", "al-qaeda",
    "al qaeda", "al-qaida", "al qaida", "al-shabab", "al-shabaab", "al shabaab", "al shabab",
    "boko haram", "taliban", "pakistani taliban", "afghan taliban", "tehreek-e-taliban pakistan",
    "tehrik-i-taliban pakistan", "hamas", "hezbollah", "hizbollah", "islamic jihad",
    "palestinian islamic jihad", "lashkar-e-taiba", "lashkar-e-toiba", "jaish-e-mohammed",
    "jaish-e-muhammad", "hizbul mujahideen", "haqqani network", "abu sayyaf", "ansar al-sharia",
    "ansar dine", "ansar bait al-maqdis", "hayat tahrir al-sham", "nusra front", "al-nusra front",
    "jabhat al-nusra", "allied democratic forces", "shining path", "sendero luminoso",
    "revolutionary armed forces of colombia", "national liberation army", "red army faction",
    "aum shinrikyo", "maute group", "houthis", "houthi rebels", "kataib hezbollah",
    "kata'ib hezbollah", "baloch liberation army", "kurdistan workers' party",
    "kurdistan workers party", "kurdistan freedom falcons", "al-aqsa martyrs' brigades",
    "new people's army", "real ira", "new ira", "continuity ira", "ulfa", "the resistance front",
    "jamaat nusrat al-islam wal-muslimin", "lord's resistance army", "al-shabaab militants",
    "tehreek-e-labbaik", "sipah-e-sahaba", "lashkar-e-jhangvi",
)
# Matched case-insensitively, then kept only when the text has exactly this spelling. ("IS" and
# "LeT" are left out: as lower-case words they are everywhere and almost never the group.)
_GROUPS_ORTH = (
    "ISIS", "ISIL", "ISIS-K", "ISKP", "ISWAP", "PKK", "TAK", "ELN", "FARC", "TTP", "JNIM", "AQAP",
    "AQIM", "ETA", "IRA", "JeM", "HTS", "ADF", "NPA", "BLA", "LTTE", "TRF", "ULFA", "Daesh",
)
_ORG_SUFFIX_ORTH = ("Front", "Army", "Brigade", "Brigades", "Movement", "Organisation", "Organization",
                    "Province", "Battalion", "Battalions", "Mujahideen", "Commandos", "Falcons")
_NAME_CONNECTORS = frozenset({"of", "al", "-", "e", "el", "ul", "i", "for", "and", "the", "'s"})

# CLAIM predicates by claim_status.
_CLAIM_PHRASES: dict[str, tuple[str, ...]] = {
    "claimed": (
        "claimed responsibility", "claims responsibility", "claiming responsibility",
        "claim responsibility", "claim of responsibility", "claims of responsibility",
        "claimed", "claims", "took responsibility", "taken responsibility", "taking responsibility",
        "accepted responsibility", "admitted responsibility", "acknowledged responsibility",
        "claimed credit", "took credit", "said it carried out", "said they carried out",
        "says it carried out", "said it was behind", "said they were behind", "said it had carried out",
        "said they had carried out",
    ),
    "denied": (
        "denied responsibility", "denied involvement", "denied any involvement", "denied any role",
        "denied any responsibility", "denied any link", "denied any links", "denied its involvement",
        "denies involvement", "denies any involvement", "denied having", "denied carrying out",
        "rejected responsibility", "rejected any involvement", "rejected any role",
        "distanced itself", "disowned", "denied the allegations", "rejected the allegations",
        "rejected the accusations", "denied the accusations", "dismissed the accusations",
        "denied the accusation", "rejected the accusation",
    ),
    "attributed": (
        "blamed", "blames", "blaming", "accused", "accuses", "accusing", "attributed",
        "held responsible", "holds responsible", "hold responsible", "suspected of", "was behind",
        "were behind", "is behind", "are behind", "believed to be behind", "pointed the finger at",
    ),
}
_CLAIM_NEGATORS = frozenset({"no", "not", "never", "nobody", "none", "n't", "yet", "without", "neither"})
_CLAIM_BARE_STOP_NEXT = frozenset({"that", "to", "lives", "life", "victims", "casualties", "the", "at",
                                   "by", "a", "an", "his", "her", "their", "more", "in"})

# CASUALTY: victim head nouns, the words allowed before them, and the outcome cues.
_VICTIM_NOUNS = (
    "people", "persons", "person", "civilians", "civilian", "soldiers", "soldier", "troops", "policemen",
    "policeman", "policewomen", "policewoman", "police officers", "police officer", "officers", "officer",
    "guards", "guard", "security guard", "security guards", "worshippers", "worshipers", "worshipper",
    "worshiper", "students", "student", "pupils", "pupil", "children", "child", "women", "woman",
    "villagers", "villager", "passengers", "passenger", "commuters", "commuter", "tourists", "tourist",
    "shoppers", "shopper", "residents", "resident", "workers", "worker", "employees", "employee",
    "journalists", "journalist", "cadets", "cadet", "marines", "marine", "sailors", "sailor",
    "constables", "constable", "personnel", "members", "others", "more", "pilgrims", "pilgrim",
    "teachers", "teacher", "nurses", "nurse", "doctors", "doctor", "girls", "girl", "boys", "boy",
    "guests", "guest", "bystanders", "bystander", "victims", "men", "man", "militiamen", "farmers",
    "farmer", "fishermen", "miners", "recruits", "officials", "official", "staff", "mourners",
    "protesters", "spectators", "fans", "customers", "diners", "infants", "babies", "teenagers",
    "family members", "relatives", "lives", "servicemen", "paramilitaries", "peacekeepers",
    "firefighters", "paramedics", "aid workers", "detainees", "prisoners", "inmates", "locals",
)
_HEDGE_WORDS = frozenset({
    "at", "least", "more", "than", "nearly", "almost", "about", "around", "some", "roughly",
    "approximately", "over", "up", "to", "as", "many", "fewer", "less", "no", "estimated", "an", "a",
    "well", "just", "close", "upwards", "of", "another", "further", "additional", "only",
})
_QUANTITY_WORDS = frozenset({"dozen", "dozens", "scores", "hundreds", "thousands", "several", "many", "a",
                             "an", "one", "both", "another", "numerous", "tens", "few"})
_CASUALTY_LEFT = _HEDGE_WORDS | _QUANTITY_WORDS | frozenset({
    "other", "others", "year", "years", "old", "month", "-", "police", "security", "army", "young",
    "elderly", "foreign", "local", "innocent", "unarmed", "off", "duty", "female", "male", "teenage",
    "civilian", "both", "also", "and", "including", "family", "aid", "school", "schoolchildren",
})
_HEDGE_START_OK = frozenset({
    "at", "more", "nearly", "almost", "about", "around", "some", "roughly", "approximately", "over",
    "up", "as", "fewer", "less", "no", "an", "a", "well", "just", "close", "upwards", "another",
    "further", "additional", "only", "one", "both", "several", "many", "dozens", "scores", "hundreds",
    "thousands", "numerous", "tens", "few", "estimated",
})
_KILL_CUES = (
    "killed", "killing", "kills", "kill", "dead", "died", "dies", "death", "deaths", "death toll", "toll",
    "slain", "lost their lives", "lost his life", "lost her life", "martyred", "martyring", "perished",
    "murdered", "massacred", "shot dead", "among the dead", "fatalities", "bodies", "lives", "succumbed",
    "killed by", "beheaded",
)
_INJURY_CUES = (
    "wounded", "wounding", "wounds", "injured", "injuring", "injuries", "hurt", "hospitalised",
    "hospitalized", "taken to hospital", "treated for", "treated in hospital", "in critical condition",
    "in serious condition", "bullet wounds", "shrapnel", "maimed", "injures", "stabbed", "shot",
    "stabbing", "critically", "seriously",
)
# Words that say the people in question were not (necessarily) hurt: they veto a nearby cue.
_NOT_HURT_CUES = (
    "fled", "flee", "fleeing", "evacuated", "displaced", "rescued", "freed", "released", "arrested",
    "detained", "kidnapped", "abducted", "taken hostage", "held hostage", "missing", "unharmed",
    "escaped", "survived", "protested", "gathered", "attended", "sheltered", "hid",
)
_CUE_WINDOW = 7
_PERSON_NOUNS = ("man", "woman", "men", "women", "youth", "youths", "teenager", "teenagers", "person")
_PERSON_AS_PERP_NEXT = frozenset({"armed", "wielding", "carrying", "brandishing", "suspected", "accused",
                                  "wanted", "believed"})
_PERSON_AS_PERP_BEFORE = frozenset({"arrested", "detained", "apprehended", "charged", "sentenced",
                                    "convicted", "identified", "named"})
_PERSON_LEFT = frozenset({"year", "years", "old", "-", "a", "an", "one", "two", "three", "young",
                          "unidentified", "unknown", "masked", "armed", "lone", "local"})
_NUM_VERB_BEFORE = {"killing": "killed", "killed": "killed", "wounding": "injured", "wounded": "injured",
                    "injuring": "injured", "injured": "injured", "kills": "killed", "leaving": "",
                    "left": ""}

# Confidence given to each span type; the prediction score is their mean.
_CONFIDENCE = {"group": 0.9, "perp_noun": 0.75, "org_suffix": 0.6, "model_ent": 0.5, "attack": 0.8,
               "attack_generic": 0.6, "casualty": 0.8, "casualty_number": 0.6, "claim": 0.85,
               "claim_bare": 0.6}



Candidate = tuple[int, int, str, dict[str, str], float]


def _patterns(nlp: Language, phrases: Iterable[str]) -> list[Doc]:
    return [nlp.make_doc(p) for p in phrases]


class _IncidentRules:
    """The pipeline component: finds anchors with matchers and builds candidate spans around them.

    Three PhraseMatchers (LOWER, ORTH, SHAPE) do the per-token work in C. The walks around
    each anchor compare lower-case hashes from one `Doc.to_array` call, so no Token objects are
    created. Candidates go to `doc.user_data[_USER_KEY]`; `Preannotator` resolves overlaps, adds
    relations and builds the records.
    """

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        strings = nlp.vocab.strings
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.kinds: dict[int, tuple[str, str]] = {}

        def add(matcher: PhraseMatcher, kind: str, value: str, phrases: Iterable[str]) -> None:
            key = f"{kind}|{value}"
            self.kinds[strings.add(key)] = (kind, value)
            matcher.add(key, _patterns(nlp, phrases))

        for atype, phrases in _ATTACK_PHRASES.items():
            add(self.lower, "ATK", atype, phrases)
        add(self.lower, "STAGE", "attempted", _STAGE_ATTEMPTED)
        add(self.lower, "STAGE", "threatened", _STAGE_THREATENED)
        add(self.lower, "PERP", "individual", _PERP_PERSON)
        add(self.lower, "PERP", "organisation", _PERP_ORG)
        add(self.lower, "PERSON", "", _PERSON_NOUNS)
        add(self.lower, "GROUP", "", _GROUPS_LOWER)
        add(self.lower, "ACRONYM", "", _GROUPS_ORTH)
        add(self.lower, "ORGSUFFIX", "", _ORG_SUFFIX_ORTH)
        for status, phrases in _CLAIM_PHRASES.items():
            add(self.lower, "CLAIM", status, phrases)
        add(self.lower, "VICTIM", "", _VICTIM_NOUNS)
        add(self.lower, "CUE", "killed", _KILL_CUES)
        add(self.lower, "CUE", "injured", _INJURY_CUES)
        add(self.lower, "CUE", "", _NOT_HURT_CUES)
        add(self.lower, "SENT", "", (".", "!", "?", "\n\n", "\n"))
        self.acronyms = frozenset(_GROUPS_ORTH)
        self.org_suffixes = frozenset(_ORG_SUFFIX_ORTH)
        self.first_orths = frozenset(
            strings.add(nlp.make_doc(w)[0].text) for w in (*_GROUPS_ORTH, *_ORG_SUFFIX_ORTH)
        )

        def h(words: Iterable[str]) -> frozenset[int]:
            return frozenset(strings.add(w) for w in words)

        self.h = h
        self.attack_mods = {strings.add(w): t for w, t in _ATTACK_MODIFIERS.items()}
        self.attack_verb_starts = h(
            p.split()[0] for ps in _ATTACK_PHRASES.values() for p in ps
            if p.split()[0].endswith("ed") or p.split()[0] in _ATTACK_VERB_STARTS
        )
        self.not_attack_prev = h(_NOT_ATTACK_PREV)
        self.not_attack_next = h(_NOT_ATTACK_NEXT)
        self.perp_mods = h(_PERP_MODIFIERS)
        self.compound_participles = h(_COMPOUND_PARTICIPLES)
        self.name_connectors = h(_NAME_CONNECTORS)
        self.name_stops = h(("the", "'s"))
        self.perp_org_bare_ok = h(_PERP_ORG_BARE_OK)
        self.partitive_det = h(("the", "its", "their", "those"))
        self.person_next = h(_PERSON_AS_PERP_NEXT)
        self.person_before = h(_PERSON_AS_PERP_BEFORE)
        self.person_left = h(_PERSON_LEFT)
        self.article = h(("a", "an", "-"))
        self.claim_negators = h(_CLAIM_NEGATORS)
        self.claim_bare = h(("claimed", "claims"))
        self.claim_bare_stop = h(_CLAIM_BARE_STOP_NEXT)
        self.attack_words = h(p for ps in _ATTACK_PHRASES.values() for p in ps if " " not in p)
        self.casualty_left = h(_CASUALTY_LEFT)
        self.hedge_start = h(_HEDGE_START_OK)
        self.hedge_words = h(_HEDGE_WORDS)
        self.quantity = h(_QUANTITY_WORDS)
        self.separators = h(("and", "including", "also"))
        self.number_join = h(("-", "hundred", "thousand", "million"))
        self.not_count_next = h(
            ("year", "years", "-", ":", "%", "per", "percent", "am", "pm", "a.m.", "p.m.")
        )
        self.num_killed_next = h(("dead", "killed", "died"))
        self.num_injured_next = h(("wounded", "injured", "hurt"))
        self.ok_after_number = h(("and", "or", "in", "on", "at", "as", "when", "after", "while", "during",
                                  "including", "others", "more", "people", "others"))
        self.num_verbs = {strings.add(w): v for w, v in _NUM_VERB_BEFORE.items() if v}
        self.toll_prev = h(("to", "at"))
        self.toll = strings.add("toll")
        self.the = strings.add("the")
        self.of = strings.add("of")
        self.hyphen = strings.add("-")

    def __call__(self, doc: Doc) -> Doc:
        by_kind: dict[str, list[tuple[int, int, str]]] = {}
        kinds = self.kinds
        for match_id, start, end in self.lower(doc):
            kind, value = kinds[match_id]
            by_kind.setdefault(kind, []).append((start, end, value))
        arr = doc.to_array([LOWER, LIKE_NUM, ORTH])
        doc.user_data[_USER_KEY] = self._candidates(doc, arr, by_kind)
        return doc

    def _candidates(
        self, doc: Doc, arr: Any, by_kind: dict[str, list[tuple[int, int, str]]]
    ) -> dict[str, Any]:
        low: list[int] = arr[:, 0].tolist()
        n = len(low)

        def titled(i: int) -> bool:
            tok = doc[i]
            return tok.is_title or tok.is_upper

        nums = set(numpy.flatnonzero(arr[:, 1]).tolist())
        # Case-sensitive anchors were matched on LOWER: keep only the exact spellings.
        for kind, allowed in (("ACRONYM", self.acronyms), ("ORGSUFFIX", self.org_suffixes)):
            if kind in by_kind:
                by_kind[kind] = [m for m in by_kind[kind] if int(arr[m[0], 2]) in self.first_orths and (
                    m[1] - m[0] == 1 or doc[m[0]:m[1]].text in allowed)]
        by_kind.setdefault("GROUP", []).extend(by_kind.get("ACRONYM", ()))
        sent_ends = sorted({s for s, _e, _v in by_kind.get("SENT", ())})
        stages = by_kind.get("STAGE", [])
        cues = sorted(by_kind.get("CUE", []))
        cue_pos = [c[0] for c in cues]
        cands: list[Candidate] = []

        def sent_of(i: int) -> int:
            return bisect.bisect_left(sent_ends, i)

        # ATTACK: trigger phrases; nouns take type-giving modifiers from the left.
        for start, end, atype in by_kind.get("ATK", ()):
            if (start and low[start - 1] in self.not_attack_prev) or (
                    end < n and low[end] in self.not_attack_next):
                continue
            attrs: dict[str, str] = {}
            if low[start] not in self.attack_verb_starts:
                while start > 0 and low[start - 1] in self.attack_mods:
                    implied = self.attack_mods[low[start - 1]]
                    if implied and not atype:
                        atype = implied
                    start -= 1
            if atype:
                attrs["attack_type"] = atype
            stage = "accomplished"
            sent = sent_of(start)
            for s_start, _s_end, s_value in stages:
                if start - 8 <= s_start < start and sent_of(s_start) == sent:
                    stage = s_value
            attrs["attack_stage"] = stage
            cands.append((start, end, "ATTACK", attrs, _CONFIDENCE["attack" if atype else "attack_generic"]))

        # PERPETRATOR: named groups, title-case names ending in an organisation word, descriptions.
        group_ends: dict[int, int] = {}
        for start, end, _v in by_kind.get("GROUP", ()):
            group_ends[end] = min(start, group_ends.get(end, start))
            cands.append((start, end, "PERPETRATOR", {"perpetrator_kind": "organisation"},
                          _CONFIDENCE["group"]))
        for start, end, _v in by_kind.get("ORGSUFFIX", ()):
            i = start
            while i > 0 and low[i - 1] not in self.name_stops and (
                    titled(i - 1) or low[i - 1] in self.name_connectors) and (i - 1) not in sent_ends:
                i -= 1
            while i < start and low[i] in self.name_connectors:
                i += 1
            if i < start:
                cands.append((i, end, "PERPETRATOR", {"perpetrator_kind": "organisation"},
                              _CONFIDENCE["org_suffix"]))
        for start, end, kind in by_kind.get("PERP", ()):
            i = start
            while i > 0:
                prev = low[i - 1]
                if (prev in self.perp_mods and prev != self.of) or (i - 1) in nums or (
                        prev == self.hyphen and i > 1 and low[i - 2] in self.compound_participles):
                    i -= 1
                elif prev in self.compound_participles and i > 1 and low[i - 2] == self.hyphen:
                    i -= 2
                    if i > 0 and titled(i - 1):
                        i -= 1
                elif i in group_ends:
                    i = group_ends[i]
                else:
                    break
            while i < start and low[i] in self.article:
                i += 1
            if kind == "organisation" and i == start and low[start] not in self.perp_org_bare_ok:
                continue  # "the group": a bare anaphor, per the guideline
            if i >= 3 and low[i - 1] in self.partitive_det and low[i - 2] == self.of and (i - 3) in nums:
                i -= 3  # partitive: "three of the suspects"
            cands.append((i, end, "PERPETRATOR", {"perpetrator_kind": kind}, _CONFIDENCE["perp_noun"]))
        perp_heads: set[int] = set()
        for start, end, _v in by_kind.get("PERSON", ()):
            if not ((end < n and low[end] in self.person_next)
                    or any(low[j] in self.person_before for j in range(max(0, start - 8), start))):
                continue
            i = start
            while i > 0 and (low[i - 1] in self.person_left or (i - 1) in nums):
                i -= 1
            while i < start and low[i] in self.article:
                i += 1
            perp_heads.add(start)
            cands.append((i, end, "PERPETRATOR", {"perpetrator_kind": "individual"},
                          _CONFIDENCE["perp_noun"]))

        # CLAIM
        for start, end, status in by_kind.get("CLAIM", ()):
            negated = any(low[j] in self.claim_negators for j in range(max(0, start - 4), start))
            if status == "claimed" and negated:
                continue
            conf = _CONFIDENCE["claim"]
            if end - start == 1 and low[start] in self.claim_bare:
                nxt = low[end] if end < n else 0
                if nxt in self.claim_bare_stop and not (
                        nxt == self.the and end + 1 < n and low[end + 1] in self.attack_words):
                    continue  # "claimed that", "claimed the lives of"
                if any(j in nums or low[j] in self.claim_bare_stop for j in range(end + 1, min(n, end + 3))):
                    continue  # "claimed 30 lives", "claimed at least 30 lives"
                conf = _CONFIDENCE["claim_bare"]
            cands.append((start, end, "CLAIM", {"claim_status": status}, conf))

        # CASUALTY: victim noun phrases and bare toll figures, kept only next to an outcome cue.
        def outcome_near(start: int, end: int) -> str | None:
            sent = sent_of(start)
            best: tuple[int, int, str] | None = None
            for k in range(bisect.bisect_left(cue_pos, start - _CUE_WINDOW), len(cues)):
                c_start, c_end, c_kind = cues[k]
                if c_start > end + _CUE_WINDOW:
                    break
                if start <= c_start < end or sent_of(c_start) != sent:
                    continue
                dist = start - c_end if c_start < start else c_start - end
                # nearest cue wins; on a tie the longer one ("shot dead" over "shot")
                if best is None or (dist, -c_end) < (best[0], -best[1]):
                    best = (dist, c_end, c_kind)
            return (best[2] or None) if best else None

        covered: set[int] = set()
        for start, end, _v in by_kind.get("VICTIM", ()):
            if start in perp_heads:
                continue
            i = start
            while i > 0 and (low[i - 1] in self.casualty_left or (i - 1) in nums):
                i -= 1
            for j in range(start - 1, i - 1, -1):
                if low[j] in self.separators:
                    i = j + 1
                    break
            while i < start and low[i] not in self.hedge_start and i not in nums:
                i += 1
            if i == start or not any(j in nums or low[j] in self.quantity for j in range(i, start)):
                continue
            outcome = outcome_near(i, end)
            if outcome is None:
                continue
            covered.update(range(i, end))
            cands.append((i, end, "CASUALTY", {"outcome": outcome}, _CONFIDENCE["casualty"]))
        for start in sorted(nums):
            if start in covered:
                continue
            last = start + 1
            while last < n and (last in nums or (low[last] in self.number_join and last + 1 in nums)):
                last += 1
            if last < n and low[last] in self.not_count_next:
                continue
            i = start
            while i > 0 and low[i - 1] in self.hedge_words:
                i -= 1
            while i < start and low[i] not in self.hedge_start:
                i += 1
            nxt = low[last] if last < n else 0
            prev = low[i - 1] if i else 0
            outcome = None
            if nxt in self.num_killed_next:
                outcome = "killed"
            elif nxt in self.num_injured_next:
                outcome = "injured"
            elif prev in self.num_verbs and not self._is_unknown_word(nxt):
                outcome = self.num_verbs[prev]
            elif prev in self.toll_prev and any(low[j] == self.toll for j in range(max(0, i - 6), i)):
                outcome = "killed"
            if outcome is None:
                continue
            covered.update(range(i, last))
            cands.append((i, last, "CASUALTY", {"outcome": outcome}, _CONFIDENCE["casualty_number"]))

        return {"candidates": cands, "sent_ends": sent_ends}

    def _is_unknown_word(self, lower_hash: int) -> bool:
        """True for a word after "killing 14" that may be a noun we do not know ("14 Hazara ...")."""
        if not lower_hash or lower_hash in self.ok_after_number:
            return False
        return self.vocab.strings[lower_hash].isalpha()


if not Language.has_factory(_COMPONENT):
    @Language.factory(_COMPONENT)
    def _make_incident_rules(nlp: Language, name: str) -> _IncidentRules:
        return _IncidentRules(nlp)



# ---------------------------------------------------------------------------------------------
# Overlap resolution, relations and records.

_PRIORITY_RANK = {label: rank for rank, label in enumerate(OVERLAP_PRIORITY)}


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Keep a non-overlapping subset: longer spans first, then OVERLAP_PRIORITY, then confidence.

    The guideline allows no overlaps, within or across labels.
    """
    order = sorted(cands, key=lambda c: (-(c[1] - c[0]), _PRIORITY_RANK[c[2]], -c[4], c[0]))
    taken: list[Candidate] = []
    used: set[int] = set()
    for cand in order:
        toks = range(cand[0], cand[1])
        if any(t in used for t in toks):
            continue
        used.update(toks)
        taken.append(cand)
    return sorted(taken, key=lambda c: (c[0], c[1]))


def _relations(spans: list[dict[str, Any]], sents: list[int]) -> list[dict[str, str]]:
    """Same-sentence proposals: link X to Y only when the sentence has exactly one Y."""
    by_sent: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for span, sent in zip(spans, sents, strict=True):
        by_sent.setdefault((sent, span["label"]), []).append(span)
    rels = []
    for span, sent in zip(spans, sents, strict=True):
        for to_label, rel_type in _RELATIONS_FROM.get(span["label"], ()):
            targets = by_sent.get((sent, to_label))
            if targets is not None and len(targets) == 1:
                rels.append({"from_id": span["id"], "to_id": targets[0]["id"], "type": rel_type})
    return rels


_RELATIONS_FROM: dict[str, list[tuple[str, str]]] = {}
for (_from, _to), _rel in RELATION_BY_PAIR.items():
    _RELATIONS_FROM.setdefault(_from, []).append((_to, _rel))


class Preannotator:
    """Builds the rule pipeline once; turns article texts into span records and relations."""

    def __init__(self, *, model: str | None = None) -> None:
        self.nlp = spacy.blank(LANG)
        self.nlp.add_pipe(_COMPONENT)
        self.model_name = model
        self.model: Language | None = None
        if model is not None:
            try:
                self.model = spacy.load(model, exclude=["parser", "lemmatizer", "textcat"])
            except OSError as exc:
                raise InputError(
                    f"spaCy model {model!r} is not installed; install it with "
                    f"`python -m spacy download {model}` or drop --model"
                ) from exc

    def annotate(self, text: str) -> dict[str, Any]:
        """Pre-annotate one text; see `annotate_many`."""
        return next(self.annotate_many([text]))

    def annotate_many(self, texts: Iterable[str], *, batch_size: int = 64) -> Iterator[dict[str, Any]]:
        """Yield {"spans", "relations", "score"} per text, in input order (streams with nlp.pipe)."""
        if self.model is None:
            # as_tuples hands the original string back with each doc: Doc.text would rebuild it.
            pairs = ((text, text) for text in texts)
            for doc, text in self.nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
                yield self._finish(doc, text, ())
            return
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from self._finish_batch(batch, batch_size)
                batch = []
        if batch:
            yield from self._finish_batch(batch, batch_size)

    def _finish_batch(self, batch: list[str], batch_size: int) -> Iterator[dict[str, Any]]:
        assert self.model is not None
        docs = self.nlp.pipe(batch, batch_size=batch_size)
        model_docs = self.model.pipe(batch, batch_size=batch_size)
        for text, doc, mdoc in zip(batch, docs, model_docs, strict=True):
            ents = [(e.start_char, e.end_char, e.label_) for e in mdoc.ents
                    if e.label_ in ("ORG", "NORP", "PERSON")]
            yield self._finish(doc, text, ents)

    def _finish(self, doc: Doc, text: str, model_ents: Iterable[tuple[int, int, str]]) -> dict[str, Any]:
        data = doc.user_data.pop(_USER_KEY)
        cands: list[Candidate] = list(data["candidates"])
        if model_ents:
            cands.extend(_model_candidates(doc, cands, model_ents))
        chosen = _resolve(cands)
        spans: list[dict[str, Any]] = []
        sents: list[int] = []
        for k, (start, end, label, attrs, _conf) in enumerate(chosen, 1):
            start_char = doc[start].idx
            last = doc[end - 1]
            end_char = last.idx + len(last)
            span_text = text[start_char:end_char]
            # Offsets are code points into the text the caller gave; the record must agree with it.
            assert span_text and span_text.strip() == span_text, (start_char, end_char, span_text)
            span = {"id": f"p{k}", "start": start_char, "end": end_char, "label": label,
                    "text": span_text, "attributes": dict(attrs)}
            spans.append(span)
            sents.append(bisect.bisect_left(data["sent_ends"], start))
        score = sum(c[4] for c in chosen) / len(chosen) if chosen else 0.0
        return {"spans": spans, "relations": _relations(spans, sents), "score": round(score, 4)}


def _model_candidates(doc: Doc, cands: list[Candidate],
                      ents: Iterable[tuple[int, int, str]]) -> list[Candidate]:
    """ORG/NORP/PERSON entities of a user model become PERPETRATOR candidates near a CLAIM or ATTACK."""
    anchors = [(c[0], c[1]) for c in cands if c[2] in ("CLAIM", "ATTACK")]
    out: list[Candidate] = []
    for start_char, end_char, label in ents:
        span = doc.char_span(start_char, end_char, alignment_mode="contract")
        if span is None or len(span) == 0:
            continue
        while len(span) and span[0].lower_ == "the":
            span = span[1:]
        if len(span) == 0:
            continue
        near = any(a_start - 4 <= span.end <= a_start or a_end <= span.start <= a_end + 4
                   for a_start, a_end in anchors)
        if not near:
            continue
        kind = "individual" if label == "PERSON" else "organisation"
        out.append((span.start, span.end, "PERPETRATOR", {"perpetrator_kind": kind},
                    _CONFIDENCE["model_ent"]))
    return out


# ---------------------------------------------------------------------------------------------
# Scoring against a gold set (used by scripts/bench_preannotate.py and the tests).

def score_spans(gold: Iterable[Iterable[dict[str, Any]]], pred: Iterable[Iterable[dict[str, Any]]]
                ) -> dict[str, dict[str, dict[str, Any]]]:
    """Precision/recall/F1 per label and micro overall, for exact and overlap matching (scoring.py)."""
    pairs = (([(g["start"], g["end"], g["label"]) for g in g_spans],
              [(p["start"], p["end"], p["label"]) for p in p_spans])
             for g_spans, p_spans in zip(gold, pred, strict=True))
    return {mode: {label: s.as_dict() for label, s in per.items()} for mode, per in scoring.score_spans(pairs).items()}


def _check_attribute_names() -> None:
    """Fail at import if a lexicon names an attribute value labels.py does not know."""
    values = set(ATTRIBUTES_BY_NAME["attack_type"].values)
    assert all(t in values for t in _ATTACK_PHRASES if t), "unknown attack_type in _ATTACK_PHRASES"
    assert set(_CLAIM_PHRASES) <= set(ATTRIBUTES_BY_NAME["claim_status"].values)


_check_attribute_names()
