"""ATTACK: trigger phrases with their type and stage, and the words that are attacks only in context."""

from __future__ import annotations

from incident_corpus.preannotate.rules.context import CONFIDENCE, Candidate, DocContext
from incident_corpus.preannotate.rules.words import Words


def attacks(w: Words, ctx: DocContext) -> list[Candidate]:
    """Trigger phrases; nouns take type-giving modifiers from the left; the stage comes from cues before."""
    low, n = ctx.low, ctx.n
    stages = ctx.by_kind.get("STAGE", [])
    actors = _actor_sentences(w, ctx)
    war_years = _war_year_sentences(w, ctx) if ctx.nums else set()
    out: list[Candidate] = []
    accused: set[int] = set()  # sentences that accuse a state's forces of the act
    shootouts = _operation_sentences(w, ctx)
    # the last word of a capitalised name with a group's head ("Liberation Army"), before a verb trigger
    named_heads = {e - 1 for s, e, _v in ctx.by_kind.get("ORGSUFFIX", ()) if s and ctx.cap[s - 1] and
                   e < n and low[e] in w.attack_verb_starts}
    # sentences whose act was a state's: "the attack" next refers to it ("Russia denied responsibility for the attack")
    ctx.state_claims = frozenset(state_claim_sentences(w, ctx))
    state_sents: set[int] = set(ctx.state_claims)
    # a sentence naming a state's act of war ("an air strike on a school bus killed 40 children") and no non-state
    # actor: "the attack" in it or the next one is that act
    state_sents.update(s for s in (ctx.sent_of(a) for a, _e, _v in ctx.by_kind.get("WAR", ())) if s not in actors)
    for start, end, atype in sorted(ctx.by_kind.get("ATK", ())):
        if (start and (low[start - 1] in w.not_attack_prev or (not atype and low[start - 1] in w.figurative_modifiers))
                and start - 1 not in named_heads) or (
                end < n and low[end] in w.not_attack_next) or (
                end + 1 < n and low[end] == w.hyphen and not ctx.doc[end - 1].whitespace_ and
                low[end + 1] in w.not_attack_next):
            continue  # "an army attack", "a police raid", "an assault-style rifle"; not "the Saffron Liberation Army
            # attacked"
        if any(low[k] == w.out and low[k - 1] in w.ruling_words for k in range(max(1, start - 3), start)):
            continue  # "police ruled out an attack": no attack
        if end - start == 1 and low[start] in w.offence_words and start >= 2 and low[start - 1] in (w.of, w.with_) and (
                low[start - 2] in w.offence_cues):
            continue  # an offence in a charge: "arrested on suspicion of assault", "charged with assault"
        sent = ctx.sent_of(start)
        if _accused_state(w, ctx, ctx.sent_bounds(start)[0], start):
            accused.add(sent)  # the state's act ("accused the air force of bombing"), and its accusation no claim
            state_sents.add(sent)
            continue
        if _state_agent(w, ctx, start, end, actors) or _act_of_war(w, ctx, start, actors) or (
                sent in war_years or sent - 1 in war_years) or (
                not actors and atype not in _NOT_POLICE_ACTS and _police_text(w, ctx)) or (
                atype in _SHOOTOUT_TYPES and (sent in shootouts or sent - 1 in shootouts) and not (
                    end < n and low[end] in w.fire_preps)):  # "opened fire on the worshippers" has its target
            state_sents.add(sent)
            continue
        if sent not in actors and _crowd_agent(w, ctx, ctx.sent_bounds(start)[0], start):
            continue  # riot or protest violence: "Protesters set fire to a police kiosk"
        if low[start] in w.raid_nouns and (sent not in actors or _suffered_in_raid(w, ctx, start)):
            continue  # a raid nobody in its sentence carries out is the police's or the army's ("a dawn raid"), and
            # so is one that militants were killed or arrested in
        if low[end - 1] in w.shooting_nouns and _unowned_shooting(w, ctx, start, actors):
            continue  # crime or police news: no shooter, group, suspect or claim in the whole text
        if atype in _CRIME_TYPES and sent not in actors and not w.crime_motives.isdisjoint(
                low[slice(*ctx.sent_bounds(start))]):
            continue  # "a man was stabbed to death during a robbery": crime news, no attacker of a terror attack
        if _not_an_attack(w, ctx, start, end, actors) or _figurative(
                w, ctx, start, w.leisure_words if atype else w.figurative_topics):
            continue
        if start and low[start - 1] in w.anaphoric_det and (sent in state_sents or sent - 1 in state_sents) and (
                sent not in actors):
            continue  # "a strike by Russia ... A spokesman said the attack occurred outside Damascus"
        attrs: dict[str, str] = {}
        if low[start] == w.to and end - start > 1:
            start += 1  # "a plot to bomb the stadium": the verb is the act, the infinitive's "to" is not
        if low[start] not in w.attack_verb_starts:
            while start > 0 and low[start - 1] in w.attack_mods:
                implied = w.attack_mods[low[start - 1]]
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
        out.append(Candidate(start, end, "ATTACK", attrs, CONFIDENCE["attack" if atype else "attack_generic"]))
    if accused:
        ctx.state_claims = ctx.state_claims | accused
    return out


