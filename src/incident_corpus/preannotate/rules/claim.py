"""CLAIM: claim predicates with their status, less the allegations, tolls and blame without an attack.

A CLAIM is about responsibility for an attack the article reports (guideline D2, D3): the weaker
predicates (bare *claimed*, *is responsible*, *was behind*, the legal forms) must name the attack or
a violent offence in their object, or stand where their sentence or the previous one names it.
"""

from __future__ import annotations

from incident_corpus.preannotate.rules.blame import held_responsible
from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext, speaks_of_terror
from incident_corpus.preannotate.rules.people import (
    act_claimed_is_other,
    named_self_claims,
    role_noun_as_verb,
    says_it_did,
)
from incident_corpus.preannotate.rules.words import Words

_OBJECT_WINDOW = 6  # tokens after "responsible", "behind", bare "claimed" that must name the attack
_LEGAL_WINDOW = 20  # tokens after "charged", "convicted", ... that hold the charge
_THAT_WITHIN = 7  # "acknowledged on Monday that": tokens from a bare claim verb to its "that"
_PART_OBJECT = 6  # tokens after "helping" that name the attack's device, vehicle or attackers
_RELATIVE_MAX = 12  # tokens of ", which is linked to al-Qaeda," between a group and its "said"
_SAME_CLAIM = 5  # an attribution this close after a claim restates it
_LINKED_OBJECT = 5  # tokens of "the group" between "linked" and its "to"
_PHRASE_REACH = 4  # words before the head of "a little-known splinter faction", blamed or suspected
_GUILTY_REACH = 8  # tokens from "found" to its "guilty": "found Mehdi Ouarda, 31, guilty"
_SUBJECT_REACH = 3  # tokens of a sentence's start before its subject: "The", a dateline's dash


