"""People and groups: the name runs of a person (shared by PERPETRATOR and CASUALTY) and the role test
that makes a group or person mention a perpetrator (shared with the model's entities in `ner.py`).

A role is the agent of an attack or claim (`ISIS claimed`, `ISIS struck`, `by ETA`, `Taliban
attack`, `the IRA's bombing`) or the party blamed (`police blamed the PKK`), never after
*fight/battle against/target/like/threat posed by* (schema/guideline.md: groups named in any other
role are not perpetrators).
"""

from __future__ import annotations

from incident_corpus.preannotate.rules.blame import blamed_phrases
from incident_corpus.preannotate.rules.context import DocContext
from incident_corpus.preannotate.rules.words import Words


def name_tok(w: Words, ctx: DocContext, k: int) -> bool:
    """A word that may be part of a name: capitalised (McVeigh too, not FBI), no number or function word."""
    if not 0 <= k < ctx.n or k in ctx.nums or ctx.low[k] in w.person_stop:
        return False
    text = ctx.doc[k].text
    return text[:1].isupper() and (not text.isupper() or (len(text) == 2 and text[1] == "."))


def run_at(w: Words, ctx: DocContext, k: int) -> tuple[int, int] | None:
    """The name run ([start, end)) through token k, titles (General, Special Agent) left out."""
    if not name_tok(w, ctx, k):
        return None
    low = ctx.low
    a = k
    while a > 0 and (a - 1) not in ctx.end_set:
        if name_tok(w, ctx, a - 1):
            a -= 1
            continue
        m = _connectors(w, ctx, a - 1, -1)  # "Sainz de la Peña", "Abu Bakr al-Baghdadi", "Jean-Marc"
        if m == a - 1 or not name_tok(w, ctx, m):
            break
        a = m
    b = k + 1
    while b < ctx.n and b not in ctx.end_set:
        if name_tok(w, ctx, b):
            b += 1
            continue
        m = _connectors(w, ctx, b, 1)
        if m == b or not name_tok(w, ctx, m):
            break
        b = m + 1
    while a < b and (low[a] in w.person_titles or (low[a] in w.person_connectors and not ctx.cap[a])):
        a += 1  # titles and lower-case particles ("al-"), not a name's own "Abu"
    if a >= b or any(low[j] in w.person_titles for j in range(a, b)):
        return None
    return a, b


def _connectors(w: Words, ctx: DocContext, k: int, step: int) -> int:
    """The first token from k (going `step`) past up to three name connectors (de, la, al, -) in one
    sentence; k itself when token k is none. A capitalised particle past k ("Al-Hadid") starts the name."""
    m = k
    while 0 <= m < ctx.n and abs(m - k) < 3 and ctx.low[m] in w.person_connectors and m not in ctx.end_set and (
            m == k or not ctx.cap[m]):
        m += step
    return m


def run_ending(w: Words, ctx: DocContext, k: int) -> tuple[int, int] | None:
    """The name run that ends at token k, if one does."""
    run = run_at(w, ctx, k)
    return run if run is not None and run[1] == k + 1 else None


