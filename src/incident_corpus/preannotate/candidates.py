"""The spaCy component behind incident-rules-2: anchors from one PhraseMatcher, candidate spans around them.

All per-token work happens in spaCy's matcher and one `Doc.to_array` call; Python looks only at
the few tokens around each anchor, comparing lower-case hashes (no Token objects in the loops).
A candidate is `(start_tok, end_tok, label, attributes, score)`; `rules.Preannotator` resolves
overlaps and builds the records.

PERPETRATOR goes by role, not by name (schema/guideline.md: "groups named in any other role"
are not perpetrators): a group name, or a category noun such as *militants*, becomes a candidate
only where the sentence makes it the agent of an attack or claim (`ISIS claimed`, `ISIS struck`,
`by ETA`, `Taliban attack`, `the IRA's bombing`) or the party blamed (`police blamed the PKK`),
never after *fight/battle against/target/like/threat posed by*. Role nouns (*gunmen*, *bomber*,
*suspect*) name attackers by themselves. Unknown names come from name patterns (`Lashkar-e-X`,
`Jamaat-ul-X`, `X Front`) and from the article itself (a capitalised name that claims
responsibility or is blamed), and then still need a role in each mention.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import FLAG63, IDX, LIKE_NUM, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from incident_corpus.preannotate import lexicon as lexicon_mod

COMPONENT = "incident_rules_2"
USER_KEY = "incident_corpus.candidates"

Candidate = tuple[int, int, str, dict[str, str], float]

# The lexical attributes these rules (and ner.py) read: the only ones the pre-annotator's vocabulary
# computes for a new word (core/nlp.py `new_blank`); a rule that reads another must add it here.
LEXEME_ATTRS = (LOWER, LIKE_NUM)
# Capitalised (title case or all capitals), one lexeme flag the component adds, so that Doc.to_array
# reads one column where IS_TITLE and IS_UPPER were two. spaCy's own flags take bits 1-18.
IS_CAP = FLAG63
# The columns read once per document: each costs ~30 us on a 600-token article.
_COLUMNS = [LOWER, LIKE_NUM, IS_CAP, IDX]


def _is_cap(text: str) -> bool:
    return text.istitle() or text.isupper()

# How sure each rule is; the span's `score` (and the mean over a task's spans, the prediction score).
CONFIDENCE = {
    "group_role": 0.9, "pattern_role": 0.75, "learned_role": 0.7, "role_noun": 0.8, "category_role": 0.7,
    "org_role": 0.65, "person": 0.6, "model_role": 0.6,
    "person_seed": 0.65, "person_name": 0.6,
    "attack": 0.85, "attack_generic": 0.65, "attack_agent": 0.6,
    "casualty": 0.8, "casualty_number": 0.6, "claim": 0.85, "claim_bare": 0.6, "claim_attributed": 0.7,
}


@dataclass
class _Ctx:
    """One document's arrays and anchors, shared by the candidate builders."""

    doc: Doc
    low: list[int]
    cap: list[int]
    nums: set[int]
    sent_ends: list[int]  # sorted, for bisect
    by_kind: dict[str, list[tuple[int, int, str]]]
    attack_starts: set[int]
    claim_at: dict[int, tuple[int, str]]  # CLAIM anchor start -> (end, status)
    hyphens: list[int]
    starts: Any  # char offset of each token (numpy), for the records
    toll_numbers: list[int]  # numbers next to a word that can make them a bare toll figure
    lows: Any  # the LOWER column as numpy, for whole-document equality tests
    n: int  # tokens
    end_set: frozenset[int]  # sent_ends again, for membership tests

    def end_char(self, i: int) -> int:
        """One past token i's last character (asked only for candidates' last tokens)."""
        tok = self.doc[i]
        return tok.idx + len(tok)

    def sent_of(self, i: int) -> int:
        return bisect.bisect_left(self.sent_ends, i)

    def sent_bounds(self, i: int) -> tuple[int, int]:
        s = self.sent_of(i)
        start = self.sent_ends[s - 1] + 1 if s > 0 else 0
        end = self.sent_ends[s] if s < len(self.sent_ends) else self.n
        return start, end

    def text(self, i: int) -> str:
        return self.doc[i].text


