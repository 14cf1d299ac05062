"""The spaCy component behind incident-rules-18: anchors from one PhraseMatcher, then each label's rules.

All per-token work happens in spaCy's matcher and one `Doc.to_array` call; the rules look only at
the few tokens around each anchor, comparing lower-case hashes (no Token objects in the loops).
The order matters: CLAIM runs before PERPETRATOR (a claimant is in role), PERPETRATOR before the
attacks an agent makes (*ISIS struck*), and CLAIM, CASUALTY and PERPETRATOR are kept only in a text that
reports an attack (D1: the perpetrator of "an attack it reports").
"""

from __future__ import annotations

from spacy.attrs import FLAG63, IDX, LIKE_NUM, LOWER
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from incident_corpus.preannotate import lexicon as lexicon_mod
from incident_corpus.preannotate.rules.attack import agent_attacks, attacks, device_subjects, weak_attacks
from incident_corpus.preannotate.rules.casualty import casualties, other_causes_left
from incident_corpus.preannotate.rules.claim import claims as find_claims
from incident_corpus.preannotate.rules.context import (
    Anchor,
    Candidate,
    DocContext,
    Proposals,
    build_context,
    speaks_of_terror,
)
from incident_corpus.preannotate.rules.perpetrator import perpetrators
from incident_corpus.preannotate.rules.words import Words, build_words

COMPONENT = "incident_rules_3"
USER_KEY = "incident_corpus.candidates"

# The lexical attributes these rules (and ner.py) read: the only ones the pre-annotator's vocabulary
# computes for a new word (core/nlp.py `new_blank`); a rule that reads another must add it here.
LEXEME_ATTRS = (LOWER, LIKE_NUM)
# Capitalised (title case or all capitals), one lexeme flag the component adds, so that Doc.to_array
# reads one column where IS_TITLE and IS_UPPER were two. spaCy's own flags take bits 1-18.
IS_CAP = FLAG63
# The columns read once per document: each costs ~30 us on a 600-token article.
_COLUMNS = [LOWER, LIKE_NUM, IS_CAP, IDX]


def _is_cap(text: str) -> bool:
    return text.istitle() or text.isupper() or (text[:1].isupper() and text[1:2].islower())  # "McVeigh", "Jama'ath"


class IncidentRules:
    """The pipeline component: `doc.user_data[USER_KEY]` gets the document's `Proposals`."""

    def __init__(self, nlp: Language) -> None:
        lex = lexicon_mod.load()
        if IS_CAP not in nlp.vocab.lex_attr_getters:  # type: ignore[attr-defined]  # a Cython attribute the .pyi omits
            nlp.vocab.add_flag(_is_cap, flag_id=IS_CAP)
        strings = nlp.vocab.strings
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.kinds: dict[int, tuple[str, str]] = {}
        for (kind, value), phrases in lex.phrases.items():
            key = f"{kind}|{value}"
            self.kinds[strings.add(key)] = (kind, value)
            self.matcher.add(key, [nlp.make_doc(p) for p in phrases])
        self.words = build_words(nlp, lex)

    def __call__(self, doc: Doc) -> Doc:
        w = self.words
        by_kind: dict[str, list[Anchor]] = {}
        kinds = self.kinds
        for match_id, start, end in self.matcher(doc):
            kind, value = kinds[match_id]
            by_kind.setdefault(kind, []).append((start, end, value))
        arr = doc.to_array(_COLUMNS)
        ctx = build_context(w, doc, arr, by_kind)
        cands: list[Candidate] = device_subjects(w, ctx) if "CUE" in by_kind else []
        if cands or "ATK" in by_kind or "CLAIM" in by_kind or "PERP" in by_kind or "GROUP" in by_kind or \
                "ORGSUFFIX" in by_kind:
            cands.extend(attacks(w, ctx))
            ctx.kept_attacks = frozenset(c.start for c in cands if c.label == "ATTACK")
            _read_kept_triggers(ctx, cands)
            claims = find_claims(w, ctx)
            # role tests see real claims only
            ctx.claim_at = {c.start: (c.end, c.attributes["claim_status"]) for c in claims}
            perps, perp_heads = perpetrators(w, ctx)
            claims += _perpetrators_legal_claims(w, ctx, claims, perps)
            cands.extend(perps)
            cands.extend(agent_attacks(w, ctx, perps))
            cands.extend(weak_attacks(ctx))
            cands = _blasts_need_a_cause(w, ctx, cands)
            if any(c.label == "ATTACK" for c in cands) or _killed_by_an_attacker(w, ctx, perps):
                # CLAIM and CASUALTY only in a text that reports an attack (not a disease or an election).
                cands.extend(claims)
                cands.extend(other_causes_left(w, ctx, casualties(w, ctx, perp_heads), cands))
            else:  # D1: "Turkey blamed the PKK for the unrest" names no perpetrator of an attack it reports
                cands = [c for c in cands if c.label != "PERPETRATOR"]
        doc.user_data[USER_KEY] = Proposals(_passing_mention_left(ctx, _murder_story_left(w, ctx, cands)), ctx)
        return doc


if not Language.has_factory(COMPONENT):
    @Language.factory(COMPONENT)
    def _make_incident_rules(nlp: Language, name: str) -> IncidentRules:
        return IncidentRules(nlp)


_PASSING_SENTENCES = 3  # sentences of a text that can name an attack in passing (a one-line brief reports it)