_CRIME_TYPES = frozenset({"armed_assault", "stabbing"})  # the kinds of act a robbery or a brawl also has
# the police bomb, ram, stab, burn and kidnap no one: a text that reports them shooting someone keeps these acts
# ("Haddad drove a van into the crowd, killing nine. He was shot dead by police")
_NOT_POLICE_ACTS = frozenset({"bombing", "vehicle_ramming", "stabbing", "arson", "kidnapping"})


_SHOOTOUT_TYPES = frozenset({"armed_assault", "bombing"})  # the fire and grenades of those a raid surrounds
_OPERATION_REACH = 3  # tokens from the police to their operation's verb: "officers had surrounded"
_RAID_IN_REACH = 3  # tokens from the "in" to its raid: "were killed in a dawn raid"


def _suffered_in_raid(w: Words, ctx: DocContext, start: int) -> bool:
    """"Three suspected militants were killed in a dawn raid", "arrested in a raid": those the raid was on."""
    low = ctx.low
    s0 = ctx.sent_bounds(start)[0]
    k = start - 1
    while k > s0 and start - k <= _RAID_IN_REACH and low[k] != w.in_:
        k -= 1
    return k - 2 >= s0 and low[k] == w.in_ and low[k - 1] in w.police_act_verbs and low[k - 2] in w.passive_aux


def _operation_sentences(w: Words, ctx: DocContext) -> set[int]:
    """Sentences that tell a police or army operation ("officers surrounded the building", "Military Police raided
    the favela", "ordered to surrender"): the shots and grenades of those it surrounds, there or in the next
    sentence, are a shootout of the operation, not an attack (the guideline leaves operations out)."""
    low = ctx.low
    out = {ctx.sent_of(k) for k in ctx.where(w.surrender_words)}
    for k in ctx.where(w.operation_verbs):
        j = k - 1
        while j > 0 and k - j < _OPERATION_REACH and (low[j] in w.perfect_aux or w.is_adverb(low[j])):
            j -= 1  # "officers had surrounded", "police swiftly cordoned"
        if j >= 0 and (low[j] in w.police_agents or low[j] in w.not_attack_subject) and not (
                j > 0 and low[j - 1] in w.article):  # not "attacked an army post, raided the armoury"
            out.add(ctx.sent_of(k))
    return out


def _unowned_shooting(w: Words, ctx: DocContext, start: int, actors: set[int]) -> bool:
    """A shooting in a text that names no attacker, group, suspect or claim, and is not a named one (*the
    Orlando shooting*): general news of gun crime or a police shooting, which the scope readings leave out."""
    if actors or ctx.claim_at or any(ctx.low[a] in w.verb_role_nouns for a, _e, _v in ctx.by_kind.get("PERP", ())):
        return False
    k = start - 1
    while k > 0 and ctx.low[k] in w.attack_mods:
        k -= 1  # "the Charleston church shooting"
    return not (k > 0 and ctx.cap[k] and k - 1 not in ctx.end_set and ctx.low[k] not in w.state_names)


def weak_attacks(ctx: DocContext) -> list[Candidate]:
    """"incident" is an attack only in a sentence that also names one or its dead and wounded."""
    out: list[Candidate] = []
    for start, end, _v in ctx.by_kind.get("ATK_WEAK", ()):
        if ctx.sentence_has_attack(start, exclude=start):
            out.append(Candidate(start, end, "ATTACK", {"attack_stage": "accomplished"}, CONFIDENCE["attack_agent"]))
    return out


def agent_attacks(w: Words, ctx: DocContext, perps: list[Candidate]) -> list[Candidate]:
    """Verbs that are attacks only after an attacker: "ISIS struck again" (not "the storm struck"), and a
    headline's present tense ("Gunmen Storm Hotel", "Rebels Bomb Market"; not "a storm", "the bomb")."""
    perp_ends = {c.end for c in perps} | {e for s, e, _v in ctx.by_kind.get("PERP", ()) if ctx.low[s] in (
        w.fighter_nouns) and s == ctx.sent_bounds(s)[0]}  # a headline's "Guerrillas Dynamite Pylons"
    out: list[Candidate] = []
    for start, end, atype in ctx.by_kind.get("ATK_AGENT", ()):
        j = start
        while j not in perp_ends and j > 0 and ctx.low[j - 1] in w.role_fillers:
            j -= 1  # "ISIS militants struck": past the fillers to the attacker (not past one: "Rebels Bomb")
        if j in perp_ends:
            attrs = {"attack_type": atype} if atype else {}
            out.append(Candidate(start, end, "ATTACK", {**attrs, "attack_stage": "accomplished"},
                                 CONFIDENCE["attack_agent"]))
    return out