def claims(w: Words, ctx: DocContext, perp_tokens: frozenset[int] = frozenset()) -> list[Candidate]:
    """Claim predicates, except "no group has claimed", "claimed 30 lives", "the claims", blame with no attack.

    `perp_tokens` (the tokens of the perpetrator spans, on the second pass) lets a legal form whose subject
    or object is a perpetrator stand away from the attack: "Dahl was charged on Monday", two sentences on."""
    low = ctx.low
    out: list[Candidate] = []
    for start, end, status in ctx.by_kind.get("CLAIM", ()):
        if ctx.sent_of(start) in ctx.state_claims and not any(
                ctx.sent_of(a) == ctx.sent_of(start) for kind in ("GROUP", "ACRONYM") for a, _e, _v in
                ctx.by_kind.get(kind, ())):
            continue  # a state's claim or denial, or blame on a state: no attack in the guideline's scope
        negated = any(low[j] in w.claim_negators for j in range(max(0, start - 4), start))
        if status == "claimed" and negated:
            continue
        if any(low[j] in w.claim_modals for j in range(max(ctx.sent_bounds(start)[0], start - 3), start)):
            continue  # "should be blamed on a video", "will be held responsible": not said to be so
        quick = start >= 2 and low[start - 1] == w.to and low[start - 2] in w.claim_quick  # "was quick to disown"
        noun = start > 0 and (low[start - 1] in w.indefinite or low[start - 1] in w.claim_noun_det)
        if (low[start] in w.base_verbs or low[start] in w.base_blame) and not quick and not noun and (
                end - start > 1 or status == "denied" or low[start] in w.base_blame) and (
                start == 0 or low[start - 1] in w.base_form_blockers or (not ctx.cap[start - 1] and not (
                    w.strings[low[start - 1]].endswith("s")) and low[start - 1] not in w.collective_subjects)):
            continue  # a base form claims only after a plural or a name: "Taliban deny", "rebels claim"; not "to
            # take responsibility", "did not claim", "we accept responsibility for our mistakes"
        conf = CONFIDENCE["claim"] if status != "attributed" else CONFIDENCE["claim_attributed"]
        if end - start == 1 and low[start] in w.claim_bare:
            if not _bare_claim(w, ctx, start, end):
                continue
            conf = CONFIDENCE["claim_bare"]
        if end - start == 1 and low[start] in w.clause_claims and not _clause_of_attack(w, ctx, start, end):
            continue
        if low[start] == w.accused_word and start and (low[start - 1] in w.claim_noun_det or start - 1 in ctx.nums):
            continue  # "the accused", "the three accused": the defendant, not an accusation
        role_verb = end - start == 1 and low[start] in w.verb_role_nouns
        if role_verb and not role_noun_as_verb(w, ctx, start, end):
            continue  # "the suspect": a person, not "police suspect X of the bombing", "officials suspected X"
        if (role_verb or low[start] in w.claim_needs_context) and not _blame_for_attack(w, ctx, start, end):
            continue
        if low[end - 1] in w.claim_object_heads and not _object_is_attack(w, ctx, start, end):
            continue
        if status == "denied" and low[end - 1] in w.allegation_nouns and end < ctx.n and low[end] == w.of and (
                not _names_attack(w, ctx, end)):
            continue  # "denied the allegations of mismanagement": no attack denied
        if act_claimed_is_other(w, ctx, end, status):
            continue  # "said it had carried out an assessment of the bombing site": its object is no attack
        if end - start == 1 and low[start] == w.responsible and not _named_holder(w, ctx, start):
            continue  # a bare "responsible" after a named group's unit only: not "those responsible for the attack"
        part = end - start == 2 and low[start] in w.alleged_words and low[end - 1] in w.legal_participation
        if part and not _names_attack(w, ctx, end):
            continue  # "his alleged role in the Paris attacks", not "her alleged role in the cover-up"
        affiliation = end - start > 2 and not w.claim_affiliation_words.isdisjoint(low[start:end])
        if affiliation and not (_group_follows(ctx, end) and _attack_near(w, ctx, start)):
            continue  # "a car believed to belong to his brother": no group, no attribution
        # a role noun's verb ("officials suspected X") was read above as blame, for the attack beside it
        legal = not affiliation and not part and low[start] in w.legal_claims and (
            low[end - 1] not in w.claim_strong_ends) and not role_verb
        if legal and (negated or not _legal_for_attack(w, ctx, start, end, speaks_of_terror(w, ctx), perp_tokens)):
            continue
        if _about_something_else(w, ctx, start, end):
            continue  # D2: a claim about an attack the article reports, not "took responsibility for the defeat"
        if status == "attributed" and any(c.start < start <= c.end + _SAME_CLAIM
                                          and ctx.sent_of(c.start) == ctx.sent_of(start)
                                          and not _new_predicate(w, ctx, c.end, start) for c in out):
            continue  # "claimed they were responsible", "pleaded not guilty to the charges": one claim
        out.append(Candidate(start, end, "CLAIM", {"claim_status": status}, conf))
    if not perp_tokens:
        said, own = _said_it_did(w, ctx, {c.start for c in out})
        # "the group said its fighters were behind the assault": the group's own word, so a claim, not an attribution
        out = [c._replace(attributes={"claim_status": "claimed"}) if c.start in own else c for c in out]
        out.extend(said)
        taken = {k for c in out for k in range(c.start, c.end)}
        out.extend(Candidate(r, r + 1, "CLAIM", {"claim_status": "attributed"}, CONFIDENCE["claim_attributed"])
                   for _v, r in held_responsible(w, ctx) if r not in taken)  # "held X `responsible`", D3
    return out


_HOLDER_REACH = 3  # tokens of "an al-Shabaab" before its "network responsible for"


def _named_holder(w: Words, ctx: DocContext, start: int) -> bool:
    """Is the word before a bare "responsible" a group's unit with the group's name before it ("an al-Shabaab
    network responsible for several bombings", "the Ansar Brigade cell responsible for the attack")?"""
    k = start - 1
    if k < 1 or ctx.low[k] not in w.responsible_holders:
        return False
    s0 = ctx.sent_bounds(k)[0]
    return any(s0 <= e - 1 < k and k - e < _HOLDER_REACH for kind in ("GROUP", "ACRONYM", "ORGSUFFIX")
               for _a, e, _v in ctx.by_kind.get(kind, ()))


_GROUP_REACH = 4  # tokens from "believed to belong to" to the group's name: "the so-called Ansar Brigade"