def name_ok(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """Not a place ("Baluchistan Province"), not a modifier ("ETA figure", "al-Qaeda-linked")."""
    n = ctx.n
    return not (is_place(w, ctx, end) or (end < n and ctx.low[end] in w.name_modifier_heads) or (
        end + 1 < n and ctx.low[end] == w.hyphen and ctx.low[end + 1] in w.compound_participles))


def is_place(w: Words, ctx: DocContext, end: int) -> bool:
    """Does a capitalised place word (Province, District) follow the name?"""
    return end < ctx.n and ctx.low[end] in w.place_words and bool(ctx.cap[end])


def background(w: Words, ctx: DocContext, start: int) -> bool:
    """Is the mention at `start` after fight/battle against/target/like/threat posed by/pro- (a group named
    as background, not as the attacker), or a side of a battle ("clashes between A and B")? "linked to X" is
    background; "X-linked Y" is not about X."""
    low = ctx.low
    s0 = ctx.sent_bounds(start)[0]
    i = start - 1
    if i >= s0 and low[i] == w.the:
        i -= 1
    if any(low[k] == w.between and k > s0 and low[k - 1] in w.battle_nouns for k in range(max(s0, start - 8), start)):
        return True  # "fighting between the army and Kurdish fighters killed dozens": a side of a battle
    return any(k >= s0 and low[k] in w.not_role_before and not (
        low[k] in w.compound_participles and k > 0 and low[k - 1] == w.hyphen) for k in (i, i - 1))


_PAREN_MAX = 14  # tokens of a name's parenthesis: its acronym, its gloss (quoted too), both
_ROLE_APPOSITION = 16  # tokens of ", a jihadist group that operates on both sides of the border," before the verb


def issues_claim(w: Words, ctx: DocContext, v: int) -> bool:
    """Is token v the verb that issues a claim noun two tokens on ("posted a claim of responsibility", "issued its
    claim")? Its subject is then the claimant, as the subject of "claimed" is."""
    low = ctx.low
    return low[v] in w.claim_issue_verbs and v + 2 in ctx.claim_at and (
        low[v + 1] in w.indefinite or low[v + 1] in w.possessive_det)


def role(w: Words, ctx: DocContext, start: int, end: int, *, modifier_ok: bool = True,
         killers: bool = False) -> bool:
    """Is the mention at [start, end) the agent of an attack or claim, or the party blamed?

    `modifier_ok=False` drops the "X attack" reading (for model entities: "the Manchester bombing").
    `killers=True` (a group's name, militants) also takes the verbs of murder as the attack's ("the Front
    murdered three peasants"); not for a person, whose murder may be a crime story.
    """
    low = ctx.low
    s0, s1 = ctx.sent_bounds(start)
    if background(w, ctx, start) or (end < ctx.n and low[end] in w.target_nouns):
        return False  # "the fight against X", "bombed X targets": X is the target
    # X attack(s), X's bombing
    j = end
    while j < s1 and (low[j] in w.possessive or low[j] in w.quotes):
        j += 1
    if modifier_ok and j < s1 and j in ctx.attack_starts:
        return True
    # X claimed / X struck / X, ..., launched (subject of an attack verb or claim predicate)
    j = end
    passive = False
    steps = 0
    while j < s1 and steps < 7:
        t = low[j]
        if t == w.paren:
            close = next((c for c in range(j + 1, min(s1, j + _PAREN_MAX)) if low[c] == w.paren_close), None)
            if close is not None:  # "Tehreek-e-Taliban Pakistan (TTP) claimed", "the Frente Popular Autonomo
                j = close + 1  # (Autonomous Popular Front, FPA) assumed responsibility"
                continue
        if t == w.comma and j == end and j + 1 < s1 and low[j + 1] in w.relative and j + 2 in ctx.claim_at:
            j += 2  # "the Extraditables, who said they were responsible": the relative's claim is the name's
            continue
        if t in w.speaker_nouns and j == end and (killers or ctx.cap[start]):
            # "a Taliban spokesman claimed", "a Taliban spokesman, Zabihullah Mujahid, claimed": the group speaks
            j += 1
            if j < s1 and low[j] == w.comma:
                close = next((c for c in range(j + 1, min(s1, j + 6)) if low[c] == w.comma), None)
                if close is None:
                    break
                j = close + 1
            while j < s1 and ctx.cap[j] and j - end <= 4:
                j += 1  # "a Taliban spokesman Zabihullah Mujahid claimed"
            continue
        if t in w.affiliation_words and j == end and j + 2 < s1 and (low[j + 1] == w.to or low[j + 1] == w.with_):
            k = j + 2 + (low[j + 2] == w.the)  # "Fighters loyal to the Islamic State attacked": past the group
            m = k
            while m < s1 and m - k < _AFFILIATION_NAME and (ctx.cap[m] or (low[m] in w.name_connectors and m > k)
                                                             or low[m] == w.hyphen):
                m += 1
            if m > k:
                j = m
                continue
        if (t == w.of or t == w.from_) and j == end:
            # "terrorists of the Zapata Brigade murdered", "a group of terrorists from the Zarate Wilka Armed Forces
            # of Liberation (FAL) shot": past the group's name
            k = j + 1 + (j + 1 < s1 and low[j + 1] == w.the)
            m = k
            while m < s1 and m not in ctx.end_set and (ctx.cap[m] or (
                    low[m] in w.name_connectors and m > k and m + 1 < s1 and ctx.cap[m + 1])):
                m += 1  # "Armed Forces of Liberation"
            if m > k:
                j = m
                continue
        if (t in w.relative or t in w.apposition_openers or t in w.fighter_nouns) and j > end and (
                low[j - 1] == w.comma or (
                low[j - 1] in w.quotes and low[j - 2] == w.comma)):  # 'the "X Front," a group with ..., has'
            close = next((c for c in range(j + 1, min(s1, j + _ROLE_APPOSITION)) if low[c] == w.comma), None)
            if close is None and t in w.relative and j + 1 in ctx.claim_at:
                j += 1  # "LTN, a small jihadist network based in Idlib, which claimed responsibility for the attack"
                continue
            if close is None or not w.speaker_nouns.isdisjoint(low[j:close]):
                break  # "X, the spokesman for the Taliban, claimed": X speaks for the attackers
            j = close + 1  # "Al-Shabaab, which is linked to al-Qaeda, took responsibility"; ", a faction of X,"
            continue
        if t in w.claim_speech and not passive and _says_it_did(w, ctx, j + 1, s1):
            return True  # "the Front said in a statement that it had carried out the attack"
        if j == end and t == w.responsible and any(low[m] in w.hold_words for m in range(max(s0, start - 3), start)):
            return True  # "held X responsible for the attack": X is the party held
        if j + 2 < s1 and issues_claim(w, ctx, j) and ctx.claim_at[j + 2][1] == "claimed":
            return True  # the noun: "The Red Dawn Brigades posted a claim of responsibility"
        if j in ctx.claim_at:
            # the subject of a claim or denial; of an attribution only when passive ("X was blamed")
            return passive or ctx.claim_at[j][1] != "attributed"
        if (t in w.threat_verbs or t in w.plan_verbs) and any(
                a in ctx.attack_starts for a in range(j + 1, min(s1, j + 6))):
            # "a second cell had threatened attacks on churches", "the group vowed more attacks", "the Front
            # masterminded the bombing", "drug traffickers began a series of attacks"
            return not passive
        if (t in w.agent_verbs and j not in ctx.rejected_attacks) or (j in ctx.attack_starts and j > end) or (
                killers and t in w.murder_verbs):  # not a trigger the attack rules rejected: "who drove home"
            return not passive
        if t == w.involved and j + 1 < s1 and low[j + 1] == w.in_ and any(
                a in ctx.attack_starts for a in range(j + 2, min(s1, j + 5))):
            return True  # "the men involved in the attack"
        if t in w.passive_aux:
            passive = True
        elif not (t in w.role_fillers or w.is_adverb(t) or j in ctx.nums):
            break  # fillers: "Al-Shabaab, which ...,", "X, 18, drove", "X reportedly"
        j += 1
        steps += 1
    if any(s == start and e == end for s, e, _name in blamed_phrases(w, ctx)):
        return True  # "attributed the attack on the mayor to X", "blamed the attack on X": the party named
    if any(attackers_group_start(w, ctx, e) == start for _s, e, _v in ctx.by_kind.get("PERP", ())):
        return True  # "the bombers belonged to X": the attackers' group (D1)
    # by X / fire from X
    k = start - 1
    steps = 0
    while k >= s0 and steps < 7:
        t = low[k]
        if t == w.comma:
            break  # "..., Al-Monitor reported": another clause
        if t == w.of and k > s0 and low[k - 1] in w.work_of_heads:
            return True  # "the bombing was the work of X", "bore the hallmarks of X"
        if (t == w.of or t == w.from_) and k > s0 and (low[k - 1] in w.fighter_nouns or low[k - 1] in w.group_nouns
                                                       or low[k - 1] in w.member_nouns or any(
                    e == k for _s, e, _v in ctx.by_kind.get("PERP", ()))):
            k -= 1  # "shot by a group of terrorists from the X Front", "by members of X": X is the attackers'
            steps += 1
            continue
        if t == w.of and k - 2 >= s0 and low[k - 1] in w.behalf_words and any(
                c in ctx.claim_at and ctx.claim_at[c][1] == "claimed" for c in range(max(s0, k - _BEHALF_REACH), k)):
            return True  # "claimed the attack in the name of Liwa Tariq al-Nur", "claimed it on behalf of X"
        if t == w.for_ and k > s0 and low[k - 1] in w.speaker_nouns and any(c in ctx.claim_at for c in range(
                end, s1)):
            return True  # "A spokesman for X told reporters the group was behind the bombing": X speaks
        if t in w.by_words:
            # "carried out by X", "an attack by X" (not "compiled by X", "told by X")
            return k > s0 and (low[k - 1] in w.by_heads or _act_before(w, ctx, k, {e for _s, e, _v in ctx.by_kind.get(
                "ATK", ())} | {e for _s, e, v in ctx.by_kind.get("CUE", ()) if v}) or any(  # "shot to death by X"
                s0 <= e < k and k - e <= 10 for _s, e, _v in ctx.by_kind.get("KILL_OF", ())) or (
                _held_captive(w, ctx, k)))  # "the murder of X by Y", "still held by X"
        if t in w.from_words:
            return any(a < k <= a + 3 for a in ctx.attack_starts)
        if t in w.claim_needs_context or (k in ctx.claim_at and ctx.claim_at[k][1] == "attributed"):
            return True  # police blamed X; blamed the attack on X
        k -= 1
        steps += 1
    return False


_AFFILIATION_NAME = 6  # tokens of the group in "militants affiliated with al-Qaeda in the Islamic Maghreb"
_BEHALF_REACH = 8  # tokens from a claim to its "in the name of", "on behalf of"
_BY_GAP = 4  # time words between a passive act and its "by": "were shot to death last night by"


def _held_captive(w: Words, ctx: DocContext, k: int) -> bool:
    """"still being held by X", "held hostage by X" in a text that reports a kidnapping: X holds the captives."""
    low = ctx.low
    j = k - 1 - (low[k - 1] in w.captive_words)
    return j >= 0 and low[j] in w.hold_words and any(v == "kidnapping" for _s, _e, v in ctx.by_kind.get("ATK", ()))


def _act_before(w: Words, ctx: DocContext, k: int, ends: set[int]) -> bool:
    """Does an act end right before the *by* at `k`, or with only a time between ("shot to death last night by
    X", "killed on Monday by X")?"""
    low = ctx.low
    for e in range(k, max(0, k - _BY_GAP), -1):
        if e in ends:
            return True
        t = low[e - 1]  # the token between: it must be a time ("last night", "on Monday")
        if t == w.comma or not (t in w.role_fillers or t in w.time_words or (e - 1) in ctx.nums):
            return False
    return False


_SPEECH_REACH = 8  # tokens from "said" to the "it" of "said in a statement on its website that it carried out"
_THAT_REACH = 14  # tokens from "said" to its "that", past a channel ("in a statement posted on its news agency")
_AFTER_THAT = 4  # tokens from that "that" to the speaker's self-reference ("that one of its members")


def _says_it_did(w: Words, ctx: DocContext, j: int, s1: int) -> bool:
    """After a group's *said*, past the channel: *it* / *they* / *its fighters* and an agent verb of an attack, or
    *responsible* ("said in a statement that it had carried out the attack")."""
    return says_it_did(w, ctx, j, s1) is not None


def says_it_did(w: Words, ctx: DocContext, j: int, s1: int) -> tuple[int, int] | None:
    """`_says_it_did`'s words from the pronoun to the verb's particle ("it had carried out"), or None."""
    low = ctx.low
    limit = min(s1, j + _SPEECH_REACH)
    # "said in a statement posted on its news agency that one of its members had carried out": past a long
    # channel, the speaker's words start at "that"
    that = next((k for k in range(j, min(s1, j + _THAT_REACH)) if low[k] in w.that), None)
    if that is not None:
        limit = min(s1, max(limit, that + 1 + _AFTER_THAT))
    for k in range(j, limit):
        # "said the group had carried out", "said his fighters had carried out" (a leader speaking)
        self_np = k + 1 < s1 and ((low[k] == w.the and low[k + 1] in w.group_nouns) or (
            low[k] in w.possessive_det and (low[k + 1] in w.fighter_nouns or low[k + 1] in w.member_nouns)))
        if low[k] in w.self_pronouns or self_np:
            if any(low[m] in w.claim_channels for m in range(k + 1, min(s1, k + 4))):
                continue  # "on its website that it ...", "via its Andalus radio station that": the channel's owner
            for m in range(k + 1 + self_np, min(s1, k + 4 + self_np)):
                if low[m] in w.claim_negators:
                    return None  # "said it did not carry out the attack": a denial
                if (low[m] in w.agent_verbs and m not in ctx.rejected_attacks) or low[m] in w.responsible_words or (
                        low[m] in w.use_verbs and not w.device_objects.isdisjoint(
                            low[m + 1:min(s1, m + _DEVICE_REACH)])):
                    # "said it used a truck bomb": a device it used is the act
                    # "his fighters" is a perpetrator's mention: the claim starts after it
                    first = k + 2 if self_np and low[k] != w.the else k
                    return first, m + 1 + (m + 1 < s1 and low[m + 1] == w.out)
            return None
    return None


_DEVICE_REACH = 5  # tokens from "used" past its device: "used a truck bomb"
_SPEAKER_MAX = 6  # words in the name of a group that speaks ("The Free Sons of the Valley said")
_ACT_AFTER = 6  # tokens after "it carried out" that name the attack


def named_self_claims(w: Words, ctx: DocContext) -> list[tuple[int, int, int]]:
    """(start, end, said) of each name after *the* that says it carried out an attack the text names ("The Red
    Hand said on its website that it was behind the bombing", "The Black Hand said in a statement that one of its
    members had carried out the attack"): the claimant of D3's *said it carried out*, a group its name alone
    would not show (D1). Not a state's claim (`state_claims`: "the Pentagon said it carried out a strike")."""
    low = ctx.low
    out: list[tuple[int, int, int]] = []
    for k in ctx.where(w.claim_speech):
        i = k
        while i > 0 and k - i < _SPEAKER_MAX and (i - 1) not in ctx.end_set and ctx.cap[i - 1] and (
                i - 1) not in ctx.nums and low[i - 1] not in w.not_name_words:
            i -= 1
        opens = low[i - 1] == w.the or (k - i >= 2 and (low[i - 1] == w.comma or (i - 1) in ctx.end_set))
        if i == k or i == 0 or not opens or ctx.sent_of(k) in ctx.state_claims:
            continue  # "The Red Hand said", "In a statement on its website, Tevgera Tolhildane said"
        s1 = ctx.sent_bounds(k)[1]
        span = says_it_did(w, ctx, k + 1, s1)
        if span is None or low[span[0]] == w.its:
            continue
        if not (act_object(w, ctx, span[1]) if low[span[1] - 1] == w.out else (
                any(a in ctx.attack_starts for a in range(span[0], min(s1, span[1] + _ACT_AFTER))) or
                not w.claim_attack_context.isdisjoint(low[span[1]:min(s1, span[1] + _ACT_AFTER)]))):
            continue  # not "said it had carried out an assessment of the bombing site"
        out.append((i, k, k))
    return out


def act_object(w: Words, ctx: DocContext, end: int) -> bool:
    """Is the object of a claimed *carried out* the attack: an attack word before a preposition or clause ends
    the noun phrase ("said it carried out Monday's suicide bombing", "a series of bombings", "the operation")?
    An object that is not there ("said it carried out." after the attack) counts as the attack."""
    low = ctx.low
    s1 = ctx.sent_bounds(end - 1)[1]
    if end >= s1:
        return True
    for j in range(end, min(s1, end + _ACT_AFTER)):
        if j in ctx.attack_starts or (low[j] in w.claim_attack_context and low[j] not in w.responsible_words) or (
                low[j] in w.claim_act_objects):
            return True
        if low[j] in w.claim_act_stops and not (low[j] == w.of and j > end and low[j - 1] in w.claim_act_series):
            return False
    return False


def listed_full_names(w: Words, ctx: DocContext, k: int) -> list[tuple[int, int, bool]]:
    """The full names (two words or more) listed from token k, each after ", ", "and" or ", and": (start, end,
    joined by *and*). Both the victims listed after a named one (*murdered farmers A and B*) and the people a
    perpetrator description names (*three men, A, B and C,*) are read with it; each caller says where its list
    ends."""
    low, n = ctx.low, ctx.n
    out: list[tuple[int, int, bool]] = []
    while k + 1 < n and (low[k] == w.comma or low[k] == w.and_) and k not in ctx.end_set:
        k += 1 + (low[k] == w.comma and low[k + 1] == w.and_)  # ", and"
        run = run_at(w, ctx, k)
        if run is None or run[0] != k or run[1] - run[0] < 2 or not name_ok(w, ctx, *run):
            break
        out.append((run[0], run[1], low[k - 1] == w.and_))
        k = run[1]
    return out


def act_claimed_is_other(w: Words, ctx: DocContext, end: int, status: str) -> bool:
    """Is a claimed *carried out* ending at `end` about something other than the attack ("said it had carried out
    an assessment of the bombing site")? Read by the claims and by the group names learned from them."""
    return ctx.low[end - 1] == w.out and status == "claimed" and not act_object(w, ctx, end)


def role_noun_as_verb(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """A role noun that is also a verb (*suspect*) used as one: after a plural or pronoun subject and
    before its object ("investigators suspect the Front", "they suspect that"), not "the suspect fled"."""
    low = ctx.low
    if end - start != 1 or low[start] not in w.verb_role_nouns or start == 0 or end >= ctx.n:
        return False
    return low[start - 1] in w.verb_subjects and (low[end] in w.verb_objects or bool(ctx.cap[end]))


_MEMBER_GAP = 8  # tokens of an apposition between the attackers and "belonged": ", a newly married couple,"


def attackers_group_start(w: Words, ctx: DocContext, e: int) -> int | None:
    """Where the name of the attackers' group starts after an attacker's description that ends at e: "the bombers
    belonged to |Jamaah Ansharut Daulah", "the gunman was a member of the |Red Hand" (D1: the article ties the
    group to the attack through its members); None where no such name follows."""
    low, n = ctx.low, ctx.n
    k = e
    if k < n and low[k] == w.comma:  # past an apposition: "the bombers, a newly married couple, belonged to"
        c = next((m for m in range(k + 1, min(n, k + _MEMBER_GAP)) if low[m] == w.comma), None)
        k = c + 1 if c is not None else k
    while k < n and k - e < _MEMBER_GAP and (low[k] in w.passive_aux or low[k] in w.perfect_aux or (
            low[k] in w.indefinite or low[k] in w.gap_adverbs or w.is_adverb(low[k]))):
        k += 1
    if not (k + 2 < n and low[k] in w.membership_words and low[k + 1] in (w.to, w.of)):
        return None
    i = k + 2 + (low[k + 2] == w.the)
    return i if i < n and ctx.cap[i] and i not in ctx.nums else None