def _not_an_attack(w: Words, ctx: DocContext, start: int, end: int, actors: set[int]) -> bool:
    """Police raids, "to attack the virus": the trigger word names something other than an attack."""
    low = ctx.low
    if low[start] == w.strike and not (start and low[start - 1] in w.strike_det):
        return True  # "strike" is an attack only as a noun with a determiner ("the strike"), not a walk-out
    if low[start] == w.strike and _labour_strike(w, ctx):
        return True  # "Bus drivers went on strike ... The strike brought traffic to a halt"
    if low[start] in w.raid_words:
        s0 = ctx.sent_bounds(start)[0]
        police = next((k for k in range(s0, start) if low[k] in w.not_attack_subject or low[k] in w.police_agents),
                      None)
        if police is not None and (ctx.sent_of(start) not in actors or (
                police - s0 <= 2 and police + 1 < start and low[police + 1] in w.police_act_verbs)):
            return True  # "Police killed three suspects in a raid"; "Police killed the gunman in a raid": the police
            # open the sentence and act (not "The army blamed X, which has stepped up raids")
    if low[start] in w.ramming_verbs:  # "drove a truck into the crowd", not "drove to the border" or "into a tree"
        s1 = ctx.sent_bounds(start)[1]
        after = low[end:min(s1, end + 8)]
        vehicle = next((k for k, t in enumerate(after[:5]) if t in w.vehicle_nouns), None)
        prep = next((k for k in range(vehicle + 1, min(len(after), vehicle + 4)) if after[k] in w.ramming_preps),
                    None) if vehicle is not None else None
        if vehicle is None and after and after[0] in w.ramming_preps and not w.vehicle_nouns.isdisjoint(
                low[max(ctx.sent_bounds(start)[0], start - 3):start]):
            prep = 0  # the vehicle as the subject: "a van drove into the crowd"
        return prep is None or w.ramming_targets.isdisjoint(low[end + prep + 1:min(s1, end + prep + 5)])
    if low[start] in w.hack_verbs:  # "hacked five villagers to death", not "hacked the email account"
        s0, s1 = ctx.sent_bounds(start)
        return w.hack_context.isdisjoint(low[max(s0, start - 4):min(s1, end + 7)])
    if low[start] in w.fire_verbs and end - start == 2 and end < ctx.n and low[end] in w.time_words:
        return True  # "the coach was fired on Monday": a dismissal
    if end - start == 1 and low[start] in w.fire_verbs:  # "fired submachinegun volleys at", not "fired 200 workers"
        s1 = ctx.sent_bounds(start)[1]
        j = end
        while j < min(s1, end + 6) and (low[j] in w.fire_fillers or j in ctx.nums or low[j] == w.the):
            if low[j] in w.projectile_nouns or (j + 1 < s1 and low[j + 1] in w.projectile_nouns):
                return False  # "had fired the rockets", "fired two mortars": what it fires is the attack's
            j += 1
        return j == end or j >= s1 or low[j] not in w.fire_preps
    if end - start > 1 and low[end - 1] == w.off:
        # D5: "set off two bombs", "a bomb went off", "a blast went off"; not "the alarm went off", "set off on
        # a journey", nor "touched off an IED, setting off an explosion" (the result of the act before it)
        s0, s1 = ctx.sent_bounds(start)
        after = low[end:min(s1, end + 3)]
        if w.strings[low[start]].endswith("ing") and not w.blast_words.isdisjoint(after):
            return True
        near = low[max(s0, start - 5):min(s1, end + 5)]
        return w.device_objects.isdisjoint(near) and w.blast_words.isdisjoint(near)
    if low[start] in w.device_verbs:  # D5: "planted a bomb", "the device had been placed", not "planted trees"
        s0, s1 = ctx.sent_bounds(start)
        return w.device_objects.isdisjoint(low[max(s0, start - 5):min(s1, end + 5)])
    if end + 1 < ctx.n and (low[end] in w.figurative_preps or (
            low[start] in w.attack_verb_starts and (low[end] == w.the or low[end] in w.possessive_det))):
        # "the hijacking of our political system", "an assault on voting rights", "hijacked the debate", "attacked the
        # problem": the object is an idea, not people or a place
        s1 = ctx.sent_bounds(start)[1]
        if not w.figurative_objects.isdisjoint(low[end + 1:min(s1, end + 5)]):
            return True
    if low[start] in w.blast_words and any(t in w.accident_prev for t in low[max(0, start - 2):start]):
        return True  # "a gas explosion", "the atomic blast": an accident or an act of war
    k = start - 1
    while k >= 0 and start - k <= 3 and (low[k] in w.article or low[k] == w.the or low[k] in w.attack_mods or (
            low[k] in w.generic_fillers or low[k] in w.ordinals)):
        k -= 1
    if k >= 1 and low[k] == w.of and low[k - 1] in w.generic_heads:
        return True  # "the threat of a terror attack", "fears of new attacks": talk of attacks, none reported
    if _generic_plural(w, ctx, start, end):
        return True  # "to prevent attacks", "shootings rose by 20 percent": attacks in general, none reported
    if _a_risk(w, ctx, start, end):
        return True  # "meaning an attack is likely": a risk, none reported
    if low[start] in w.attack_base and _under_a_modal(w, ctx, start):
        return True  # "terrorists could use drones to attack stadiums": what might happen, not what did
    # a verb in an infinitive/modal: "resources to attack the virus"; not a plot's ("plotting to attack the parliament")
    return bool(low[start] in w.attack_base and start and low[start - 1] in w.hypothetical
                and end < ctx.n and (low[end] == w.the or ctx.cap[end]) and not any(
                    start - 3 <= s_end <= start - 1 for _s, s_end, _v in ctx.by_kind.get("STAGE", ())))