def _group_follows(ctx: DocContext, end: int) -> bool:
    """Does a group's name (a known group, an acronym, a name with a group's head: "Ansar Brigade") start within
    a few tokens after `end`, in its sentence?"""
    s1 = ctx.sent_bounds(end - 1)[1]
    return any(end <= a < min(s1, end + _GROUP_REACH) for kind in ("GROUP", "ACRONYM", "ORGSUFFIX")
               for a, _e, _v in ctx.by_kind.get(kind, ()))


def _new_predicate(w: Words, ctx: DocContext, a: int, b: int) -> bool:
    """Does a second predicate start between a and b ("denied the charges but was found guilty", "pleaded guilty
    ... and was sentenced"): a conjunction and an auxiliary, so a second claim, not the first restated?"""
    low = ctx.low
    return any((low[k] == w.and_ or low[k] == w.but or low[k] == w.comma) and k + 1 < b and low[k + 1] in (
        w.passive_aux) for k in range(a, b))  # ", is accused of": the main clause after "X, who denies the charges"


def _said_it_did(w: Words, ctx: DocContext, taken: set[int]) -> tuple[list[Candidate], set[int]]:
    """A group saying what it did, in words the phrase patterns do not hold (D3 *said it carried out*): "the ELN
    said in a statement that it carried out the attack" -> `it carried out`, "the Front said it staged the
    bombing" -> `said it staged`; the subject is a group's name or an attacker, the act is named after it or
    near it."""
    low = ctx.low
    out: list[Candidate] = []
    own: set[int] = set()  # the starts of claims already found inside a group's own statement
    ends = {e for kind in ("GROUP", "ACRONYM", "ORGSUFFIX", "PERP") for _s, e, _v in ctx.by_kind.get(kind, ())}
    ends.update(e for _s, e, _k in named_self_claims(w, ctx))  # "The Red Hand said on its website that it ..."
    for k in sorted(ends):
        if k + 1 < ctx.n and low[k] == w.paren_close:
            k += 1  # "the Frente Patriotico Manuel Rodriguez (Manuel Rodriguez Patriotic Front), which said"
        if k + 2 < ctx.n and low[k] == w.comma and low[k + 1] in w.relative_openers and low[k + 2] in w.claim_speech:
            k += 2  # ", which said it planted the bomb"
        elif k + 1 < ctx.n and low[k] == w.comma and low[k + 1] in w.relative_openers:
            # "Al-Shabaab, which is linked to al-Qaeda, said its fighters were behind the assault"
            s1 = ctx.sent_bounds(k)[1]
            k = next((m + 1 for m in range(k + 2, min(s1, k + _RELATIVE_MAX)) if low[m] == w.comma), k)
        if k + 1 < ctx.n and low[k] in w.perfect_aux and low[k + 1] in w.claim_speech:
            k += 1  # "a spokesperson for Boko Haram had said in a phone call that it had carried out the attack"
        if k + 1 < ctx.n and low[k] in w.speaker_nouns:
            k += 1  # "a Taliban spokesman said the group had carried out the bombing"
        elif k + 1 < ctx.n and low[k] == w.comma and low[k + 1] in w.claim_speech:
            k += 1  # "The group, also spelled al-Shabab, said that its fighters had carried out the raid"
        elif k + 1 < ctx.n and low[k] == w.comma and low[k + 1] in w.claim_speech and any(
                low[m] in w.leader_nouns for m in range(max(0, k - 6), k)):
            k += 1  # "X, the leader of the Boko Haram faction, said his fighters had carried out the killings"
        if k >= ctx.n or low[k] not in w.claim_speech or k in ctx.claim_at or k in taken:
            continue
        s1 = ctx.sent_bounds(k)[1]
        span = says_it_did(w, ctx, k + 1, s1)
        if span is not None and low[span[0]] != w.its:
            own.update(s for s in range(span[0], span[1]) if s in taken)
        if span is None or low[span[0]] == w.its or any(
                s in taken or s in ctx.attack_starts for s in range(span[0], span[1])):
            continue  # not "said its attack had killed three soldiers" (the act's report, no claim of it), and no
            # claim over the act's own trigger ("said it bombed the market": the attack is the span there)
        if w.claim_attack_context.isdisjoint(low[span[1]:min(s1, span[1] + _OBJECT_WINDOW)]) and not (
                _attack_near(w, ctx, k)):
            continue
        start = k if span[0] == k + 1 else span[0]
        out.append(Candidate(start, span[1], "CLAIM", {"claim_status": "claimed"}, CONFIDENCE["claim"]))
    return out, own