class IncidentRules:
    """The pipeline component: `doc.user_data[USER_KEY]` gets the candidates and sentence ends."""

    def __init__(self, nlp: Language) -> None:
        lex = lexicon_mod.load()
        w = lex.words
        self.vocab = nlp.vocab
        if IS_CAP not in nlp.vocab.lex_attr_getters:
            nlp.vocab.add_flag(_is_cap, flag_id=IS_CAP)
        strings = nlp.vocab.strings
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.kinds: dict[int, tuple[str, str]] = {}
        for (kind, value), phrases in lex.phrases.items():
            key = f"{kind}|{value}"
            self.kinds[strings.add(key)] = (kind, value)
            self.matcher.add(key, [nlp.make_doc(p) for p in phrases])
        self.sent_hashes = [numpy.uint64(strings.add(p)) for p in (".", "!", "?", "\n\n", "\n")]

        def h(words: Iterable[str]) -> frozenset[int]:
            return frozenset(strings.add(x) for x in words)

        self.h = h
        self.acronyms = frozenset(lex.by_kind("ACRONYM"))
        self.org_suffixes = frozenset(lex.by_kind("ORGSUFFIX"))
        self.first_orths = h(nlp.make_doc(x)[0].text for x in (*self.acronyms, *self.org_suffixes))
        attack_phrases = [p for ps in lex.values("ATK").values() for p in ps]
        self.attack_mods = {strings.add(k): v for k, v in w["attack_modifiers"].items()}
        self.attack_verb_starts = h(p.split()[0] for p in attack_phrases
                                    if p.split()[0].endswith("ed") or p.split()[0] in w["attack_verb_starts"])
        self.attack_words = h(p for p in attack_phrases if " " not in p)
        self.not_attack_prev = h(w["not_attack_prev"])
        self.not_attack_next = h(w["not_attack_next"])
        self.not_attack_subject = h(w["not_attack_subject"])
        self.hypothetical = h(w["hypothetical"])
        self.strike = strings.add("strike")
        self.strike_det = h(w["strike_det"])
        self.accused_of_ok = h(w["accused_of_ok"])
        self.accuse = h(("accused", "accuses", "accusing"))
        self.carry_outcome = h(w["carry_outcome_words"])
        self.attack_base = h(("attack", "attacks", "strike"))
        self.perp_mods = h(w["perp_modifiers"])
        self.compound_participles = h(w["compound_participles"])
        self.name_connectors = h(w["name_connectors"])
        self.name_infixes = h(w["name_infixes"])
        self.name_stops = h(w["name_stops"])
        self.not_name_words = h(w["not_name_words"])
        self.learned_connectors = h(w["learned_connectors"])
        self.perp_org_bare_ok = h(w["perp_org_bare_ok"])
        self.partitive_det = h(w["partitive_det"])
        self.person_next = h(w["person_as_perp_next"])
        self.person_before = h(w["person_as_perp_before"])
        self.person_left = h(w["person_left"])
        self.article = h(w["article"])
        self.role_nouns = h(w["role_nouns"])
        self.category_nouns = h(w["category_nouns"])
        self.modifier_heads = h(w["modifier_heads"])
        self.name_modifier_heads = h(w["name_modifier_heads"])
        self.agent_verbs = h(w["agent_verbs_strong"])
        self.passive_aux = h(w["passive_aux"])
        self.role_fillers = h([*w["role_fillers"], ","])
        self.not_role_before = h(w["not_role_before"])
        self.by_words = h(w["by_words"])
        self.by_heads = h(w["by_heads"])
        self.state_org_heads = h(w["state_org_heads"])
        self.from_words = h(w["from_after_attack"])
        self.place_words = h(w["place_words"])
        self.place_orth = h(w["place_orth_suffixes"])
        self.claim_negators = h(w["claim_negators"])
        self.claim_bare = h(("claimed", "claims"))
        self.claim_bare_stop = h(w["claim_bare_stop_next"])
        self.claim_noun_det = h(("the", "these", "those", "such", "his", "her", "their", "its", "'s", "’s"))
        self.claim_needs_context = h(w["claim_needs_attack"])
        self.claim_context = h([*w["claim_context"], *attack_phrases])
        self.hedge_words = h(w["hedge_words"])
        self.quantity = h(w["quantity_words"])
        self.casualty_left = h([*w["casualty_left"], *w["hedge_words"], *w["quantity_words"]])
        self.hedge_start = h(w["hedge_start_ok"])
        self.separators = h(w["casualty_separators"])
        self.number_join = h(w["number_join"])
        self.not_count_next = h(w["not_count_next"])
        self.num_killed_next = h(w["num_killed_next"])
        self.num_injured_next = h(w["num_injured_next"])
        self.ok_after_number = h(w["ok_after_number"])
        self.num_verbs = {strings.add(k): v for k, v in w["num_verb_before"].items() if v}
        self.toll_prev = h(w["toll_prev"])
        self.number_next = self.num_killed_next | self.num_injured_next | self.number_join
        self.number_prev = frozenset(self.num_verbs) | self.toll_prev | self.hedge_words
        self.toll = strings.add("toll")
        self.the = strings.add("the")
        self.of = strings.add("of")
        self.hyphen = strings.add("-")
        self.relative = h(("which", "who", "whose"))
        self.raid_words = h(("raid", "raids", "raided", "stormed"))
        self.group_nouns = h(("group", "organisation", "organization", "movement"))
        self.role_modifiers = h(("suspected", "alleged", "armed", "masked", "suicide"))
        self.ethnic = strings.add("ethnic")
        self._adverb: dict[int, bool] = {}
        self._adjective: dict[int, bool] = {}
        self.comma = strings.add(",")
        self.paren = strings.add("(")
        self.paren_close = strings.add(")")
        self.possessive = h(("'s", "’s", "'", "’"))
        self.quotes = h(('"', "“", "”", "'", "‘", "’"))
        self.casualty_inner = h(("military", "service", "security", "pro", "regime", "-", "ethnic"))
        # incident-rules-3: named people by role
        self.person_titles = h(w["person_titles"])
        self.person_connectors = h(w["person_name_connectors"])
        self.person_not_before = h(w["person_not_before"])
        self.arrest_verbs = h(w["arrest_verbs"])
        self.object_kill_verbs = {strings.add(k): v for k, v in w["object_kill_verbs"].items()}
        self.not_adjective = h(w["not_adjective_words"])
        self.bare_quantity_heads = h(("scores", "dozens", "hundreds"))
        self.unit_nouns = h(w["unit_nouns"])
        self.involved = strings.add("involved")
        self.in_ = strings.add("in")
        self.heading = h(("==", "="))
        self.from_ = strings.add("from")
        self.to = strings.add("to")
        self.subject_fillers = h(("had", "have", "has", "still", "also", "reportedly", "later"))
        self.arrested_heads = h(w["arrested_heads"])
        self.group_nouns_before_name = h(w["group_nouns_before_name"])
        self.person_seed_skip = h(w["person_seed_skip"])
        self.person_role_nouns = h(w["person_role_nouns"])
        self.coreferent_heads = h(w["coreferent_heads"])
        self.and_ = strings.add("and")
        self.who = strings.add("who")
        self.partitive_heads = h(w["partitive_victim_heads"])
        self.plural_heads = h(w["bare_plural_heads"])
        self.relative_stop = h(w["bare_subject_stops"])
        self.past_aux = h(w["past_passive_aux"])
        self.with_ = strings.add("with")
        self.person_stop = (self.not_name_words | self.place_words | self.state_org_heads | self.quantity
                            | h(w["not_person_words"]))

    def __call__(self, doc: Doc) -> Doc:
        by_kind: dict[str, list[tuple[int, int, str]]] = {}
        kinds = self.kinds
        for match_id, start, end in self.matcher(doc):
            kind, value = kinds[match_id]
            by_kind.setdefault(kind, []).append((start, end, value))
        arr = doc.to_array(_COLUMNS)
        ctx = self._context(doc, arr, by_kind)
        cands: list[Candidate] = []
        if "ATK" in by_kind or "CLAIM" in by_kind or "PERP" in by_kind or "GROUP" in by_kind:
            cands.extend(self._attacks(ctx))
            claims = self._claims(ctx)
            ctx.claim_at = {c[0]: (c[1], c[3]["claim_status"]) for c in claims}  # role tests see real claims only
            perps, perp_heads = self._perpetrators(ctx)
            cands.extend(perps)
            cands.extend(self._agent_attacks(ctx, perps))
            cands.extend(self._weak_attacks(ctx))
            if any(c[2] == "ATTACK" for c in cands):
                # CLAIM and CASUALTY only in a text that reports an attack (not a disease or an election).
                cands.extend(claims)
                cands.extend(self._casualties(ctx, perp_heads))
        doc.user_data[USER_KEY] = {"candidates": cands, "sent_ends": ctx.sent_ends, "ctx": ctx}
        return doc

    # ------------------------------------------------------------------------------------ context

    def _context(self, doc: Doc, arr: Any, by_kind: dict[str, list[tuple[int, int, str]]]) -> _Ctx:
        low: list[int] = arr[:, 0].tolist()
        cap: list[int] = arr[:, 2].tolist()  # 0/1, read only for truth
        nums = set(numpy.flatnonzero(arr[:, 1]).tolist())
        # Case-sensitive anchors were matched on LOWER: keep only the exact spellings.
        for kind, allowed in (("ACRONYM", self.acronyms), ("ORGSUFFIX", self.org_suffixes)):
            if kind in by_kind:
                by_kind[kind] = [m for m in by_kind[kind] if doc[m[0]].orth in self.first_orths and (
                    m[1] - m[0] == 1 or doc[m[0]:m[1]].text in allowed)]
        lows = arr[:, 0]
        is_end = lows == self.sent_hashes[0]
        for sh in self.sent_hashes[1:]:
            is_end |= lows == sh
        sent_ends = numpy.flatnonzero(is_end).tolist()
        claim_at = {s: (e, v) for s, e, v in by_kind.get("CLAIM", ())}
        attack_starts = {s for s, _e, _v in by_kind.get("ATK", ())}
        hyphens = numpy.flatnonzero(lows == self.hyphen).tolist()
        # numbers that can be a bare toll: "killing 14", "14 dead", "at least 14", "toll rose to 14", "1 000"
        n = len(low)
        toll_numbers = [i for i in nums if (i + 1 < n and (low[i + 1] in self.number_next or i + 1 in nums))
                        or (i and low[i - 1] in self.number_prev)]
        toll_numbers.sort()
        return _Ctx(doc, low, cap, nums, sent_ends, by_kind, attack_starts, claim_at, hyphens, arr[:, 3],
                    toll_numbers, lows, n, frozenset(sent_ends))

    # ------------------------------------------------------------------------------------ ATTACK

    def _attacks(self, ctx: _Ctx) -> list[Candidate]:
        """Trigger phrases; nouns take type-giving modifiers from the left; the stage comes from cues before."""
        low, n = ctx.low, ctx.n
        stages = ctx.by_kind.get("STAGE", [])
        out: list[Candidate] = []
        for start, end, atype in ctx.by_kind.get("ATK", ()):
            if (start and low[start - 1] in self.not_attack_prev) or (end < n and low[end] in self.not_attack_next):
                continue
            if self._not_an_attack(ctx, start, end):
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
            sent = ctx.sent_of(start)
            for s_start, _s_end, s_value in stages:
                if start - 8 <= s_start < end and ctx.sent_of(s_start) == sent:  # or inside: "assassination attempt"
                    stage = s_value
            attrs["attack_stage"] = stage
            out.append((start, end, "ATTACK", attrs, CONFIDENCE["attack" if atype else "attack_generic"]))
        return out

    def _weak_attacks(self, ctx: _Ctx) -> list[Candidate]:
        """"incident" is an attack only in a sentence that also names one or its dead and wounded."""
        out: list[Candidate] = []
        for start, end, _v in ctx.by_kind.get("ATK_WEAK", ()):
            if self._sentence_has_attack(ctx, start, exclude=start):
                out.append((start, end, "ATTACK", {"attack_stage": "accomplished"}, CONFIDENCE["attack_agent"]))
        return out

    def _agent_attacks(self, ctx: _Ctx, perps: list[Candidate]) -> list[Candidate]:
        """Verbs that are attacks only after an attacker: "ISIS struck again" (not "the storm struck")."""
        perp_ends = {c[1] for c in perps}
        out: list[Candidate] = []
        for start, end, _v in ctx.by_kind.get("ATK_AGENT", ()):
            j = start
            while j > 0 and ctx.low[j - 1] in self.role_fillers:
                j -= 1
            if j in perp_ends:
                out.append((start, end, "ATTACK", {"attack_stage": "accomplished"}, CONFIDENCE["attack_agent"]))
        return out

    def _not_an_attack(self, ctx: _Ctx, start: int, end: int) -> bool:
        """Police raids, "to attack the virus": the trigger word names something other than an attack."""
        low = ctx.low
        if end < ctx.n and low[end] in self.heading and any(t in self.heading for t in low[max(0, start - 2):start]):
            return True  # a wiki section heading ("==The attack=="), not a mention in the text
        if low[start] == self.strike and not (start and low[start - 1] in self.strike_det):
            return True  # "strike" is an attack only as a noun with a determiner ("the strike"), not a walk-out
        if low[start] in self.raid_words and any(
                t in self.not_attack_subject for t in low[max(ctx.sent_bounds(start)[0], start - 4):start]):
            return True
        # a verb in an infinitive/modal: "resources to attack the virus"
        return bool(low[start] in self.attack_base and start and low[start - 1] in self.hypothetical
                    and end < ctx.n and (low[end] == self.the or ctx.cap[end]))

    # ------------------------------------------------------------------------------------ PERPETRATOR

    def _perpetrators(self, ctx: _Ctx) -> tuple[list[Candidate], set[int]]:
        names = self._names(ctx)
        out: list[Candidate] = []
        name_ends: dict[int, int] = {}
        for start, end, source in names:
            name_ends[end] = min(start, name_ends.get(end, start))
            if not self.name_ok(ctx, start, end):
                continue
            if self.role(ctx, start, end):
                out.append((start, end, "PERPETRATOR", {"perpetrator_kind": "organisation"},
                            CONFIDENCE[f"{source}_role"]))
        descs, heads = self._descriptions(ctx, name_ends)
        out.extend(descs)
        out.extend(self._person_names(ctx, out))
        out.extend(self._arrested(ctx))
        return out, heads

    def _arrested(self, ctx: _Ctx) -> list[Candidate]:
        """Suspects by count: "police arrested 12 people, seven women and five men in connection with",
        "34 people were involved in the attack"."""
        low, n, nums = ctx.low, ctx.n, ctx.nums
        out: list[Candidate] = []
        for s0, e0, _v in ctx.by_kind.get("VICTIM", ()):
            if not (s0 and (s0 - 1) in nums):
                continue
            j = e0
            while j < n and low[j] in self.passive_aux and j - e0 < 2:
                j += 1
            if (s0 and (s0 - 1) in nums and low[s0] in self.arrested_heads and j < n - 1 and low[j] == self.involved
                    and low[j + 1] == self.in_ and self._sentence_has_attack(ctx, j)):
                out.append((s0 - 1, e0, "PERPETRATOR", {"perpetrator_kind": "individual"}, CONFIDENCE["category_role"]))
        for k, _e, _v in ctx.by_kind.get("PSEED_BEFORE", ()):
            if low[k] not in self.arrest_verbs:
                continue
            j = k + 1
            while j < n:
                i = j
                while j < n and (j in nums or low[j] in self.hedge_words) and j - i < 4:
                    j += 1
                if j == i or not any(m in nums for m in range(i, j)) or j >= n or low[j] not in self.arrested_heads:
                    break
                out.append((i, j + 1, "PERPETRATOR", {"perpetrator_kind": "individual"}, CONFIDENCE["category_role"]))
                j += 1
                if j < n and low[j] in (self.comma, self.and_):
                    j += 1
                else:
                    break
        return out

    # Named people: no lexicon can know them, so a name is learned where the sentence makes the
    # person a perpetrator (an appositive role noun, a suspect predicate, the subject of an attack
    # verb); its other mentions (the surname alone too) are perpetrators where they are in role.

    def _name_tok(self, ctx: _Ctx, k: int) -> bool:
        """A word that may be part of a name: capitalised (McVeigh too, not FBI), no number or function word."""
        if not 0 <= k < ctx.n or k in ctx.nums or ctx.low[k] in self.person_stop:
            return False
        text = ctx.doc[k].text
        return text[:1].isupper() and (not text.isupper() or (len(text) == 2 and text[1] == "."))

    def _run_at(self, ctx: _Ctx, k: int) -> tuple[int, int] | None:
        """The name run ([start, end)) through token k, titles (General, Special Agent) left out."""
        if not self._name_tok(ctx, k):
            return None
        low = ctx.low
        a = k
        while a > 0 and (a - 1) not in ctx.end_set and (self._name_tok(ctx, a - 1) or (
                low[a - 1] in self.person_connectors and self._name_tok(ctx, a - 2))):
            a -= 1
        b = k + 1
        while b < ctx.n and b not in ctx.end_set and (self._name_tok(ctx, b) or (
                low[b] in self.person_connectors and self._name_tok(ctx, b + 1))):
            b += 1
        while a < b and (low[a] in self.person_titles or low[a] in self.person_connectors):
            a += 1
        if a >= b or any(low[j] in self.person_titles for j in range(a, b)):
            return None
        return a, b

    def _run_ending(self, ctx: _Ctx, k: int) -> tuple[int, int] | None:
        run = self._run_at(ctx, k)
        return run if run is not None and run[1] == k + 1 else None

    def _person_seeds(self, ctx: _Ctx) -> set[tuple[int, int]]:
        low, n = ctx.low, ctx.n
        seeds: set[tuple[int, int]] = set()
        skip = self.person_seed_skip
        for k, _e, _v in ctx.by_kind.get("PSEED_BEFORE", ()):
            # "suspected bomber Dzhokhar Tsarnaev", "the alleged killer, Ali Vance", "arrested the Vances"
            j = k + 1
            if j < n and (low[j] == self.comma or low[j] == self.the):
                j += 1
            if j < n and low[j] == self.of:
                j += 1
            run = self._run_at(ctx, j)
            if run is None or run[0] != j:
                continue
            seeds.add(run)
            if low[k] in self.person_role_nouns:
                # "the suspected bombers, Ali and his brother, Omar Vance": the following conjuncts
                e = run[1]
                while e < n and low[e] in (self.comma, self.and_):
                    nxt = next((m for m in range(e + 1, min(n, e + 6)) if self._name_tok(ctx, m)), None)
                    r2 = self._run_at(ctx, nxt) if nxt is not None else None
                    if r2 is None or r2[0] != nxt:
                        break
                    seeds.add(r2)
                    e = r2[1]
        for k, _e, _v in ctx.by_kind.get("PSEED_AFTER", ()):
            # "Ali Vance was charged", "Omar Vance is on trial", "A, B and C were all indicted"
            j = k - 1
            steps = 0
            while j >= 0 and low[j] in skip and steps < 4:
                j -= 1
                steps += 1
            if j >= 0 and low[j] == self.comma:
                j -= 1
                if j >= 0 and j in ctx.nums:  # "Ali Vance, (now) 20, is being held"
                    m = next((m for m in range(j - 1, max(-1, j - 4), -1) if low[m] == self.comma), None)
                    j = m - 1 if m is not None else j
            while j >= 0:
                run = self._run_ending(ctx, j)
                if run is None:
                    break
                seeds.add(run)
                # back over one list element: ", Colonel Omar Vance" / "and Ali Vance"
                m = run[0] - 1
                while m >= 0 and run[0] - m <= 10 and low[m] not in (self.comma, self.and_) and (
                        m not in ctx.end_set):
                    m -= 1
                if m < 0 or m in ctx.end_set or low[m] not in (self.comma, self.and_):
                    break
                j = m - 1
        for k, _e, _v in ctx.by_kind.get("PERP", ()):
            # "Ali Vance, the bomber behind ...": a role noun in apposition after the name
            if low[k] not in self.person_role_nouns:
                continue
            m = k - 1
            while m > 0 and k - m < 6 and low[m] != self.comma and m not in ctx.end_set:
                m -= 1
            if m > 0 and low[m] == self.comma:
                run = self._run_ending(ctx, m - 1)
                if run is not None:
                    seeds.add(run)
        ends = ctx.end_set
        for a in ctx.attack_starts:
            # "Ali Vance, the man who carried out the attack" / "Ali Vance stabbed ..."
            for v in range(a - 1, max(-1, a - 8), -1):
                if v in ends:
                    break
                if low[v] not in self.agent_verbs:
                    continue
                s0 = ctx.sent_bounds(v)[0]
                m = v - 1
                if m >= s0 and low[m] == self.who:
                    m -= 1
                    while m > s0 and v - m < 8 and low[m] != self.comma:
                        m -= 1
                    if low[m] == self.comma:
                        m -= 1
                    run = self._run_ending(ctx, m)
                else:
                    while m >= s0 and v - m < 6 and (low[m] in self.role_fillers or self.is_adverb(low[m])):
                        m -= 1
                    run = self._run_ending(ctx, m)
                if run is not None:
                    seeds.add(run)
                break
        return {r for r in seeds if not (r[0] and ctx.low[r[0] - 1] in self.person_not_before)}

    def _person_names(self, ctx: _Ctx, perps: list[Candidate]) -> list[Candidate]:
        if not ctx.attack_starts:
            return []
        seeds = self._person_seeds(ctx)
        if not seeds:
            return []
        low = ctx.low
        strings = self.vocab.strings
        full: set[tuple[int, ...]] = set()
        parts: set[int] = set()
        for a, b in seeds:
            full.add(tuple(low[a:b]))
            if b - a >= 2:
                for k in (a, b - 1):
                    if len(ctx.doc[k].text) > 2:
                        parts.add(low[k])
                        parts.add(strings.add(strings[low[k]] + "s"))  # "the Vances"
        out: list[Candidate] = []
        seen: set[tuple[int, int]] = set()
        arr = ctx.lows
        hits: set[int] = set()
        for t in parts | {f[0] for f in full}:
            hits.update(numpy.flatnonzero(arr == t).tolist())
        for k in sorted(hits):
            run = self._run_at(ctx, k)
            if run is None or run in seen:
                continue
            if tuple(low[run[0]:run[1]]) in full or any(low[m] in parts for m in range(*run)):
                if not self.name_ok(ctx, *run) or (run not in seeds and not self.role(ctx, *run)):
                    continue  # another mention of a learned name still needs a role, as a group's does
                seen.add(run)
                conf = CONFIDENCE["person_seed" if run in seeds else "person_name"]
                out.append((run[0], run[1], "PERPETRATOR", {"perpetrator_kind": "individual"}, conf))
        # "Omar and Ali Vance": a first name joined to a known one
        for a, _b, *_rest in list(out):
            if a >= 2 and low[a - 1] == self.and_:
                run = self._run_ending(ctx, a - 2)
                if run is not None and run not in seen:
                    seen.add(run)
                    out.append((run[0], run[1], "PERPETRATOR", {"perpetrator_kind": "individual"},
                                CONFIDENCE["person_name"]))
        return out

    def _names(self, ctx: _Ctx) -> list[tuple[int, int, str]]:
        """Group-name mentions: (start, end, source) with source group (lexicon), pattern or learned."""
        low, n = ctx.low, ctx.n
        found: list[tuple[int, int, str]] = [(s, e, "group") for s, e, _v in ctx.by_kind.get("GROUP", ())]
        found += [(s, e, "group") for s, e, _v in ctx.by_kind.get("ACRONYM", ())]
        for start, end, _v in ctx.by_kind.get("ORGSUFFIX", ()):
            i = start
            while i > 0 and low[i - 1] not in self.name_stops and (
                    ctx.cap[i - 1] or low[i - 1] in self.name_connectors) and (i - 1) not in ctx.end_set:
                i -= 1
            while i < start and low[i] in self.name_connectors:
                i += 1
            if i < start:
                found.append((i, end, "pattern"))
        # Hyphenated names: Lashkar-e-Jhangvi, Jamaat-ul-Ahrar, Tehreek-e-Taliban, al-Nusra
        hyphens = [i for i in ctx.hyphens if 0 < i < n - 1]
        for i in hyphens:
            if ctx.cap[i - 1] and i + 3 < n and low[i + 1] in self.name_infixes and low[i + 2] == self.hyphen and (
                    ctx.cap[i + 3]):
                end = i + 4
                while end < n and ctx.cap[end] and (end) not in ctx.end_set:
                    end += 1
                found.append((i - 1, end, "pattern"))
        # "the separatist group ETA", "the militant organisation Sendero Rojo": the name after the noun
        for start, end, _v in ctx.by_kind.get("PERP", ()):
            if low[start] in self.group_nouns_before_name and end < n and ctx.cap[end] and (
                    low[end] not in self.not_name_words) and end not in ctx.end_set:
                e = end + 1
                while e < n and ctx.cap[e] and e not in ctx.end_set and low[e] not in self.not_name_words:
                    e += 1
                found.append((end, e, "pattern"))
        # "the IRA's Belfast brigade": a unit of a named group is named with it
        for k, (s, e, src) in enumerate(found):
            if e + 1 < n and low[e] in self.possessive:
                u = e + 1
                while u < n and ctx.cap[u] and u - e <= 3 and u not in ctx.end_set:
                    u += 1
                if u < n and low[u] in self.unit_nouns:
                    found[k] = (s, u + 1, src)
        spans = {(s, e) for s, e, _src in found}
        learned = self._learned_names(ctx, spans)
        found.extend(learned)
        # keep the longest name at each position (Islamic State Khorasan Province over Islamic State)
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out: list[tuple[int, int, str]] = []
        last_end = -1
        for f in found:
            if f[0] >= last_end:
                out.append(f)
                last_end = f[1]
        return out

    def _learned_names(self, ctx: _Ctx, known: set[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Capitalised names that claim/deny (`X claimed`) or are blamed (`blamed X`), and their other mentions."""
        low, n = ctx.low, ctx.n
        seeds: set[tuple[int, ...]] = set()
        known_ends = {e for _s, e in known}

        def name_char(k: int) -> bool:
            return ctx.cap[k] and low[k] not in self.not_name_words

        for c_start, (c_end, status) in ctx.claim_at.items():
            if status in ("claimed", "denied"):
                j = c_start
                while j > 0 and (low[j - 1] in self.group_nouns
                                 or self.is_adverb(low[j - 1])):
                    j -= 1
                i = j
                while i > 0 and (i - 1) not in ctx.end_set and (name_char(i - 1) or (
                        low[i - 1] in self.learned_connectors and i - 1 > 0 and name_char(i - 2))):
                    i -= 1
                if i < j and j not in known_ends and (i == 0 or low[i - 1] != self.comma):
                    seeds.add(tuple(low[i:j]))
            elif low[c_start] in self.claim_needs_context:
                i = c_end
                if i < n and low[i] == self.the:
                    i += 1
                j = i
                while j < n and (name_char(j) or (low[j] in self.learned_connectors and j + 1 < n
                                                  and name_char(j + 1))):
                    j += 1
                if i < j and j not in known_ends:
                    seeds.add(tuple(low[i:j]))
        seeds = {s for s in seeds if s and len(s) <= 6}
        if not seeds:
            return []
        out = []
        arr = ctx.lows
        for seed in seeds:
            for i in numpy.flatnonzero(arr == seed[0]).tolist():
                if tuple(low[i:i + len(seed)]) == seed and (i, i + len(seed)) not in known and ctx.cap[i]:
                    out.append((i, i + len(seed), "learned"))
        return out

    def name_ok(self, ctx: _Ctx, start: int, end: int) -> bool:
        """Not a place ("Baluchistan Province"), not a modifier ("ETA figure", "al-Qaeda-linked")."""
        n = ctx.n
        return not (self.is_place(ctx, end) or (end < n and ctx.low[end] in self.name_modifier_heads) or (
            end + 1 < n and ctx.low[end] == self.hyphen and ctx.low[end + 1] in self.compound_participles))

    def is_adverb(self, lower_hash: int) -> bool:
        """An -ly word ("energetically", "reportedly") may sit between a name and its verb."""
        known = self._adverb.get(lower_hash)
        if known is None:
            known = self._adverb[lower_hash] = self.vocab.strings[lower_hash].endswith("ly")
        return known

    def is_place(self, ctx: _Ctx, end: int) -> bool:
        return end < ctx.n and ctx.low[end] in self.place_words and ctx.cap[end]

    def role(self, ctx: _Ctx, start: int, end: int, *, modifier_ok: bool = True) -> bool:
        """Is the mention at [start, end) the agent of an attack or claim, or the party blamed?

        `modifier_ok=False` drops the "X attack" reading (for model entities: "the Manchester bombing").
        """
        low = ctx.low
        s0, s1 = ctx.sent_bounds(start)
        # not after fight/battle against/target/like/threat posed by/pro-
        i = start - 1
        if i >= s0 and low[i] == self.the:
            i -= 1
        for k in (i, i - 1):
            if k >= s0 and low[k] in self.not_role_before and not (
                    low[k] in self.compound_participles and k > 0 and low[k - 1] == self.hyphen):
                return False  # "linked to X" is background; "X-linked Y" is not about X's role here
        # X attack(s), X's bombing
        j = end
        while j < s1 and (low[j] in self.possessive or low[j] in self.quotes):
            j += 1
        if modifier_ok and j < s1 and j in ctx.attack_starts:
            return True
        # X claimed / X struck / X, ..., launched (subject of an attack verb or claim predicate)
        j = end
        passive = False
        steps = 0
        while j < s1 and steps < 7:
            t = low[j]
            if t == self.paren and j + 2 < s1 and low[j + 2] == self.paren_close:
                j += 3  # "Tehreek-e-Taliban Pakistan (TTP) claimed"
                continue
            if t in self.relative and j > end and low[j - 1] == self.comma:
                close = next((c for c in range(j + 1, min(s1, j + 12)) if low[c] == self.comma), None)
                if close is None:
                    break
                j = close + 1  # "Al-Shabaab, which is linked to al-Qaeda, took responsibility"
                continue
            if j in ctx.claim_at:
                return True
            if t in self.agent_verbs or (j in ctx.attack_starts and j > end):
                return not passive
            if t in self.passive_aux:
                passive = True
            elif not (t in self.role_fillers or self.is_adverb(t) or j in ctx.nums):
                break  # fillers: "Al-Shabaab, which ...,", "X, 18, drove", "X reportedly"
            j += 1
            steps += 1
        # by X / fire from X
        k = start - 1
        steps = 0
        while k >= s0 and steps < 7:
            t = low[k]
            if t == self.comma:
                break  # "..., Al-Monitor reported": another clause
            if t in self.by_words:
                # "carried out by X", "an attack by X" (not "compiled by X", "told by X")
                return k > s0 and (low[k - 1] in self.by_heads or k in {e for _s, e, _v in ctx.by_kind.get("ATK", ())})
            if t in self.from_words:
                return any(a < k <= a + 3 for a in ctx.attack_starts)
            if t in self.claim_needs_context or (k in ctx.claim_at and ctx.claim_at[k][1] == "attributed"):
                return True  # police blamed X; blamed the attack on X
            k -= 1
            steps += 1
        return False

    def _descriptions(self, ctx: _Ctx, name_ends: dict[int, int]) -> tuple[list[Candidate], set[int]]:
        """Descriptions of attackers: role nouns always, category nouns (militants) and groups by role."""
        low, n, nums = ctx.low, ctx.n, ctx.nums
        out: list[Candidate] = []
        for start, end, kind in ctx.by_kind.get("PERP", ()):
            if end < n and low[end] in self.modifier_heads:
                continue  # "terrorist groups", "militant attack": a modifier, not the head
            i = start
            has_number = False
            while i > 0:
                prev = low[i - 1]
                if (prev in self.perp_mods and prev != self.of) or (i - 1) in nums or (
                        prev == self.hyphen and i > 1 and low[i - 2] in self.compound_participles):
                    has_number = has_number or (i - 1) in nums or prev in self.quantity
                    i -= 1
                elif prev in self.compound_participles and i > 1 and low[i - 2] == self.hyphen:
                    i -= 2
                    if i > 0 and ctx.cap[i - 1]:
                        i -= 1
                elif i in name_ends:
                    i = name_ends[i]
                else:
                    break
            while i < start and low[i] in self.article:
                i += 1
            if kind == "organisation" and i == start and low[start] not in self.perp_org_bare_ok:
                continue  # "the group": a bare anaphor, per the guideline
            if i >= 3 and low[i - 1] in self.partitive_det and low[i - 2] == self.of and (i - 3) in nums:
                i -= 3  # partitive: "three of the suspects"
                has_number = True
            if kind == "organisation":
                if start in name_ends or self._follows_name(ctx, i, name_ends) or self._precedes_name(
                        ctx, end, name_ends):
                    continue  # '"Islamic State" militant group': the name is the span
                if not self.role(ctx, i, end):
                    continue
                conf = CONFIDENCE["org_role"]
            elif low[start] in self.role_nouns or (low[i:start] and any(
                    t in self.role_modifiers for t in low[i:start])):
                conf = CONFIDENCE["role_noun"]
            else:
                if not (self.role(ctx, i, end) or (has_number and self._sentence_has_attack(ctx, start))):
                    continue
                conf = CONFIDENCE["category_role"]
            out.append((i, end, "PERPETRATOR", {"perpetrator_kind": kind}, conf))
        heads: set[int] = set()
        persons = ctx.by_kind.get("PERSON", ())
        in_role = [(end < n and (low[end] in self.person_next or end in ctx.attack_starts))
                   or any(low[j] in self.person_before for j in range(max(0, start - 8), start))
                   for start, end, _v in persons]
        # "a man believed to be responsible ... The man was caught on video": the definite repeat of
        # a description already in role names the same person (not when it is hurt: "the man died").
        known = {low[p[0]] for p, ok in zip(persons, in_role, strict=True) if ok and low[p[0]] in self.coreferent_heads}
        cue_starts = {c[0] for c in ctx.by_kind.get("CUE", ()) if c[2]} if known else set()
        for k, (start, end, _v) in enumerate(persons):
            if known and (not in_role[k] and low[start] in known and start and low[start - 1] == self.the
                    and not any(j in cue_starts for j in range(end, min(n, end + 4)))
                    and not (start > 1 and low[start - 2] == self.of)):  # "one of the men": a partitive
                in_role[k] = True
        for k, (start, end, _v) in enumerate(persons):
            if not in_role[k]:
                continue
            i = start
            while i > 0 and (low[i - 1] in self.person_left or (i - 1) in nums or ctx.cap[i - 1]
                             or low[i - 1] == self.ethnic) and (i - 1) not in ctx.end_set:
                i -= 1
            while i < start and (low[i] in self.article or (ctx.cap[i] and i not in nums)):
                i += 1
            heads.add(start)
            out.append((i, end, "PERPETRATOR", {"perpetrator_kind": "individual"}, CONFIDENCE["person"]))
        out.extend(self._range_conjuncts(ctx, out, persons))
        return out, heads

    def _range_conjuncts(self, ctx: _Ctx, found: list[Candidate],
                         persons: Iterable[tuple[int, int, str]]) -> list[Candidate]:
        """"ranging from extremist attackers to mentally unstable individuals": the other end of the range."""
        low, n = ctx.low, ctx.n
        heads = {s: e for s, e, _v in persons}
        heads.update((s, e) for s, e, _v in ctx.by_kind.get("PERP", ()))
        out: list[Candidate] = []
        for i, end, _label, _attrs, conf in found:
            if not (i and low[i - 1] == self.from_ and end < n and low[end] == self.to):
                continue
            j = end + 1
            while j < n and j - end <= 3 and j not in heads and (
                    self._is_adjective_like(low[j]) or self.is_adverb(low[j])):
                j += 1
            if j in heads:
                out.append((end + 1, heads[j], "PERPETRATOR", {"perpetrator_kind": "individual"}, conf))
        return out

    def _precedes_name(self, ctx: _Ctx, end: int, name_ends: dict[int, int]) -> bool:
        """'the separatist group ETA': the name that follows is the span."""
        return end in name_ends.values()

    def _follows_name(self, ctx: _Ctx, i: int, name_ends: dict[int, int]) -> bool:
        j = i
        while j > 0 and ctx.low[j - 1] in self.quotes:
            j -= 1
        return j in name_ends

    def _sentence_has_attack(self, ctx: _Ctx, i: int, exclude: int = -1) -> bool:
        s0, s1 = ctx.sent_bounds(i)
        return any(s0 <= a < s1 and a != exclude for a in ctx.attack_starts) or any(
            s0 <= c < s1 for c, _e, v in ctx.by_kind.get("CUE", ()) if v)

    # ------------------------------------------------------------------------------------ CLAIM

    def _claims(self, ctx: _Ctx) -> list[Candidate]:
        """Claim predicates, except "no group has claimed", "claimed 30 lives", "the claims", blame with no attack."""
        low, n, nums = ctx.low, ctx.n, ctx.nums
        out: list[Candidate] = []
        for start, end, status in ctx.by_kind.get("CLAIM", ()):
            negated = any(low[j] in self.claim_negators for j in range(max(0, start - 4), start))
            if status == "claimed" and negated:
                continue
            conf = CONFIDENCE["claim"] if status != "attributed" else CONFIDENCE["claim_attributed"]
            if end - start == 1 and low[start] in self.claim_bare:
                nxt = low[end] if end < n else 0
                if start and low[start - 1] in self.claim_noun_det:
                    continue  # "responded to the claims": allegations, not a claim of responsibility
                if nxt in self.claim_bare_stop and not (
                        nxt == self.the and end + 1 < n and low[end + 1] in self.attack_words):
                    continue  # "claimed that", "claimed the lives of"
                if any(j in nums or low[j] in self.claim_bare_stop for j in range(end + 1, min(n, end + 3))):
                    continue  # "claimed 30 lives", "claimed at least 30 lives"
                conf = CONFIDENCE["claim_bare"]
            if low[start] in self.claim_needs_context:
                s0, s1 = ctx.sent_bounds(start)
                if self.claim_context.isdisjoint(low[s0:s1]):
                    continue  # "accuses the official of lying": blame, but not for an attack
                if low[start] in self.accuse and any(
                        low[j] == self.of and j + 1 < s1 and low[j + 1] not in self.accused_of_ok
                        and low[j + 1] not in self.claim_context for j in range(end, min(s1, end + 6))):
                    continue  # "accused the security services of missing opportunities"
            if status == "attributed" and any(c[0] < start <= c[1] + 2 for c in out):
                continue  # "claimed they were responsible": one claim, the claimant's
            out.append((start, end, "CLAIM", {"claim_status": status}, conf))
        return out

    # ------------------------------------------------------------------------------------ CASUALTY

    def _casualties(self, ctx: _Ctx, perp_heads: set[int]) -> list[Candidate]:
        """Victim noun phrases and bare toll figures, kept only next to an outcome cue in the same sentence."""
        low, n, nums = ctx.low, ctx.n, ctx.nums
        cues = sorted(ctx.by_kind.get("CUE", []))
        cue_pos = [c[0] for c in cues]
        window = 7

        def outcome_near(start: int, end: int) -> str | None:
            sent = ctx.sent_of(start)
            best: tuple[int, int, str] | None = None
            for k in range(bisect.bisect_left(cue_pos, start - window), len(cues)):
                c_start, c_end, c_kind = cues[k]
                if c_start > end + window:
                    break
                if start <= c_start < end or ctx.sent_of(c_start) != sent:
                    continue
                dist = start - c_end if c_start < start else c_start - end
                # nearest cue wins; on a tie the longer one ("shot dead" over "shot")
                if best is None or (dist, -c_end) < (best[0], -best[1]):
                    best = (dist, c_end, c_kind)
            return (best[2] or None) if best else None

        out: list[Candidate] = []
        covered: set[int] = set()
        cue_at = {c[0]: c[2] for c in cues if c[2]}
        objects: list[tuple[int, int, str]] = []  # (start, end, outcome) of kill-verb objects, for their conjuncts
        # where an object of a kill verb or noun may start: "killing |innocent civilians", "slaughter of |men"
        object_starts = {c[1] for c in cues if low[c[0]] in self.object_kill_verbs}
        object_starts.update(e for _s, e, _v in ctx.by_kind.get("KILL_OF", ()))
        kill_of = {e - 1: v for _s, e, v in ctx.by_kind.get("KILL_OF", ())}
        for start, end, _v in sorted(ctx.by_kind.get("VICTIM", ())):
            if start in perp_heads:
                continue
            i = start
            while i > 0 and (low[i - 1] in self.casualty_left or (i - 1) in nums or low[i - 1] in self.casualty_inner
                             or (ctx.cap[i - 1] and (i - 1) not in ctx.end_set and i - 1 > 0
                                 and (i - 2) not in ctx.end_set)):
                i -= 1
            for j in range(start - 1, i - 1, -1):
                if low[j] in self.separators:
                    i = j + 1
                    break
            while i < start and low[i] not in self.hedge_start and i not in nums:
                i += 1
            if i == start and any(m >= 0 and (m in nums or low[m] in self.quantity) for m in (start - 2, start - 3)):
                i = self._adjective_gap(ctx, start)  # "a little girl", "a thirteenth victim"
            if i == start and not (low[start] in self.bare_quantity_heads and (
                    end >= n or low[end] != self.of)):  # "Scores died" (not "scores of": the head follows)
                object_of = None
                if any((start - m) in object_starts for m in (0, 1, 2)) or (
                        start >= 2 and low[start - 1] in (self.and_, self.comma) and objects):
                    object_of = self._object_of_kill_verb(ctx, start, end, objects, kill_of)
                if object_of is None:
                    bare = self._bare_subject_outcome(ctx, start, end, cue_at)
                    if bare is not None:  # "... and guests staying upstairs were injured"
                        covered.update(range(start, end))
                        out.append((start, end, "CASUALTY", {"outcome": bare}, CONFIDENCE["casualty_number"]))
                    continue
                # "killing innocent civilians and security forces": the verb's object needs no number
                i = object_of[1]
                covered.update(range(i, end))
                out.append((i, end, "CASUALTY", {"outcome": object_of[0]}, CONFIDENCE["casualty_number"]))
                continue
            if i < start and not any(j in nums or low[j] in self.quantity for j in range(i, start)):
                continue
            if i and low[i - 1] == self.the:
                continue  # "the 130 injured": a repeat of a figure given before
            outcome = (self._own_outcome(ctx, i, end, cue_at) or outcome_near(i, end)
                       or self._carried_outcome(ctx, i, cues, cue_pos) or self._list_outcome(ctx, end, cue_at)
                       or self._subject_outcome(ctx, end, cue_at))
            if outcome is None:
                continue
            covered.update(range(i, end))
            out.append((i, end, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty"]))
        tolls = set(ctx.toll_numbers)
        subject_next = self.passive_aux | self.subject_fillers
        for i in nums:
            # "496 had been killed", "11 were still in hospital": a bare figure as the subject of the outcome
            if i + 1 >= n or low[i + 1] not in subject_next:
                continue
            j = i + 1
            while j < n and j - i <= 3 and (low[j] in self.passive_aux or low[j] in self.subject_fillers):
                j += 1
            if j > i + 1 and j in cue_at and i not in tolls and (i + 1) not in nums and not (
                    i and (low[i - 1] == self.the or low[i - 1] == self.of or (i - 1) in nums)):
                covered.add(i)
                out.append((i, i + 1, "CASUALTY", {"outcome": cue_at[j]}, CONFIDENCE["casualty_number"]))
        out.extend(self._partitives(ctx, covered, cues))
        for start in ctx.toll_numbers:
            if start in covered or (start - 1 in nums and start - 1 not in covered):
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
            if i and low[i - 1] == self.the:
                continue
            nxt = low[last] if last < n else 0
            prev = low[i - 1] if i else 0
            if prev in self.num_verbs and self._is_unknown_word(nxt) and self._is_adjective_like(nxt) and (
                    last + 1 >= n or self.is_adverb(low[last + 1]) or not self._is_adjective_like(low[last + 1])):
                last += 1  # "killing two soliders instantly": a head noun the lexicon does not know
                nxt = low[last] if last < n else 0
                covered.update(range(i, last))
                out.append((i, last, "CASUALTY", {"outcome": self.num_verbs[prev]}, CONFIDENCE["casualty_number"]))
                continue
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
            out.append((i, last, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
        out.extend(self._named_victims(ctx, covered))
        return out

    def _named_victims(self, ctx: _Ctx, covered: set[int]) -> list[Candidate]:
        """"Major General Ali Vance died", "Sergeant Omar Vance was killed": a titled name and its outcome."""
        low = ctx.low
        out: list[Candidate] = []
        for c_start, _c_end, outcome in ctx.by_kind.get("CUE", ()):
            if not outcome:
                continue
            j = c_start - 1
            while j >= 0 and c_start - j <= 3 and (low[j] in self.passive_aux or self.is_adverb(low[j])):
                j -= 1
            run = self._run_ending(ctx, j) if j >= 0 and ctx.cap[j] else None
            if run is None or any(m in covered for m in range(*run)):
                continue
            a = run[0]
            while a > 0 and low[a - 1] in self.person_titles and ctx.cap[a - 1]:
                a -= 1
            if a == run[0]:
                continue  # an untitled name may be the attacker ("Vance died in the blast he set off")
            out.append((a, run[1], "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
        return out

    def _is_adjective_like(self, lower_hash: int) -> bool:
        """A lower-case word that may modify a victim noun ("little", "messenger"), not a function word."""
        known = self._adjective.get(lower_hash)
        if known is None:
            text = self.vocab.strings[lower_hash]
            known = self._adjective[lower_hash] = (
                lower_hash not in self.not_adjective and text.isalpha() and text.islower())
        return known

    def _adjective_gap(self, ctx: _Ctx, start: int) -> int:
        """Start of "a/one/two + one or two unknown modifiers + victim noun", else `start`."""
        low, nums = ctx.low, ctx.nums
        for gap in (1, 2):
            q = start - gap - 1
            if q < 0 or not all(self._is_adjective_like(low[m]) and m not in nums for m in range(q + 1, start)):
                break
            if q in nums or low[q] in self.quantity:
                return q
        return start

    def _object_of_kill_verb(self, ctx: _Ctx, start: int, end: int, objects: list[tuple[int, int, str]],
                             kill_of: dict[int, str]) -> tuple[str, int] | None:
        """The outcome when the victim noun at `start` is the object of an active kill verb, up to two
        modifiers away ("killing innocent civilians", "kills Russian major general"), or a conjunct of one;
        with the span's start (after the verb)."""
        low = ctx.low
        k = start - 1
        while k >= 0 and start - k <= 3 and (self._is_adjective_like(low[k]) or (
                ctx.cap[k] and k not in ctx.end_set and low[k] not in self.not_name_words)):
            if low[k] in self.object_kill_verbs:
                break
            k -= 1
        if k in kill_of:
            outcome = kill_of[k]  # "the slaughter of men, women and children"
            objects.append((k + 1, end, outcome))
            return outcome, k + 1
        if k < 0 or low[k] not in self.object_kill_verbs:
            # "killing innocent civilians and security forces": the next objects of the list
            if k >= 1 and (low[k] == self.and_ or low[k] == self.comma):
                prev = next((c for c in objects if c[1] == k), None)
                if prev is not None:
                    objects.append((k + 1, end, prev[2]))
                    return prev[2], k + 1
            return None
        if k and low[k - 1] in self.passive_aux:
            return None  # "were killed": the subject, not the object, is the victim (handled by the cue window)
        outcome = self.object_kill_verbs[low[k]]
        objects.append((k + 1, end, outcome))
        return outcome, k + 1

    def _list_outcome(self, ctx: _Ctx, end: int, cue_at: dict[int, str]) -> str | None:
        """"eight women, a girl and four men injured": the outcome after the last item of a list."""
        low, n = ctx.low, ctx.n
        j = end
        if not (j < n and low[j] in (self.comma, self.and_)):
            return None
        s1 = ctx.sent_bounds(end)[1]
        for m in range(j + 1, min(s1, j + 14)):
            if m in cue_at:
                between = low[j:m]
                return cue_at[m] if self.and_ in between else None
            if low[m] in self.not_adjective and low[m] not in (self.and_, self.of):
                return None
        return None

    def _partitives(self, ctx: _Ctx, covered: set[int], cues: list[tuple[int, int, str]]) -> list[Candidate]:
        """"Two of the 12 initially killed", "11 of the injured": a partitive of the dead or wounded keeps
        its quantity and head (the guideline's partitive rule); "three of the five attackers" is not one."""
        low, n, nums = ctx.low, ctx.n, ctx.nums
        cue_end = {c[0]: (c[1], c[2]) for c in cues if c[2]}
        out: list[Candidate] = []
        for i in sorted(nums):
            if i in covered or (i - 1) in nums or i + 3 >= n or low[i + 1] != self.of or low[i + 2] != self.the:
                continue
            j = i + 3
            if j in nums:
                k = j + 1
                while k < n and k - j <= 2 and self.is_adverb(low[k]):
                    k += 1  # "Two of the 12 initially killed" -> "Two of the 12"
                if k in cue_end and k not in ctx.end_set:
                    end, outcome = j + 1, cue_end[k][1]
                else:
                    continue
            elif j in cue_end and low[j] in self.partitive_heads:
                end, outcome = cue_end[j]  # "11 of the injured"
            else:
                continue
            if ctx.sent_of(i) != ctx.sent_of(end - 1):
                continue
            covered.update(range(i, end))
            out.append((i, end, "CASUALTY", {"outcome": outcome}, CONFIDENCE["casualty_number"]))
        return out

    def _own_outcome(self, ctx: _Ctx, i: int, end: int, cue_at: dict[int, str]) -> str | None:
        """The outcome the phrase's own clause gives, over a nearer cue of the clause before: "nine were dead
        and some 130 more were mutilated, injured ...", "six were killed with two others and a guard injured"."""
        low, n = ctx.low, ctx.n
        if i and low[i - 1] == self.with_:
            return cue_at.get(end) or self._list_outcome(ctx, end, cue_at)
        if not (end < n and low[end] in self.passive_aux):
            return None
        s1 = ctx.sent_bounds(end)[1]
        for j in range(end + 1, min(s1, end + 6)):
            if j in cue_at:
                return cue_at[j]
            if low[j] in self.not_adjective and low[j] not in (self.comma, self.and_):
                return None
        return None

    def _subject_outcome(self, ctx: _Ctx, end: int, cue_at: dict[int, str]) -> str | None:
        """"A local commander of the X Forces, a pro-government militia, was also killed": the outcome of
        a subject whose post-modifier and apposition push the cue past the window."""
        low, cap, nums = ctx.low, ctx.cap, ctx.nums
        s1 = ctx.sent_bounds(end - 1)[1]
        j = end
        if j < s1 and low[j] == self.of:  # "of Syria's National Defense Forces": names only
            j += 1
            while j < s1 and j - end <= 8 and j not in nums and (
                    cap[j] or low[j] == self.the or low[j] in self.possessive or low[j] == self.hyphen):
                j += 1
        if j < s1 and low[j] == self.comma and j + 1 < s1 and (low[j + 1] in self.article or low[j + 1] == self.the):
            close = next((c for c in range(j + 2, min(s1, j + 10)) if low[c] == self.comma), None)
            if close is None or any(m in nums for m in range(j + 1, close)):
                return None
            j = close + 1  # ", a pro-Assad militia,"
        if j == end or not (j < s1 and low[j] in self.passive_aux):
            return None
        aux = j
        j += 1
        while j < s1 and j - aux <= 3 and (low[j] in self.passive_aux or low[j] in self.subject_fillers
                                           or self.is_adverb(low[j])):
            j += 1
        return cue_at.get(j)

    def _bare_subject_outcome(self, ctx: _Ctx, start: int, end: int, cue_at: dict[int, str]) -> str | None:
        """"The bomb went off and guests staying in a pension above were injured": a bare plural victim noun
        opening a clause joined to the one before, the subject of a past passive outcome a few words on.
        Not at a sentence start ("Soldiers were killed ..." may be generic, and no number pins it)."""
        low, nums = ctx.low, ctx.nums
        s0, s1 = ctx.sent_bounds(start)
        if start <= s0 + 1 or low[start - 1] not in (self.and_, self.comma):
            return None
        if not self.vocab.strings[low[end - 1]].endswith("s") and low[end - 1] not in self.plural_heads:
            return None
        for j in range(end, min(s1, end + 7)):
            if j in nums or low[j] == self.comma or low[j] in self.relative_stop:
                return None
            if low[j] in self.passive_aux:
                if low[j] not in self.past_aux:
                    return None  # "civilians are killed in such wars": generic
                k = j + 1
                while k < s1 and k - j <= 2 and (low[k] in self.passive_aux or self.is_adverb(low[k])):
                    k += 1
                return cue_at.get(k)
        return None

    def _carried_outcome(self, ctx: _Ctx, i: int, cues: list[tuple[int, int, str]], cue_pos: list[int]
                         ) -> str | None:
        """"... at least 11 people died. They included two soldiers": the outcome of the sentence before."""
        s0, _s1 = ctx.sent_bounds(i)
        if s0 == 0 or self.carry_outcome.isdisjoint(ctx.low[s0:i]):
            return None
        p0, _ = ctx.sent_bounds(s0 - 1)
        for k in range(bisect.bisect_left(cue_pos, s0) - 1, -1, -1):  # the last cue with an outcome
            c = cues[k]
            if c[0] < p0:
                break
            if c[2]:
                return c[2]
        return None

    def _is_unknown_word(self, lower_hash: int) -> bool:
        """True for a word after "killing 14" that may be a noun we do not know ("14 Hazara ...")."""
        if not lower_hash or lower_hash in self.ok_after_number:
            return False
        return self.vocab.strings[lower_hash].isalpha()


if not Language.has_factory(COMPONENT):
    @Language.factory(COMPONENT)
    def _make_incident_rules(nlp: Language, name: str) -> IncidentRules:
        return IncidentRules(nlp)