def _generic_plural(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """A bare plural trigger (no determiner, number or possessive before it) as the object of a verb of preventing
    or fighting ("to prevent attacks", "fight terrorist attacks") or the subject of a trend ("Attacks on aid workers
    have risen", "mass shootings have become routine")."""
    low = ctx.low
    if not w.strings[low[end - 1]].endswith("s"):
        return False
    i = start
    while i > 0 and (low[i - 1] in w.attack_mods or low[i - 1] in w.generic_fillers) and start - i < 3:
        i -= 1  # "terrorist attacks", "mass shootings", "to thwart further attacks"
    s0, s1 = ctx.sent_bounds(start)
    if i > s0 and (low[i - 1] in w.article or low[i - 1] == w.the or low[i - 1] in w.possessive_det or (
            i - 1 in ctx.nums or low[i - 1] == w.of)):
        return False  # "the attacks", "two shootings", "a series of attacks": reported ones
    if i > s0 and low[i - 1] in w.generic_act_verbs:
        return True
    for k in range(end, min(s1, end + 6)):
        if low[k] in w.trend_verbs:
            return True
        if low[k] == w.comma or k in ctx.attack_starts:
            return False
    return False


def _a_risk(w: Words, ctx: DocContext, start: int, end: int) -> bool:
    """An indefinite act as the subject of a risk ("an attack is likely", "a strike on the capital was possible"):
    an assessment, not an attack the text reports. Not a definite one ("the attack was expected")."""
    low = ctx.low
    k = start - 1
    while k > 0 and (low[k] in w.attack_mods or low[k] in w.generic_fillers) and start - k < 3:
        k -= 1
    if k < 0 or low[k] not in w.article:
        return False
    s1 = ctx.sent_bounds(start)[1]
    for m in range(end + 1, min(s1, end + 8)):
        if low[m] == w.comma or m in ctx.attack_starts:
            return False
        if low[m] in w.risk_words and (low[m - 1] in w.passive_aux or (m - 2 >= end and low[m - 2] in w.passive_aux)):
            # "is likely", "was still possible"; not "is likely to have been carried out by" (a reported one)
            return m + 1 >= s1 or low[m + 1] != w.to
    return False


def _under_a_modal(w: Words, ctx: DocContext, start: int) -> bool:
    """A modal of possibility (could, might, may) up to five words before the verb in its clause."""
    low = ctx.low
    s0 = ctx.sent_bounds(start)[0]
    for k in range(start - 1, max(s0, start - 6) - 1, -1):
        if low[k] == w.comma or low[k] in w.relative:
            return False
        if low[k] in w.possibility_modals:
            return True
    return False


def _figurative(w: Words, ctx: DocContext, start: int, topic: frozenset[int]) -> bool:
    """A trigger in a sentence of `topic` with no violence in it: speech or politics for a generic trigger ("Trump
    attacked the Khan family after their speech", "came under attack from critics"), sport, film and shows for any
    trigger ("the team's attack", "shooting the film", "the movie bombed at the box office", "fans stormed the
    pitch"; `figurative_topics` holds both sets, `leisure_words` the second), unless each topic word is the act's
    target or time ("the attack on the concert hall", "a bombing during the match"). Violence is another trigger, an
    outcome cue, an attacker, a group, a claim, a device or a word of violence (violence, terror, militant) in
    the sentence."""
    s0, s1 = ctx.sent_bounds(start)
    low = ctx.low
    words = low[s0:s1]
    if topic.isdisjoint(words) or all(  # a show as the act's target or time: "the attack on the concert hall"
            low[k] in w.leisure_words and any(
                low[m] in w.target_preps or low[m] == w.during for m in range(max(start + 1, k - 3), k))
            for k in range(s0, s1) if low[k] in topic) or ctx.sentence_has_attack(
            start, exclude=start) or any(
            s0 <= a < s1 for kind in ("PERP", "GROUP", "ACRONYM", "CLAIM") for a, _e, _v in ctx.by_kind.get(kind, ())):
        return False  # an attacker, a group or a claim in the sentence: a real attack
    return w.device_objects.isdisjoint(words) and w.violence_words.isdisjoint(words)


def _labour_strike(w: Words, ctx: DocContext) -> bool:
    """Does the text tell of a walk-out ("went on strike", "a general strike", "hunger strike", "strike action")?
    Then its "the strike" is that walk-out: an attack called a strike is an air or drone strike, a WAR word."""
    if ctx.labour_text is None:
        low = ctx.low
        ctx.labour_text = any(
            (k and (low[k - 1] == w.on_ or low[k - 1] in w.labour_strike_mods)) or (
                k + 1 < ctx.n and low[k + 1] in w.labour_strike_next) for k in ctx.where((w.strike,)))
    return ctx.labour_text


_CROWD_REACH = 6  # tokens from protesters or rioters to their act: "crowds looting shops and setting fire to"


def _crowd_agent(w: Words, ctx: DocContext, s0: int, start: int) -> bool:
    """Protesters, rioters or crowds before the act as its subject ("Protesters set fire to a police kiosk", "crowds
    looting shops and setting fire to a bus depot"): riot and protest violence, which the scope readings leave
    out. Not "gunmen opened fire on protesters", "protesters were attacked", "protesters said gunmen fired", "crowds
    fled after a car bomb exploded" (another clause, another subject)."""
    low = ctx.low
    for k in range(max(s0, start - _CROWD_REACH), start):
        if low[k] in w.crowd_agents:
            return not (k > s0 and low[k - 1] in w.target_preps) and not any(
                t in w.reporting_verbs or t in w.passive_aux or t in w.by_words or t in w.target_preps or
                t in w.clause_breaks or t in w.device_nouns or t in w.vehicle_nouns for t in low[k + 1:start])
    return False


def _state_agent(w: Words, ctx: DocContext, start: int, end: int, actors: set[int]) -> bool:
    """State armed forces as the agent (out of scope): "Russia's bombing", "Japanese air forces attacked",
    "U.S. troops assault", "a strike by Russia", "bombing by government forces"."""
    low = ctx.low
    s0, s1 = ctx.sent_bounds(start)
    k = start - 1
    if k >= s0 and low[k] == w.the:
        k -= 1
    seen_force = False
    while k >= s0 and start - k <= 5 and low[k] in w.state_force_heads:
        seen_force = seen_force or low[k] not in w.possessive
        k -= 1
    if k >= s0 and low[k] in w.state_names and (k == start - 1 or seen_force or low[k + 1] in w.possessive):
        return True
    if force_subject(w, ctx, s0, start) or _force_gerund(w, ctx, s0, start):
        return True
    if start > s0 and low[start - 1] in w.state_possessives and _state_opens(w, ctx, s0):
        return True  # "the coalition said its strike had killed": the sentence's state subject owns the act
    for j in range(end, min(s1, end + 8)):
        if low[j] == w.comma:
            break
        if low[j] in w.by_words:  # "a strike by Russia", "the shooting by a police officer"
            j += 1
            if j < s1 and low[j] == w.the:
                j += 1
            if j < s1 and low[j] in w.indefinite:
                m = j + 1  # "by a police officer", "by a white police officer", "by an off-duty officer"
                while m < s1 and m - j <= 4 and low[m] not in w.police_agents and (
                        w.is_adjective_like(low[m]) or low[m] in (w.hyphen, w.off) or ctx.cap[m]):
                    m += 1
                if m < s1 and low[m] in w.police_agents:
                    j = m
            if _named_force_of(w, ctx, j, s1):
                return False  # a group's name: "carried out by the Army of National Liberation"
            if j + 2 < s1 and low[j + 1] == w.hyphen and low[j + 2] in w.proxy_participles:
                return False  # "by Iran-backed militias": the state's proxies, another party
            return j < s1 and (low[j] in w.state_names or low[j] in w.police_agents or (
                low[j] in w.state_force_heads and low[j] not in w.state_force_joiners and low[j] not in w.possessive_det
                and low[j] not in w.possessive))  # not "a statement posted by its news agency"
    return _police_agent(w, ctx, s0, start, actors) or _state_subject(w, ctx, s0, start, actors) or (
        _state_name_subject(w, ctx, s0, start, actors))


_ACCUSED_REACH = 6  # tokens of "accused the country's air force of" between the verb and its "of"


def _accused_state(w: Words, ctx: DocContext, s0: int, start: int) -> bool:
    """The act of a state's forces or the police that someone accuses of it ("accused the air force of bombing
    the market", "accused soldiers of burning homes"): an allegation against the state, out of scope."""
    low = ctx.low
    o = start - 1
    if o <= s0 or low[o] != w.of:
        return False
    for v in range(max(s0, o - _ACCUSED_REACH), o - 1):
        if low[v] in w.accuse:
            party = low[v + 1:o]
            return any(t in w.not_attack_subject or t in w.police_agents or (
                t in w.state_force_heads and t not in w.state_force_joiners) for t in party)
    return False


def _named_force_of(w: Words, ctx: DocContext, j: int, s1: int) -> bool:
    """A capitalised force noun that heads a name with "of" ("the Army of National Liberation", "the Army of
    God"): a group's name, not a state's forces; "the Army of Nigeria" stays the state's."""
    low = ctx.low
    k = j + 2
    if k < s1 and low[k] == w.the:
        k += 1
    return bool(k < s1 and ctx.cap[j] and low[j] in w.state_force_heads and low[j + 1] == w.of and ctx.cap[k]
                and low[k] not in w.state_names)


def _state_opens(w: Words, ctx: DocContext, s0: int) -> bool:
    """Does the sentence at s0 open with a state or its forces ("The coalition said", "Russian jets")?"""
    low = ctx.low
    k = s0 + (s0 < ctx.n and low[s0] == w.the)
    return k < ctx.n and (low[k] in w.state_names or low[k] in w.not_attack_subject)


def _state_name_subject(w: Words, ctx: DocContext, s0: int, start: int, actors: set[int]) -> bool:
    """A state's name as the trigger's subject, only auxiliaries and light verbs between: "Russia has been
    bombing Aleppo", "Moscow, which will not stop bombing the city", "Israel launched an assault on Gaza"; not
    "an attack on Israel" nor a sentence that names a non-state actor."""
    if ctx.sent_of(start) in actors:
        return False
    low = ctx.low
    k = start - 1
    while k >= s0 and start - k <= 7 and low[k] in w.state_verb_fillers:
        k -= 1
    return k >= s0 and k < start - 1 and low[k] in w.state_names and not (k > s0 and low[k - 1] in w.target_preps)


def force_subject(w: Words, ctx: DocContext, s0: int, start: int) -> bool:
    """Armed forces or the police right before the act as its subject, whatever else the sentence names: "Security
    forces stormed the hideout, killing four militants" (the guideline's own example of an operation against the
    attackers), "troops opened fire"; not "rebel forces attacked" nor "the Houthi forces"."""
    low = ctx.low
    k = start - 1
    while k >= s0 and start - k <= 3 and (w.is_adverb(low[k]) or low[k] in w.perfect_aux):
        k -= 1  # "security forces have stormed", "its jets had bombed"
    if k < s0 or low[k] not in w.not_attack_subject:
        return False
    m = k - 1
    while m >= s0 and k - m <= 3 and low[m] in w.not_attack_subject:
        m -= 1  # "security forces", "army troops"
    return not (m >= s0 and (low[m] in w.non_state_modifiers or (ctx.cap[m] and low[m] not in w.state_names and
                                                                   m > s0 and m - 1 not in ctx.end_set)))


_SUBJECT_REACH = 3  # tokens from the sentence start to its subject's head: "The security forces"


def _force_gerund(w: Words, ctx: DocContext, s0: int, start: int) -> bool:
    """A gerund after "after" or "before" in a sentence whose subject is the police or armed forces: "Security
    forces arrested the perpetrator after shooting him" (their act, out of scope); not what they say another did.
    """
    low = ctx.low
    return (start > s0 and low[start - 1] in w.gerund_openers and w.strings[low[start]].endswith("ing")
            and any(low[k] in w.not_attack_subject or low[k] in w.police_agents
                    for k in range(s0, min(start - 1, s0 + _SUBJECT_REACH)))
            and w.claim_speech.isdisjoint(low[s0:start]))  # not "Police say that two brothers ... before detonating"


def _police_agent(w: Words, ctx: DocContext, s0: int, start: int, actors: set[int]) -> bool:
    """Police as the trigger's subject, at most three words before it ("police opened fire", "an officer
    shot"): a police operation, out of scope. Not "police said the attack", and not where the sentence
    names a non-state actor ("police say the gunman opened fire"), nor the object of a claim ("police blamed the
    attack on X")."""
    if ctx.sent_of(start) in actors:
        return False
    low = ctx.low
    for k in range(max(s0, start - 3), start):
        if low[k] in w.police_agents:
            m = k - 1
            while m > s0 and (low[m] == w.the or low[m] in w.article):
                m -= 1
            if m >= s0 and m < k - 1 and low[m] in w.place_preps and low[m] not in w.by_words:
                return False  # a place: "walked up to the gate of the police station and blew himself up"
            if k > s0 and (low[k - 1] in w.attire_participles or low[k - 1] == w.as_ or (
                    w.strings[low[k - 1]].endswith("ing") and not ctx.cap[k - 1])):
                return False  # a disguise: "men wearing police uniforms abducted", "dressed as police officers"
            between = low[k + 1:start]
            return not any(t in w.reporting_verbs or t in w.passive_aux or t == w.comma for t in between) and not (
                k > s0 and low[k - 1] in w.target_preps) and not any(c in ctx.claim_at for c in range(k + 1, start))
    return False


def _state_subject(w: Words, ctx: DocContext, s0: int, start: int, actors: set[int]) -> bool:
    """A state force earlier in the sentence as its subject ("Syrian forces hit a hospital ... the attack",
    "the coalition stopped the attacks"), with no non-state actor named in the sentence."""
    low = ctx.low
    if ctx.sent_of(start) in actors:
        return False
    s1 = ctx.sent_bounds(start)[1]
    for k in range(s0, start):
        if low[k] not in w.state_names:
            continue
        if k > s0 and low[k - 1] in w.target_preps:
            continue  # "an attack on Syrian forces": the target
        f = k + 1
        head = False  # a force noun, not only a joiner: "the British-Libyan who carried out" is a person
        while f < start and f - k <= 3 and low[f] in w.state_force_heads:
            head = head or low[f] not in w.state_force_joiners
            f += 1
        if head and not (f < s1 and low[f] in w.passive_aux):
            return True  # "Syrian forces hit", not "Syrian forces were killed"
    return False



_PLACE_MAX = 7  # tokens of "at the tram stop on Grimmaische Strasse" between a device and its result verb


def _result_verb_past(w: Words, ctx: DocContext, j: int, m: int, *, past_attacks: bool) -> int | None:
    """The result verb that a device's load or place (opening at j, its words from m) leads to within _PLACE_MAX
    tokens of j, in the clause: "loaded with 50 kg of dynamite| killed", "at the tram stop| killed"; None if none.
    `past_attacks`: a trigger may stand in the load ("dynamite"), never in the place."""
    low, n = ctx.low, ctx.n
    while m < n and m - j <= _PLACE_MAX and low[m] not in w.result_verbs and low[m] != w.comma and (
            m not in ctx.end_set and (past_attacks or m not in ctx.attack_starts)):
        m += 1
    return m if m < n and low[m] in w.result_verbs else None


def device_subjects(w: Words, ctx: DocContext) -> list[Candidate]:
    """D5: a device noun standing for the act as the subject of a result verb: "a car bomb killed 12"
    -> `car bomb`, "a roadside bomb wounded three soldiers" -> `roadside bomb` (not "the bomb was found")."""
    low, n = ctx.low, ctx.n
    out: list[Candidate] = []
    war = {k for a, e, _v in ctx.by_kind.get("WAR", ()) for k in range(a, e)}
    war_sents = {ctx.sent_of(a) for a, _e, _v in ctx.by_kind.get("WAR", ())}
    devices = set(ctx.where(w.device_nouns))
    projectiles = set(ctx.where(w.projectile_nouns)) - devices  # a grenade is a device either way
    inside: set[int] = set()  # devices inside another's participle ("a car bomb loaded with 50 kg of dynamite")
    for k in sorted(devices | projectiles):
        if k in war or k in inside:
            continue  # "the regime's barrel bombs killed 15 people": a weapon of war
        if k in projectiles and (ctx.sent_of(k) in war_sents or not w.state_names.isdisjoint(
                low[ctx.sent_bounds(k)[0]:k])):
            continue  # "Russian missiles struck Kyiv": a state's act of war; "Rockets hit the base": the act
        j = k + 1
        if j < n and (low[j] in w.relative or low[j] in w.that):
            j += 1  # "the bomb which killed 3 people", "the car bomb that killed 7"
        if j + 1 < n and low[j] in w.device_participles and low[j + 1] == w.with_:
            # "a car bomb loaded with some 50 kilograms of dynamite killed seven people"
            m = _result_verb_past(w, ctx, j, j + 2, past_attacks=True)
            if m is not None:
                inside.update(range(j, m))
                j = m
        if j < n and low[j] in w.device_place_preps:  # "a nail bomb at the tram stop killed two people"
            m = _result_verb_past(w, ctx, j, j + 1, past_attacks=False)
            if m is not None:
                j = m  # past the place to the result verb
        while j < n and j - k <= 3 and w.is_adverb(low[j]):
            j += 1
        i = k
        while i > 0 and low[i - 1] in w.device_modifiers:
            i -= 1
        if (j >= n or low[j] not in w.result_verbs or (j + 1 < n and low[j + 1] in w.passive_aux)) and not (
                _passive_agent(w, ctx, i)):
            continue
        if k in projectiles and not any(c == j and v for c, _e, v in ctx.by_kind.get("CUE", ())):
            continue  # rockets stand for the act only as the subject of a hurt verb ("a rocket killed two soldiers"),
            # as D5's car bomb does; not "rockets struck near the Green Zone, lightly injuring a child"
        out.append(Candidate(i, k + 1, "ATTACK", {"attack_type": "bombing", "attack_stage": "accomplished"},
                             CONFIDENCE["attack"]))
    return out


def _passive_agent(w: Words, ctx: DocContext, i: int) -> bool:
    """The device as the agent of a passive result verb: "their patrol car was hit by a roadside bomb", "three
    soldiers were killed by an IED" (D5: the device stands for the act, as its subject would)."""
    low = ctx.low
    b = i - 1 - (i > 0 and low[i - 1] in w.article)
    if b < 2 or low[b] not in w.by_words or low[b - 1] not in w.result_verbs:
        return False
    return low[b - 2] in w.passive_aux or (b > 2 and w.is_adverb(low[b - 2]) and low[b - 3] in w.passive_aux)


_WAR_WINDOW = 8  # tokens either side of a trigger in which a war word makes it an act of war


def _act_of_war(w: Words, ctx: DocContext, start: int, actors: set[int]) -> bool:
    """A trigger in a sentence about war (shelling, airstrikes, an offensive, a battle) that names no
    non-state actor and gives the act no non-state modifier (*suicide*, *car*, *IED*): out of scope. So is any
    trigger of a text that speaks of war anywhere and names no non-state actor and no claim at all ("the siege of
    the city ... an attack on a convoy killed 20 people")."""
    low = ctx.low
    s0, s1 = ctx.sent_bounds(start)
    near = low[max(s0, start - _WAR_WINDOW):min(s1, start + _WAR_WINDOW)]
    if start and low[start - 1] in w.non_state_modifiers:
        return False
    if w.war_words.isdisjoint(near) and not any(
            s0 <= a < s1 and abs(a - start) <= _WAR_WINDOW for a, _e, _v in ctx.by_kind.get("WAR", ())):
        # a text about a war that names no attacker and holds no claim
        return not actors and not ctx.claim_at and _war_text(w, ctx)
    return ctx.sent_of(start) not in actors


def _war_text(w: Words, ctx: DocContext) -> bool:
    """Does the text use a word of war anywhere (asked once per document)?"""
    if ctx.war_text is None:
        ctx.war_text = "WAR" in ctx.by_kind or not w.war_text_words.isdisjoint(ctx.low)
    return ctx.war_text


def _police_text(w: Words, ctx: DocContext) -> bool:
    """Does the text report the police shooting or killing someone ("Officer Darren Wilson shot Michael Brown",
    "the deputy fatally shot the man", "a boy killed by a Cleveland police officer")? Asked once per document; a
    text that does and names no attacker and no claim reports a police shooting, out of scope, in every
    trigger ("The shooting sparked weeks of protests"); an attribution may be the officer's charge."""
    if ctx.police_text is None:
        ctx.police_text = not any(v == "claimed" for _e, v in ctx.claim_at.values()) and _finds_police_act(w, ctx)
    return ctx.police_text


def _finds_police_act(w: Words, ctx: DocContext) -> bool:
    low = ctx.low
    hurt = {c for c, _e, v in ctx.by_kind.get("CUE", ()) if v} | ctx.attack_starts
    hurt_ends = {e for _c, e, v in ctx.by_kind.get("CUE", ()) if v} | {e for _s, e, _v in ctx.by_kind.get("ATK", ())}
    for p in ctx.where(w.police_shooters):
        s0, s1 = ctx.sent_bounds(p)
        k = p + 1
        while k < s1 and k - p <= 4 and (ctx.cap[k] or w.is_adverb(low[k])):
            k += 1  # "Officer Darren Wilson shot", "the deputy fatally shot"
        if k in hurt:
            return True
        if any(low[c] in w.legal_claims and p + 1 < c <= p + 3 and low[c - 1] in w.passive_aux for c in ctx.claim_at):
            return True  # "two officers were indicted in the fatal shooting" (not "police charged X")
        m = p - 1
        while m >= s0 and p - m <= 5 and low[m] not in w.by_words and (
                low[m] in w.article or low[m] == w.the or low[m] == w.hyphen or ctx.cap[m] or
                w.is_adjective_like(low[m])):
            m -= 1  # "killed by a white Cleveland police officer", "shot by an off-duty officer"
        if m >= s0 and low[m] in w.by_words and m in hurt_ends:
            return True
    return False


def _actor_sentences(w: Words, ctx: DocContext) -> set[int]:
    """The sentences that name a non-state actor (a perpetrator noun or a group name), once per document; a
    suspect is the police's word, no actor ("officers shot the suspect during the raid"), nor a group's name before
    a target noun ("jets bombed Islamic State targets")."""
    n = ctx.n
    return {ctx.sent_of(a) for kind in ("PERP", "GROUP", "ACRONYM") for a, e, _v in ctx.by_kind.get(kind, ())
            if ctx.low[a] not in w.verb_role_nouns and not (e < n and ctx.low[e] in w.target_nouns)
            and not _a_side_of_fighting(w, ctx, a)}


_SIDE_REACH = 3  # tokens from "between" to a side: "between the Houthi rebels and"
_AFFILIATED_REACH = 7  # tokens from "affiliated" to the group's head: "affiliated with Yemen's dominant Houthi group"


def _a_side_of_fighting(w: Words, ctx: DocContext, a: int) -> bool:
    """"fighting between the rebels and government forces": a side of a battle, no attacker of an act; nor is
    the group someone is "affiliated with" ("a wedding for a man affiliated with the Houthi group")."""
    s0 = ctx.sent_bounds(a)[0]
    return any(ctx.low[k] == w.between for k in range(max(s0, a - _SIDE_REACH), a)) or any(
        ctx.low[k] in w.affiliation_words and ctx.low[k + 1] in (w.to, w.with_)
        for k in range(max(s0, a - _AFFILIATED_REACH), a - 1))


def _war_year_sentences(w: Words, ctx: DocContext) -> set[int]:
    """The sentences holding a year of the world wars (1914-1945), once per document: a trigger in one
    of them or the sentence after is a historical act of war ("killed in the Nagasaki blast" after
    "August 9, 1945"), out of scope."""
    low = ctx.low
    return {ctx.sent_of(k) for k in ctx.nums if low[k] in w.war_years}


def _state_force_party(w: Words, ctx: DocContext, k: int, s1: int) -> bool:
    """A state's forces or police as the party blamed at k: "accused Nigerian troops of killing civilians", "blamed
    government forces", "accused police"; not a group's name ("blamed the Free Syrian Army")."""
    low = ctx.low
    m, head = k, False
    while m < s1 and m - k < 4 and (low[m] in w.state_names or low[m] in w.not_attack_subject or (
            low[m] in w.state_force_heads and low[m] not in w.state_force_joiners and ctx.text(m).isalpha()
            and len(ctx.text(m)) > 3)):  # "Nigerian troops", "government forces", "the security forces"
        head = low[m] in w.not_attack_subject
        m += 1
    return head and not (m < s1 and (ctx.cap[m] or low[m] == w.hyphen or (
        low[m] == w.of and m + 1 < s1 and ctx.cap[m + 1])))  # not "the Army of National Liberation"


def state_claim_sentences(w: Words, ctx: DocContext) -> set[int]:
    """Sentences whose claim is a state's own or puts a state in the frame: "Russia denied responsibility for the
    attack", "activists blamed Russia for the strike". States are no perpetrators, their acts out of scope."""
    low, n = ctx.low, ctx.n
    out: set[int] = set()
    for start, end, status in ctx.by_kind.get("CLAIM", ()):
        s0, s1 = ctx.sent_bounds(start)
        if status == "attributed":
            k = end + (end < s1 and low[end] == w.the)
            party = k < min(n, s1) and low[k] in w.state_names and not (k + 1 < n and low[k + 1] == w.hyphen)
            party = (party or _state_force_party(w, ctx, k, s1)) and not _named_force_of(w, ctx, k, s1)
        else:
            k = start - 1
            while k >= s0 and start - k <= 3 and (low[k] in w.possessive or low[k] in w.state_verb_fillers):
                k -= 1
            party = k >= s0 and low[k] in w.state_names and not (k > s0 and (low[k - 1] in w.target_preps or (
                ctx.cap[k - 1] and low[k - 1] not in w.state_names and k - 1 > 0 and k - 2 not in ctx.end_set)))
            # not "Rebel Army Claims Attack": a name's head, not a state's army
        if party:
            out.add(ctx.sent_of(start))
    return out