def _passing_mention_left(ctx: DocContext, cands: list[Candidate]) -> list[Candidate]:
    """A text of several sentences whose only finding is one attack word, with no attacker, victim or claim
    anywhere, names an attack in passing ("since the Paris attacks, turnout has fallen"): general news the
    guideline's annotator skips (*When to skip a task*), so nothing is proposed. A second mention of the act, or
    a short text (a brief: "A bomb exploded during the match."), keeps it."""
    spans = {(c.start, c.end) for c in cands}
    if len(spans) == 1 and all(c.label == "ATTACK" for c in cands) and len(ctx.sent_ends) >= _PASSING_SENTENCES:
        return []
    return cands


# acts that a murder story rarely holds and an attack often does: a text with one of them keeps its findings
_NOT_MURDER_TYPES = frozenset({"bombing", "vehicle_ramming", "arson"})


def _murder_story_left(w: Words, ctx: DocContext, cands: list[Candidate]) -> list[Candidate]:
    """A text that speaks of murder and never of terror, names no group, no fighters or attackers (rebels,
    assassins) and no bombing, ramming, arson or act it calls an attack ("five teenagers accused of murdering a boy
    who was fatally stabbed") is crime news, which the guideline's readers leave out: nothing is proposed."""
    if not cands or w.murder_words.isdisjoint(ctx.low) or speaks_of_terror(w, ctx) or any(
            (c.label == "PERPETRATOR" and (c.attributes.get("perpetrator_kind") == "organisation" or ctx.low[
                c.end - 1] in w.fighter_nouns or ctx.low[c.end - 1] in w.role_nouns)) or (
                c.label == "ATTACK" and (c.attributes.get("attack_type", "") in _NOT_MURDER_TYPES or ctx.low[
                    c.end - 1] in w.legal_context)) for c in cands):  # "in a knife attack": named an attack
        return cands
    return []


def _blasts_need_a_cause(w: Words, ctx: DocContext, cands: list[Candidate]) -> list[Candidate]:
    """An explosion or blast is an attack only in a text that names a device, an attacker, a claim or
    another attack word ("a gas leak caused a massive explosion" is not one)."""
    low = ctx.low
    blasts = [c for c in cands if c.label == "ATTACK" and low[c.end - 1] in w.blast_words]
    if not blasts:
        return cands
    other = any(c.label == "PERPETRATOR" or (c.label == "ATTACK" and low[c.end - 1] not in w.blast_words)
                for c in cands)
    if other or ctx.claim_at or not w.device_nouns.isdisjoint(low):
        return cands
    return [c for c in cands if c not in blasts]


def _perpetrators_legal_claims(w: Words, ctx: DocContext, claims: list[Candidate], perps: list[Candidate]
                               ) -> list[Candidate]:
    """A second claims pass, once the perpetrators are known, over the legal forms the first left out: a
    perpetrator's charge away from the attack ("Dahl was charged on Monday", D3 with D1)."""
    if not perps:
        return []
    taken = {c.start for c in claims}
    if not any(ctx.low[s] in w.legal_claims and s not in taken for s, _e, _v in ctx.by_kind.get("CLAIM", ())):
        return []
    perp_tokens = frozenset(k for p in perps for k in range(p.start, p.end))
    return [c for c in find_claims(w, ctx, perp_tokens) if c.start not in taken]


def _killed_by_an_attacker(w: Words, ctx: DocContext, perps: list[Candidate]) -> bool:
    """An attack reported by its attacker and outcome alone: "his son, killed by a suicide bomber", "Gunmen killed
    five people"; the attacker stands before the outcome or after *by* (not "a US airstrike killed 60 al-Shabab
    fighters": the killed)."""
    if not perps or ("CUE" not in ctx.by_kind and "KILL_OF" not in ctx.by_kind):
        return False
    last_cue: dict[int, int] = {}
    for c, _e, _v in [*(a for a in ctx.by_kind.get("CUE", ()) if a[2]), *ctx.by_kind.get("KILL_OF", ())]:
        s = ctx.sent_of(c)  # "the murder of X by terrorists": KILL_OF
        last_cue[s] = max(c, last_cue.get(s, c))
    low = ctx.low
    return any(
        (s := ctx.sent_of(p.start)) in last_cue and (p.start < last_cue[s] or any(
            low[k] in w.by_words for k in range(max(ctx.sent_bounds(p.start)[0], p.start - 4), p.start)))
        for p in perps)  # "murdered by security forces or death squads", "by two paid assassins"


def _read_kept_triggers(ctx: DocContext, cands: list[Candidate]) -> None:
    """The later rules (seeds, roles, claims) read only the triggers the attack rules kept: an act of war, a
    police raid or "a man planted trees" holds an anchor but no attack."""
    spans = [(c.start, c.end) for c in cands if c.label == "ATTACK"]
    ends = {a: e for a, e, _v in ctx.by_kind.get("ATK", ())}
    # an anchor is kept where a span overlaps it ("to bomb": the span starts at "bomb", past the infinitive's "to")
    kept = {a for a in ctx.attack_starts if any(s < ends.get(a, a + 1) and a < e for s, e in spans)}
    if kept != ctx.attack_starts:
        ctx.rejected_attacks = frozenset(ctx.attack_starts - kept)
        ctx.attack_starts = kept
        ctx.attack_sents = None