def _bare_claim(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """Bare "claimed"/"claims" with the attack or the responsibility as what is claimed: "the Taliban
    claimed the attack", "claimed they were responsible"; not "claimed that", "claimed 30 lives",
    "claimed victory", "Russia claims it only targets terrorists", "responded to the claims"."""
    low, n = ctx.low, ctx.n
    if start and low[start - 1] in w.claim_noun_det:
        return False
    nxt = low[end] if end < n else 0
    the_attack = (nxt == w.the or nxt in w.that) and end + 1 < n and low[end + 1] in w.attack_words  # "claimed that
    # ambush in a video": a demonstrative, not a clause
    if the_attack or (nxt in w.indefinite and _attack_after_modifiers(w, ctx, end + 1)):
        return True  # "claimed a grenade attack on an army checkpoint"
    if nxt in w.by_words and start and low[start - 1] in w.passive_aux:
        # "the attack was claimed by X", "responsibility for the bombing was claimed by X"
        s0 = ctx.sent_bounds(start)[0]
        return any(low[j] in w.attack_words or low[j] == w.responsibility for j in range(max(s0, start - 7), start))
    if nxt in w.by_words:  # a reduced relative: "an attack (also) claimed by Islamic State"
        k = start - 1 - (start > 1 and (low[start - 1] in w.gap_adverbs or w.is_adverb(low[start - 1])))
        return k >= 0 and low[k] in w.attack_words
    if nxt in w.claim_bare_stop:
        return False
    if _it_did_after(w, ctx, end, ctx.sent_bounds(start)[1]):
        return True  # "claimed it planted the bomb"
    if _attack_before_subject(w, ctx, start):
        return True  # "an attack the group also claimed", "the bombing, which the Taliban claimed,"
    s1 = ctx.sent_bounds(start)[1]
    window = range(end, min(s1, end + _OBJECT_WINDOW))
    if any(j in ctx.nums or low[j] in w.claim_bare_stop for j in range(end + 1, min(n, end + 3))):
        return False  # "claimed 30 lives", "claimed at least 30 lives"
    return any(low[j] in w.claim_context for j in window)


_ATTACK_MODIFIERS = 2  # words before the attack noun of "claimed a (twin suicide) bombing"


def _attack_after_modifiers(w: Words, ctx: DocContext, k: int) -> bool:
    """Is the word at k, or one after at most two modifiers, an attack word ("a grenade attack", "an attack")?"""
    low = ctx.low
    for m in range(k, min(ctx.sent_bounds(k)[1], k + 1 + _ATTACK_MODIFIERS)):
        if low[m] in w.attack_words:
            return True
        if ctx.cap[m] or m in ctx.nums or not w.is_adjective_like(low[m]):
            return False
    return False


_GAP_SUBJECT_MAX = 5  # tokens of the subject in "an attack (which) the Pakistani Taliban claimed"


def _attack_before_subject(w: Words, ctx: DocContext, start: int) -> bool:
    """Is the attack the gapped object of a relative clause ending in *claimed* ("an attack the group also
    claimed", "the bombing, which the Taliban claimed, killed"): its subject a name, a group noun or a
    pronoun, and nothing after the verb but the clause's end?"""
    low = ctx.low
    s0 = ctx.sent_bounds(start)[0]
    if not (start in ctx.end_set or (start + 1 < ctx.n and (
            low[start + 1] == w.comma or low[start + 1] == w.and_ or (start + 1) in ctx.end_set))):
        return False
    j = start - 1
    while j > s0 and (w.is_adverb(low[j]) or low[j] in w.perfect_aux or low[j] in w.gap_adverbs):
        j -= 1  # "also", "has", "later"
    k = j
    while k >= s0 and j - k < _GAP_SUBJECT_MAX and (ctx.cap[k] or low[k] in w.group_nouns or low[k] == w.the or
                                                    low[k] in w.self_pronouns):
        k -= 1
    if k == j or k < s0:
        return False
    if low[k] in w.relative:
        k -= 1
    if k >= s0 and low[k] == w.comma:
        k -= 1
    return k >= s0 and low[k] in w.attack_words


def _blame_for_attack(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """"blamed", "accused": for an attack or a killing named in the sentence, not for lying or missing
    opportunities ("accused the official of lying")."""
    low = ctx.low
    s0, s1 = ctx.sent_bounds(start)
    if w.claim_context.isdisjoint(low[s0:s1]) and w.device_nouns.isdisjoint(low[s0:s1]) and not (
            _blames_a_name_after_the_attack(w, ctx, start, end, s0)):
        return False  # neither the attack nor its device ("blamed the cartel for the car bomb")
    f = next((j for j in range(end, min(s1, end + _OBJECT_WINDOW)) if low[j] == w.for_), None)
    if f is not None and f + 1 < s1 and low[f + 1] in w.blame_failures:
        return False  # "blamed the police for failing to stop the attack": a failure, not the attack
    return not (low[start] in w.accuse and any(
        low[j] == w.of and j + 1 < s1 and low[j + 1] not in w.accused_of_ok
        and low[j + 1] not in w.claim_context for j in range(end, min(s1, end + 6))))


def _blames_a_name_after_the_attack(w: Words, ctx: DocContext, start: int, end: int, s0: int) -> bool:
    """"A car bomb exploded in Cucuta. The minister blamed the National Liberation Army (ELN).": the blamed name
    right after the verb, the attack in the sentence before (no "for", nothing else blamed)."""
    low = ctx.low
    if end - start != 1 or not (low[start] in w.blame_verbs or low[start] in w.verb_role_nouns) or s0 == 0 or (
            end + 1 >= ctx.n):
        return False
    k = end + (low[end] == w.the or low[end] in w.indefinite)
    if low[end] in w.indefinite:  # an attacker's description: "Officials suspected a splinter faction."
        if not any(k <= a < k + _PHRASE_REACH for a, _e, _v in ctx.by_kind.get("PERP", ())):
            return False
    elif not ctx.cap[k] or k in ctx.end_set or low[k] in w.blame_not_parties:
        return False  # a name blamed or suspected: "Officials suspected the Baloch Liberation Army."
    p0, p1 = ctx.sent_bounds(s0 - 1)
    # a trigger, or a device standing for the act ("A car bomb killed nine. Officials blamed the BNLA.")
    return any(p0 <= a < p1 for a in (*ctx.attack_starts, *(ctx.kept_attacks or ())))


def _object_is_attack(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """"was responsible", "is behind": responsibility for the attack ("responsible for the bombing",
    "behind it" after the attack, "ETA were responsible." after it), not for security or a province,
    not "behind the wheel", and no open question ("nobody knows who was behind the bombing")."""
    low, n = ctx.low, ctx.n
    prev = low[start - 1] if start else 0
    if prev in w.claim_wh_open or (prev == w.who and (
            start < 2 or low[start - 2] in w.claim_wh_question or ctx.cap[start - 1] or (start - 2) in ctx.end_set)):
        return False  # "who is behind the strikes remains unclear", "those who are responsible", "whoever"
    s1 = ctx.sent_bounds(start)[1]
    nxt = low[end] if end < n else 0
    if low[end - 1] == w.responsible:
        if nxt != w.for_:
            return (end in ctx.end_set or nxt in w.claim_no_object) and _attack_near(w, ctx, start)
        end += 1
    window = range(end, min(s1, end + _OBJECT_WINDOW))
    if any(low[j] in w.claim_context for j in window):
        return True
    return end < s1 and low[end] in w.claim_pronoun_objects and _attack_near(w, ctx, start)


def _legal_for_attack(w: Words, ctx: DocContext, start: int, end: int, terror: bool,
                      perp_tokens: frozenset[int] = frozenset()) -> bool:
    """D3's legal forms when they attribute the attack: the charge names it ("charged with the bombing",
    "convicted of terrorism"), or names a killing, or names nothing ("were all indicted.", "pleaded not
    guilty on Monday", "sentenced to life") beside the attack (D2); not "charged with fraud",
    "pleaded not guilty to hampering the bomb probe", "politically charged", "explosive charges".
    Only a charge of terrorism or an attack counts in a `terror`-free text: a court story about a
    shooting in a bar is crime news, not a claim for an attack."""
    low = ctx.low
    prev = low[start - 1] if start else 0
    if prev in w.legal_not_after or (prev in w.past_aux and low[start] in w.legal_not_passive):
        return False  # "politically charged", "explosive charges", "were admitted (to hospital)"
    s0, s1 = ctx.sent_bounds(start)
    nxt = low[end] if end < ctx.n else 0
    if low[start] == w.linked:  # "linked to two earlier shootings", "the bombing has been linked to X"
        to = next((k for k in range(end, min(s1, end + _LINKED_OBJECT)) if low[k] == w.to), None)
        if to is not None and to > end and (ctx.cap[end] or (low[end] == w.the and low[end + 1] in w.group_nouns)):
            # "Police have linked the group to a 2021 knife attack", "linked Maurer to the bombing"
            return not w.attack_nouns.isdisjoint(low[to + 1:min(s1, to + 6)])
        return nxt == w.to and not (w.attack_nouns.isdisjoint(low[end + 1:min(s1, end + 5)])
                                    and w.attack_nouns.isdisjoint(low[max(s0, start - 4):start]))
    if low[start] == w.charged and nxt in w.charge_motion_next:
        return False  # "riot police charged into the crowd"
    if low[start] == w.guilty and (prev in w.guilty_verbs or prev in w.claim_negators or not any(
            low[j] in w.guilty_verbs for j in range(max(s0, start - _GUILTY_REACH), start - 1))):
        return False  # "found Dahl guilty" (the verdict), not "pleaded guilty" twice or "not guilty"
    window = low[end:min(s1, end + _LEGAL_WINDOW)]
    if low[start] in w.legal_to_charge and nxt in w.legal_to and end + 1 in ctx.attack_starts:
        return True  # the act itself: "has confessed to planting the device", "admitted to bombing the church"
    if not w.legal_not_charges.isdisjoint(window):
        return False  # "admitted to hospital"
    for k, t in enumerate(window):
        if t in w.legal_other_offences:
            return False  # the charge is another offence, whatever attack it was about
        if k + 1 < len(window) and window[k + 1] in w.legal_modified_heads:
            continue  # "a friend of bombing suspect X", "the bomb probe": the attack names someone else
        if t in w.legal_context:
            return True
        if t in w.legal_crime_context:
            return terror
    if not terror or not (_attack_near(w, ctx, start) or _of_a_perpetrator(w, ctx, start, end, perp_tokens)):
        return False
    if end < s1 and end in perp_tokens and low[start] not in w.legal_to_charge:
        return True  # an active verb with a perpetrator as its object: "A court convicted Karim Dahl on all counts"
    if not w.legal_violent.isdisjoint(window):
        return True  # "on charges of murder", beside the attack
    if len(window) > 1 and window[0] in w.possessive_det and window[1] in w.legal_participation:
        return True  # "confessed his role", "admitted her involvement": a part in the attack beside it
    preps = w.legal_charge_preps | (w.legal_to if low[start] in w.legal_to_charge else frozenset())
    first = next((k for k, t in enumerate(window) if t in preps), None)
    if first is not None and first + 1 < len(window) and (window[first + 1] in w.legal_participation or (
            window[first + 1] in w.possessive_det and first + 2 < len(window) and
            window[first + 2] in w.legal_participation)) and any(
            t in w.device_nouns or t in w.vehicle_nouns or t in w.person_role_nouns or t in w.claim_attack_context
            for t in window[first + 2:first + 2 + _PART_OBJECT]):
        return True  # a part in the attack beside it: "confessed to helping to prepare the truck" (its device)
    if window and window[0] in w.legal_participation and any(
            end + k in perp_tokens for k in range(1, min(len(window), 1 + _PART_OBJECT))):
        return True  # a part with a perpetrator as its object: "Brandt has admitted driving Hartwig"
    if any(t in preps and not _generic_charge(w, window[k + 1:k + 4]) and not (
            low[start] in w.legal_penalty_verbs and k + 1 < len(window) and end + k + 1 in ctx.nums)
            for k, t in enumerate(window)):
        return False  # a charge named, and not the attack: "sentenced to 10 years for corruption" (not the
        # penalty's own "of": "sentenced to a minimum of 52 years")
    # no charge named, or only the charges themselves ("pleaded not guilty to all charges")
    return end >= s1 or low[start] in w.legal_any_next or low[end] in w.legal_no_charge_next or low[end] in preps or (
        low[end] in w.legal_pronouns)  # "indicted him in June"


def _of_a_perpetrator(w: Words, ctx: DocContext, start: int, end: int, perp_tokens: frozenset[int]) -> bool:
    """A perpetrator as the legal verb's subject or object: "Dahl was charged", "prosecutors charged Dahl"."""
    if not perp_tokens:
        return False
    s0, s1 = ctx.sent_bounds(start)
    if any(k in perp_tokens for k in range(max(s0, start - 3), start)) or (end < s1 and end in perp_tokens):
        return True
    if end < s1 and ctx.low[end] in w.legal_pronouns and s0 > 0 and any(
            k in perp_tokens for k in range(ctx.sent_bounds(s0 - 1)[0], start)):
        return True  # a pronoun for the perpetrator named just before: "Hallworth ... A grand jury indicted him"
    # the sentence's subject, past its apposition or a first predicate: "Dunmore, 29, a former ranch hand from
    # Fruita, has pleaded not guilty", "Mwinyi was charged with murder ..., and pleaded not guilty"
    first = next((k for k in range(s0, min(start, s0 + _SUBJECT_REACH)) if k in perp_tokens), None)
    return first is not None and not any(ctx.low[k] in w.reporting_verbs for k in range(first, start))


def _generic_charge(w: Words, after: list[int]) -> bool:
    """Does a preposition introduce the charges themselves ("to all charges", "on all 30 counts")?"""
    return any(t in w.legal_generic_charges for t in after)


def _clause_of_attack(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """Bare "denied", "acknowledged": of the attack itself ("denied the bombing", "denied planting the
    bomb", "acknowledged on Monday that its commandos had carried out the attack"), not of a report or
    a policy ("denied that the attack was a failure of intelligence")."""
    low = ctx.low
    s1 = ctx.sent_bounds(start)[1]
    that = next((j for j in range(end, min(s1, end + _THAT_WITHIN)) if low[j] in w.that), -1)
    if 0 <= that < s1 - 1:
        return low[that + 1] in w.denial_subjects and not w.denial_of.isdisjoint(low[that + 2:min(s1, that + 6)])
    if _it_did_after(w, ctx, end, s1):
        return True  # "denied it carried out the attack"
    obj = low[end:min(s1, end + 3)]
    return not (w.claim_attack_context.isdisjoint(obj) and w.attack_nouns.isdisjoint(obj))


def _it_did_after(w: Words, ctx: DocContext, end: int, s1: int) -> bool:
    """Does the claim word ending at `end` take "it" / "they" and an act as its clause ("claimed it planted the
    bomb", "denied they carried out the attack")?"""
    span = says_it_did(w, ctx, end, s1) if end < s1 and ctx.low[end] in w.self_pronouns else None
    return span is not None and span[0] == end


def _about_something_else(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """A claim whose object ("for ...", "in ...") names no attack, far from any attack (D2)."""
    low = ctx.low
    if end < ctx.n and not w.claim_channels.isdisjoint(low[end + 1:min(ctx.n, end + 4)]):
        return False  # the channel, not the object: "claimed responsibility in a video released on Friday"
    return (end < ctx.n and low[end] in w.claim_object_preps and not _names_attack(w, ctx, end)
            and not _attack_near(w, ctx, start))


def _names_attack(w: Words, ctx: DocContext, end: int) -> bool:
    """Does the claim's object (the tokens after it, in its sentence) name the attack or a killing?"""
    s1 = ctx.sent_bounds(end - 1)[1]
    return not w.claim_attack_context.isdisjoint(ctx.low[end:min(s1, end + _OBJECT_WINDOW)])


def _attack_near(w: Words, ctx: DocContext, i: int) -> bool:
    """Does token i's sentence or the previous one name an attack or a killing (D2)?"""
    s0, s1 = ctx.sent_bounds(i)
    if ctx.sentence_has_attack(i) or (s0 > 0 and ctx.sentence_has_attack(s0 - 1)):
        return True
    p0 = ctx.sent_bounds(s0 - 1)[0] if s0 > 0 else s0
    return not w.claim_attack_context.isdisjoint(ctx.low[p0:s1])
