"""The word sets the rules look up around each anchor, as LOWER hashes, built once from the data files.

Every set comes from `patterns/words.json` (or the anchor patterns) through `lexicon.load()`;
edit the file, not this module, to teach the rules a word. The rules compare the LOWER column of
`Doc.to_array` against these hashes, so no Token object is made in their loops. The single words
below (`the`, `of`, ...) are the grammar the rules are written in, not vocabulary to tune.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy
from spacy.language import Language
from spacy.strings import StringStore

from incident_corpus.preannotate.lexicon import Lexicon

Hashes = frozenset[int]


@dataclass(frozen=True, eq=False)
class Words:
    """The rules' vocabulary: hash sets by use, the few hash-to-value maps, and three word-shape tests."""

    strings: StringStore
    # document structure
    positioned_ids: frozenset[int]  # id() of each POSITIONED list: DocContext.where reads them from one scan
    positioned_array: Any  # the POSITIONED lists' words as numpy, for that one isin over the LOWER column
    sent_hashes: tuple[Any, ...]  # numpy.uint64, compared against the whole LOWER column
    title_abbreviations: Hashes  # "Lt", "Sgt", "Mr": a full stop after one opens no sentence ("Lt. Jorge Salcedo")
    month_names: Hashes  # "on April| 3 killed": a date, not a toll
    figurative_modifiers: Hashes  # "a political| attack": speech, unless the word names a kind ("assassination")
    membership_words: Hashes  # "the bombers belonged| to X", "was a member| of X": X is the attackers' group
    projectile_nouns: Hashes  # "fired| the rockets": an attack without "at"
    person_pronouns: Hashes  # "he", "she": "He was identified as X" after a sentence about the attacker
    acronyms: frozenset[str]  # case-sensitive group names (matched on LOWER, then checked)
    org_suffixes: frozenset[str]
    first_orths: Hashes
    # the grammar words
    the: int
    of: int
    and_: int
    but: int
    comma: int
    hyphen: int
    paren: int
    paren_close: int
    toll: int
    there: int
    strike: int
    ethnic: int
    involved: int
    responsibility: int
    in_: int
    on_: int
    from_: int
    to: int
    since: int  # "have been killed since the conflict began": a running toll
    known: int  # "known on the streets as": an alias's cue, its "as" a few words on
    also: int
    number: int  # "the number of dead": a toll named
    at: int
    least: int
    whose: int  # "X, the 24-year-old whose hired van ploughed into": the owner is the agent
    who: int
    with_: int
    as_: int
    name: int
    year: int
    old: int
    for_: int
    them: int
    among: int
    off: int
    out: int
    its: int
    or_: int
    then: int
    during: int
    find_verbs: Hashes  # "found X guilty"
    got: Hashes  # the passive auxiliaries that are also a main verb ("a man got out of a taxi")
    # ATTACK
    attack_mods: dict[int, str]  # modifier -> the attack type it implies ("" none)
    attack_verb_starts: Hashes
    attack_words: Hashes
    not_attack_prev: Hashes
    not_attack_next: Hashes
    not_attack_subject: Hashes
    hypothetical: Hashes
    generic_fillers: Hashes  # "fears of new attacks"
    generic_heads: Hashes  # "the threat of an attack": the attack is talked of, not reported
    possibility_modals: Hashes  # "could use drones to attack": a verb of attack under one is no act
    strike_det: Hashes
    labour_strike_mods: Hashes  # "a general strike", "hunger strike": a walk-out, not an attack
    labour_strike_next: Hashes  # "strike action"
    crowd_agents: Hashes  # protesters, rioters: the subject of riot or protest violence, out of scope
    attack_base: Hashes
    raid_words: Hashes
    state_names: Hashes
    indefinite: Hashes
    violence_words: Hashes
    leisure_words: Hashes  # sport, film, shows: a trigger among them with no violence is figurative
    figurative_topics: Hashes  # words.json's discourse_words (speech, politics, media) and leisure_words
    place_preps: Hashes  # before a capitalised word that is a place or a date, not a person ("In Kabul,")
    police_agents: Hashes  # police and its officers: an act they are the agent of is a police operation
    reporting_verbs: Hashes
    state_force_heads: Hashes
    state_verb_fillers: Hashes  # between a state's name and its act: "Russia has been bombing"
    state_force_joiners: Hashes  # the words of state_force_heads that only join a force's name, not head it
    target_preps: Hashes
    war_words: Hashes
    identified_victim_heads: Hashes  # "the victim was identified as X": X is a named victim
    identified: int
    police_shooters: Hashes  # police, officer, deputy ...: who shoots in a police shooting
    identify_verbs: Hashes  # "identified / named the dead as": the verbs that open a list of the dead
    list_element_ends: Hashes  # what may follow an unknown head in a list of the dead
    list_joints: Hashes  # "," and ";" between the elements of a list of the dead
    name_suffixes: Hashes  # Jr., III: a suffix that belongs to the name before it
    those: int
    hold_words: Hashes
    generic_act_verbs: Hashes  # "to prevent attacks": a bare plural after them is no reported attack
    trend_verbs: Hashes  # "shootings rose by 20 percent": a bare plural before them is a statistic
    risk_words: Hashes  # "an attack is likely": an indefinite act they predicate is a risk, no reported attack
    build_verbs: Hashes  # "X built the bomb": who made the device
    raid_nouns: Hashes
    shooting_nouns: Hashes
    shooter_nouns: Hashes  # gunman, shooter: a text with one reports an attack, terror words or not
    terror_attack_types: frozenset[str]  # attack types that make a text an attack report (a ramming, a hostage-taking)
    state_and_police_titles: Hashes  # the police and state titles before a name (Officer, President)
    victim_fighters: Hashes  # fighters, rebels, paramilitaries: combatants an attack can kill (not only attackers)
    identified_dead: Hashes
    war_text_words: Hashes  # the war words that make a whole text one about a war (not "battle", "siege")
    figurative_preps: Hashes  # "an assault on voting rights": a trigger whose object is an idea
    figurative_objects: Hashes
    anaphoric_det: Hashes
    war_years: Hashes
    non_state_modifiers: Hashes
    accident_prev: Hashes
    blast_words: Hashes
    device_nouns: Hashes
    device_verbs: Hashes
    ramming_verbs: Hashes  # "drove a truck into the crowd": the verb is the act with a vehicle and into
    vehicle_nouns: Hashes
    fire_verbs: Hashes  # "fired submachinegun volleys at the colonel": the verb is the act with a target
    fire_fillers: Hashes
    fire_preps: Hashes
    time_words: Hashes  # days and months: "was fired on Monday" is a dismissal
    hack_verbs: Hashes  # "hacked to death", "hacked with machetes": a blade attack, not a computer
    hack_context: Hashes
    ramming_preps: Hashes
    ramming_targets: Hashes
    device_objects: Hashes
    device_modifiers: Hashes
    result_verbs: Hashes
    # PERPETRATOR and the people and groups in role
    perp_mods: Hashes
    ordinals: Hashes  # "a second cell": an ordinal determiner, no part of a description (guideline example 6)
    compound_participles: Hashes
    name_connectors: Hashes
    name_infixes: Hashes
    name_stops: Hashes
    name_possessors: Hashes  # "People's": a possessive that is part of a group's name
    not_name_words: Hashes
    learned_connectors: Hashes
    perp_org_bare_ok: Hashes
    partitive_det: Hashes
    person_next: Hashes
    person_before: Hashes
    office_modifiers: Hashes  # "the murder of former President X": before a victim's title
    victim_modifiers: Hashes  # "the dead man": a person described as a victim is no attacker
    person_left: Hashes
    article: Hashes
    role_nouns: Hashes
    role_nouns_in_attack_text: Hashes
    vague_quantities: Hashes
    modifier_heads: Hashes
    name_modifier_heads: Hashes
    agent_verbs: Hashes
    passive_aux: Hashes
    perfect_aux: Hashes  # has, have, had: between a claimant's name and its claim
    role_fillers: Hashes
    not_role_before: Hashes
    by_words: Hashes
    battle_nouns: Hashes  # "fighting / clashes between A and B": A and B are combatants
    between: int
    target_nouns: Hashes  # "Islamic State targets / positions": the name before one is a target
    claim_speech: Hashes  # "said", "says": a group's speech that may claim ("said it had carried out")
    self_pronouns: Hashes  # "it", "they", "its": the group speaking of itself
    claim_act_stops: Hashes  # what ends the object of a claimed "carried out" ("raids| after the bombing")
    claim_act_series: Hashes  # "a series| of bombings": an "of" that does not end it
    claim_act_objects: Hashes  # "carried out the operation": what a group calls its attack
    offence_words: Hashes  # "assault": also the name of an offence
    offence_cues: Hashes  # "suspicion of| assault", "charged with| assault": a charge before it
    crime_motives: Hashes  # "during a robbery": a shooting or stabbing for gain, crime news
    dead_determiners: Hashes  # "among those killed was the| school's principal, X": a description before a name
    blame_failures: Hashes  # "blamed the police for| failing to stop the attack": a failure, not the attack
    allegation_nouns: Hashes  # "denied the allegations| of mismanagement": no attack denied
    legal_participation: Hashes  # "confessed to| helping to prepare the truck": a part in the attack
    base_verbs: Hashes  # the base forms of words.json's verb_forms ("deny", "claim", "take")
    base_form_blockers: Hashes  # "to| take responsibility", "did not| claim": a base form that claims nothing
    relative_openers: Hashes  # "which", "who": a relative clause between a group and its "said"
    police_act_verbs: Hashes  # "Police killed| the gunman in a raid": the raid is the police's
    gerund_openers: Hashes  # "after shooting him": the main clause's subject does the gerund's act
    captive_words: Hashes  # "held hostage by X": the kidnappers hold them
    base_blame: Hashes  # one-word base forms that claim only after a plural or a name ("Officials blame the BNLA")
    collective_subjects: Hashes  # plurals without an -s before a base form ("police blame", "people claim")
    claim_issue_verbs: Hashes  # who "posted a claim of responsibility" made the claim
    murder_words: Hashes  # "accused of murdering": with no word of terror, a crime story
    toll_report_verbs: Hashes  # "an official put the death toll at 30": the official gives it
    state_act_nouns: Hashes  # "wounded during the operation", "killed in clashes": a state's operation or a battle
    victim_modifier_heads: Hashes  # "a security forces| convoy": the victim noun modifies a thing
    foreign_connectors: Hashes  # "Ejército de| Liberación Nacional": small words inside a name in another language
    proxy_participles: Hashes  # "Iran-| backed militias": the noun after is another party, not the state
    responsible_words: Hashes
    claim_channels: Hashes  # "in a video / statement": how a claim was made, not what it is about
    state_possessives: Hashes  # "its strike", "their raids": the act of the sentence's subject
    plan_verbs: Hashes  # "X masterminded / ordered the bombing": its subject is responsible (D1)
    by_group_heads: Hashes  # "carried out by the X": the verbs whose agent is the attack's
    blame_verbs: Hashes  # "blamed the attack on X", "attributed the bombing to X"
    blame_preps: Hashes
    blame_not_parties: Hashes  # words that make the blamed phrase a cause or a state, not a perpetrator
    agent_noun_endings: tuple[str, ...]  # a lower-case blamed phrase names people: "traffickers", "separatists"
    people_endings: tuple[str, ...]  # a lower-case plural of people: "herdsmen", "republicans"
    person_endings: tuple[str, ...]  # a singular person's noun: "caretaker", "watchman", "guard"
    by_heads: Hashes
    work_of_heads: Hashes  # "the work of X", "the hallmarks of X": X is held responsible
    state_org_heads: Hashes
    from_words: Hashes
    place_words: Hashes
    relative: Hashes
    group_nouns: Hashes
    role_modifiers: Hashes
    possessive: Hashes
    conditional_words: Hashes  # "If convicted, X faces 12 years": a legal word under a condition says nothing
    name_nouns: Hashes  # "the name of X" is X: its "of" is no noun's complement
    other_harm_causes: Hashes  # "killed in the fighting", "as protests turned violent": harm no attack caused
    kin_nouns: Hashes  # "the 31-year-old victim / mother": a person noun no attacker's description ends in
    clause_breaks: Hashes  # a relative, subordinate or reported clause between a subject and its second verb
    quotes: Hashes
    person_titles: Hashes
    person_connectors: Hashes
    person_not_before: Hashes
    arrest_verbs: Hashes
    arrested_heads: Hashes
    group_nouns_before_name: Hashes
    person_seed_skip: Hashes
    legal_object_starts: Hashes
    legal_penalty_verbs: Hashes  # "sentenced to a minimum of 52 years": the "of" is the penalty's
    operation_verbs: Hashes  # "officers surrounded the building": a police or army operation's verb
    surrender_words: Hashes  # "opened fire when ordered to surrender": the operation's own word
    legal_pronouns: Hashes  # "indicted him": the perpetrator named in the sentence before
    naming_verbs: Hashes
    personal_claim_verbs: Hashes
    alias_cue_next: Hashes
    origin_heads: Hashes
    list_openers: Hashes
    leader_nouns: Hashes
    person_role_nouns: Hashes
    coreferent_heads: Hashes
    possessive_det: Hashes
    verb_role_nouns: Hashes  # role nouns that are also verbs ("police suspect the Front"), with the words that
    verb_subjects: Hashes  # ... show the verb: a subject before it
    verb_objects: Hashes  # ... and the start of an object after it
    apposition_openers: Hashes  # ", or the Movement of the Future," between a name and its claim
    speaker_nouns: Hashes  # ", the spokesman for the Taliban,": who speaks for the attackers is not one
    threat_verbs: Hashes  # "the cell threatened attacks": its subject is the (would-be) attacker
    murder_verbs: Hashes  # a group's or militants' verbs of killing beside the attack verbs ("the Front murdered")
    unit_nouns: Hashes
    person_stop: Hashes
    org_prefixes: Hashes
    device_place_preps: Hashes  # "a bomb at the tram stop killed": the place before the result verb
    help_verbs: Hashes  # "for helping X prepare the shooting": X is the attacker
    prepare_verbs: Hashes
    preparing_gerunds: Hashes  # "X spent eleven months planning the shooting"
    weapon_nouns: Hashes  # "the rifle that X used" (with the device and vehicle nouns)
    use_verbs: Hashes
    modifier_fillers: Hashes  # "a jihadist van attack": between a modifier and its head
    claim_quick: Hashes  # "was quick to disown": a base form after "to" that is a denial
    acronym_name_heads: Hashes  # "the Group for the Support of Islam and Muslims (JNIM)": a head in the name
    name_joiners: Hashes  # of, for, the, and inside such a name
    parens: Hashes  # "(", for DocContext.where
    alias_words: Hashes  # "also known as", "also spelled": a group's other names
    device_participles: Hashes  # "a car bomb loaded with ... killed": past the load to the result verb
    title_forces: Hashes  # "Police Sergeant X": the force before a title is the title's
    translation_cues: Hashes  # "a name that translates as", "Arabic for", "whose name means": a quoted gloss follows
    affiliation_words: Hashes  # "fighters loyal to X attacked": the role walk passes X
    person_phrase_openers: Hashes  # "men on motorbikes opened fire": the person's means before the act
    ruling_words: Hashes  # "ruled out an attack"
    former_words: Hashes  # "a former militant": no attacker without a role
    behalf_words: Hashes  # "in the name of X", "on behalf of X" after a claim: X claims
    foreign_org_heads: Hashes  # "Frente", "Comando", "Jaish": a group's name opens with them in its own language
    fighter_nouns: Hashes
    tail_org_heads: Hashes  # "Armed Forces of Liberation": a group's head only with a name after it
    member_nouns: Hashes  # "by members of X": X is the attackers' group
    attribute_verbs: Hashes  # "attributed the attack on X to Y": the party after "to"
    to_only: Hashes
    naming_words: Hashes  # "a group known as X", "a group calling itself X"
    naming_ends: Hashes  # the last word before the name: as, itself, called, named
    count_others: Hashes  # "three other men were convicted": between a count and its head
    count_none: Hashes  # "no one was hurt": a count of nobody
    gap_adverbs: Hashes  # "an attack the group also claimed": between a relative clause's subject and verb
    attire_participles: Hashes  # "men dressed in uniforms fired on": a participle clause before the verb
    country_names: Hashes  # a name that is only a country's is a state's, never a perpetrator group
    ramming_drivers: Hashes  # "the driver" of a vehicle ramming: "The driver was identified as X" names the attacker
    group_aliases: dict[str, str]  # a group's other names -> the one it is keyed by (rules/entities.py)
    group_role_modifiers: Hashes  # "the jihadist group": a group's description with a role, a mention of the attackers
    charge_nouns: Hashes  # "charges / the case / four counts of murder against X": X is charged
    charge_preps: Hashes  # "against": where the name of the charged stands after a charge
    age_units: Hashes  # "24-year-old", "nine-month-old": the unit between an age's hyphens
    # CLAIM
    claim_affiliation_words: Hashes  # "believed to belong to", "suspected of being members of": D3 by affiliation
    alleged_words: Hashes  # "his alleged role in the bombing"
    responsible_holders: Hashes  # "an al-Shabaab network responsible for": a named group's unit
    claim_negators: Hashes
    claim_bare: Hashes
    claim_bare_stop: Hashes
    claim_noun_det: Hashes
    claim_needs_context: Hashes
    claim_context: Hashes
    accuse: Hashes
    accused_of_ok: Hashes
    legal_claims: Hashes
    legal_context: Hashes
    legal_crime_context: Hashes
    legal_not_after: Hashes
    legal_generic_charges: Hashes
    clause_claims: Hashes
    legal_modified_heads: Hashes
    denial_subjects: Hashes
    denial_of: Hashes
    that: Hashes
    legal_not_passive: Hashes
    guilty_verbs: Hashes
    guilty: int
    linked: int
    accused_word: int
    charged: int
    attack_nouns: Hashes
    charge_motion_next: Hashes
    claim_modals: Hashes
    terror_markers: Hashes  # words that make a text one about terrorism (D3's legal claims)
    claim_strong_ends: Hashes
    legal_other_offences: Hashes
    legal_not_charges: Hashes
    legal_violent: Hashes
    legal_charge_preps: Hashes
    legal_to: Hashes
    legal_to_charge: Hashes
    legal_any_next: Hashes
    legal_no_charge_next: Hashes
    claim_object_heads: Hashes
    claim_attack_context: Hashes
    claim_object_preps: Hashes
    claim_wh_open: Hashes
    claim_wh_question: Hashes
    claim_no_object: Hashes
    claim_pronoun_objects: Hashes
    responsible: int
    # CASUALTY
    carry_outcome: Hashes
    hedge_words: Hashes
    quantity: Hashes
    casualty_left: Hashes
    casualty_inner: Hashes
    hedge_start: Hashes
    separators: Hashes
    number_join: Hashes
    not_count_next: Hashes
    num_killed_next: Hashes
    num_injured_next: Hashes
    ok_after_number: Hashes
    num_verbs: dict[int, str]  # verb before a number -> outcome
    toll_prev: Hashes
    number_next: Hashes
    number_prev: Hashes
    object_kill_verbs: dict[int, str]
    dead_subjects: dict[int, str]  # "the dead / the victims were ...": the outcome their predicate's victims had
    dead_links: Hashes
    not_adjective: Hashes
    bare_quantity_heads: Hashes
    partitive_heads: Hashes
    plural_heads: Hashes
    relative_stop: Hashes
    past_aux: Hashes
    subject_fillers: Hashes
    passive_victim_cues: Hashes
    death_verbs: Hashes  # "two bodyguards died", "X suffered cuts": the victim as subject, read like a passive's
    name_object_verbs: Hashes  # "assassinated Governor Luis Ortega": an active hurt verb and a name as its object
    passive_subject_aux: Hashes
    not_victim_heads: Hashes
    subject_left: Hashes
    # memoised word shapes (the sets above never change; these only fill up)
    _adverb: dict[int, bool] = field(default_factory=dict, repr=False)
    _adjective: dict[int, bool] = field(default_factory=dict, repr=False)

    def is_adverb(self, lower_hash: int) -> bool:
        """An -ly word ("energetically", "reportedly") may sit between a name and its verb."""
        known = self._adverb.get(lower_hash)
        if known is None:
            known = self._adverb[lower_hash] = self.strings[lower_hash].endswith("ly")
        return known

    def is_adjective_like(self, lower_hash: int) -> bool:
        """A lower-case word that may modify a victim noun ("little", "messenger"), not a function word."""
        known = self._adjective.get(lower_hash)
        if known is None:
            text = self.strings[lower_hash]
            known = self._adjective[lower_hash] = (
                lower_hash not in self.not_adjective and text.isalpha() and text.islower())
        return known

    def is_unknown_word(self, lower_hash: int) -> bool:
        """True for a word after "killing 14" that may be a noun we do not know ("14 Hazara ...")."""
        if not lower_hash or lower_hash in self.ok_after_number:
            return False
        return self.strings[lower_hash].isalpha()


_Hasher = Callable[[Iterable[str]], Hashes]  # words -> their hashes, added to the vocabulary's StringStore


def build_words(nlp: Language, lex: Lexicon) -> Words:
    """The `Words` of `nlp`'s vocabulary (hashes added to its StringStore)."""
    strings = nlp.vocab.strings

    def h(words: Iterable[str]) -> Hashes:
        return frozenset(strings.add(x) for x in words)

    parts: dict[str, Any] = {"strings": strings}
    parts.update(_structure(nlp, lex, h))
    parts.update(_attack(lex, h, strings))
    parts.update(_perpetrator(lex.words, h))
    parts.update(_claim(lex, h))
    parts.update(_casualty(lex.words, h, strings))
    w = lex.words
    parts["person_stop"] = (parts["not_name_words"] | parts["place_words"] | parts["state_org_heads"]
                            | parts["quantity"] | h(w["not_person_words"]))
    lists = [parts[name] for name in POSITIONED]
    parts["positioned_ids"] = frozenset(map(id, lists))
    parts["positioned_array"] = numpy.array(sorted(set().union(*lists)), dtype=numpy.uint64)
    return Words(**parts)


# The word lists the rules look up by position (DocContext.where): one numpy isin per document finds the tokens
# of all of them, and each list is then read from those few.
POSITIONED = ("police_shooters", "identify_verbs", "state_and_police_titles", "tail_org_heads", "ramming_drivers",
              "projectile_nouns", "hold_words", "device_nouns", "naming_verbs", "org_prefixes", "quotes",
              "foreign_org_heads", "parens",
              "claim_speech", "object_kill_verbs", "dead_subjects", "other_harm_causes",
              "operation_verbs", "surrender_words", "help_verbs", "preparing_gerunds", "use_verbs", "charge_preps")


def _structure(nlp: Language, lex: Lexicon, h: _Hasher) -> dict[str, Any]:
    strings = nlp.vocab.strings
    acronyms = frozenset(lex.by_kind("ACRONYM"))
    org_suffixes = frozenset(lex.by_kind("ORGSUFFIX"))
    single = {name: strings.add(word) for name, word in (
        ("the", "the"), ("of", "of"), ("and_", "and"), ("but", "but"), ("comma", ","), ("hyphen", "-"), ("paren", "("),
        ("paren_close", ")"), ("toll", "toll"), ("there", "there"), ("strike", "strike"), ("ethnic", "ethnic"),
        ("involved", "involved"), ("whose", "whose"), ("number", "number"),
        ("at", "at"), ("least", "least"), ("known", "known"), ("also", "also"),
        ("responsibility", "responsibility"), ("in_", "in"), ("from_", "from"), ("to", "to"), ("who", "who"),
        ("with_", "with"), ("on_", "on"),
        ("as_", "as"), ("name", "name"),
        ("year", "year"), ("old", "old"), ("for_", "for"), ("them", "them"), ("off", "off"), ("out", "out"),
        ("those", "those"), ("identified", "identified"), ("among", "among"),
        ("its", "its"), ("or_", "or"),
        ("then", "then"), ("during", "during"), ("since", "since"))}
    return {
        "sent_hashes": tuple(numpy.uint64(strings.add(p)) for p in lex.words["sentence_ends"]),
        "title_abbreviations": h(t for t in lex.words["person_titles"] if t.isalpha() and len(t) <= 4),
        "month_names": h(lex.words["month_names"]),
        "figurative_modifiers": h(lex.words["figurative_modifiers"]),
        "membership_words": h(lex.words["membership_words"]),
        "projectile_nouns": h(lex.words["projectile_nouns"]),
        "acronyms": acronyms, "org_suffixes": org_suffixes,
        "first_orths": h(nlp.make_doc(x)[0].text for x in (*acronyms, *org_suffixes)),
        **single, "got": frozenset((strings.add("got"), strings.add("get"))),
        "find_verbs": frozenset(strings.add(x) for x in ("found", "find", "finds")),
    }


def _attack(lex: Lexicon, h: _Hasher, strings: StringStore) -> dict[str, Any]:
    w = lex.words
    attack_phrases = [p for ps in lex.values("ATK").values() for p in ps]
    return {
        "attack_mods": {strings.add(k): v for k, v in w["attack_modifiers"].items()},
        "attack_verb_starts": h(p.split()[0] for p in attack_phrases
                                if p.split()[0].endswith("ed") or p.split()[0] in w["attack_verb_starts"]),
        "attack_words": h(p for p in attack_phrases if " " not in p),
        "not_attack_prev": h(w["not_attack_prev"]), "not_attack_next": h(w["not_attack_next"]),
        "not_attack_subject": h(w["not_attack_subject"]),
        "labour_strike_mods": h(w["labour_strike_mods"]), "labour_strike_next": h(w["labour_strike_next"]),
        "crowd_agents": h(w["crowd_agents"]), "hypothetical": h(w["hypothetical"]),
        "possibility_modals": h(w["possibility_modals"]), "generic_heads": h(w["generic_heads"]),
        "generic_fillers": h(w["generic_fillers"]),
        "strike_det": h(w["strike_det"]), "attack_base": h(w["attack_base"]), "raid_words": h(w["raid_words"]),
        "state_names": h(w["state_names"]), "police_agents": h(w["police_agents"]), "indefinite": h(("a", "an")),
        "leisure_words": h(w["leisure_words"]),
        "figurative_topics": h([*w["discourse_words"], *w["leisure_words"]]),
        "violence_words": h(w["violence_words"]),
        "place_preps": h(w["place_preps"]), "reporting_verbs": h(w["reporting_verbs"]),
        "state_force_heads": h(w["state_force_heads"]), "state_force_joiners": h(w["state_force_joiners"]),
        "state_verb_fillers": h(w["state_verb_fillers"]),
        "target_preps": h(w["target_preps"]),
        "war_words": h(w["war_words"]), "war_text_words": h(w["war_text_words"]),
        "identified_victim_heads": h(w["identified_victim_heads"]), "identified_dead": h(w["identified_dead"]),
        "police_shooters": h(w["police_shooters"]),
        "list_element_ends": h(w["list_element_ends"]),
        "list_joints": h(w["list_joints"]), "name_suffixes": h(w["name_suffixes"]),
        "hold_words": h(w["hold_words"]),
        "generic_act_verbs": h(w["generic_act_verbs"]), "trend_verbs": h(w["trend_verbs"]),
        "risk_words": h(w["risk_words"]),
        "build_verbs": h(w["build_verbs"]),
        "raid_nouns": h(w["raid_nouns"]), "shooting_nouns": h(w["shooting_nouns"]),
        "shooter_nouns": h(w["shooter_nouns"]), "terror_attack_types": frozenset(w["terror_attack_types"]),
        "state_and_police_titles": h([*w["police_shooters"], *w["state_titles"]]),
        "victim_fighters": h(w["victim_fighters"]),
        "figurative_preps": h(w["figurative_preps"]),
        "figurative_objects": h(w["figurative_objects"]), "anaphoric_det": h(w["anaphoric_det"]),
        "war_years": h(w["war_years"]), "non_state_modifiers": h(w["non_state_modifiers"]),
        "accident_prev": h(w["accident_prev"]),
        "blast_words": h(w["blast_words"]), "device_nouns": h(w["device_nouns"]), "device_verbs": h(w["device_verbs"]),
        "device_objects": h([*w["device_nouns"], *w["device_objects"]]),
        "device_modifiers": h([*w["device_modifiers"], *w["attack_modifiers"]]), "result_verbs": h(w["result_verbs"]),
        "ramming_verbs": h(w["ramming_verbs"]), "vehicle_nouns": h(w["vehicle_nouns"]),
        "fire_verbs": h(w["fire_verbs"]), "fire_fillers": h(w["fire_fillers"]), "fire_preps": h(w["fire_preps"]),
        "time_words": h(w["time_words"]), "hack_verbs": h(w["hack_verbs"]),
        "hack_context": h(w["hack_context"]),
        "ramming_preps": h(w["ramming_preps"]), "ramming_targets": h(w["ramming_targets"]),
        "operation_verbs": h(w["operation_verbs"]), "surrender_words": h(w["surrender_words"]),
    }


def _perpetrator(w: dict[str, Any], h: _Hasher) -> dict[str, Any]:
    names = {  # field -> words.json key
        "perp_mods": "perp_modifiers", "ordinals": "ordinals", "compound_participles": "compound_participles",
        "name_connectors": "name_connectors", "name_infixes": "name_infixes", "name_stops": "name_stops",
        "name_possessors": "name_possessors",
        "not_name_words": "not_name_words", "learned_connectors": "learned_connectors",
        "perp_org_bare_ok": "perp_org_bare_ok", "partitive_det": "partitive_det",
        "person_next": "person_as_perp_next", "person_before": "person_as_perp_before",
        "victim_modifiers": "victim_modifiers", "office_modifiers": "office_modifiers",
        "person_left": "person_left", "article": "article", "role_nouns": "role_nouns",
        "role_nouns_in_attack_text": "role_nouns_in_attack_text", "vague_quantities": "vague_quantities",
        "modifier_heads": "modifier_heads", "name_modifier_heads": "name_modifier_heads",
        "agent_verbs": "agent_verbs_strong", "passive_aux": "passive_aux", "perfect_aux": "perfect_aux",
        "not_role_before": "not_role_before",
        "by_words": "by_words", "by_heads": "by_heads", "work_of_heads": "work_of_heads",
        "state_org_heads": "state_org_heads",
        "from_words": "from_after_attack", "place_words": "place_words", "relative": "relative_words",
        "group_nouns": "group_nouns", "role_modifiers": "role_modifiers", "possessive": "possessive",
        "clause_breaks": "clause_breaks", "kin_nouns": "kin_nouns",
        "other_harm_causes": "other_harm_causes", "name_nouns": "name_nouns",
        "conditional_words": "conditional_words",
        "quotes": "quotes", "person_titles": "person_titles", "person_connectors": "person_name_connectors",
        "person_not_before": "person_not_before", "arrest_verbs": "arrest_verbs", "arrested_heads": "arrested_heads",
        "group_nouns_before_name": "group_nouns_before_name", "person_seed_skip": "person_seed_skip",
        "legal_object_starts": "legal_object_starts", "naming_verbs": "naming_verbs",
        "personal_claim_verbs": "personal_claim_verbs", "alias_cue_next": "alias_cue_next",
        "origin_heads": "origin_heads", "list_openers": "list_openers",
        "leader_nouns": "leader_nouns",
        "person_role_nouns": "person_role_nouns", "coreferent_heads": "coreferent_heads", "unit_nouns": "unit_nouns",
        "possessive_det": "possessive_determiners",
        "verb_role_nouns": "verb_role_nouns", "verb_subjects": "verb_subjects", "verb_objects": "verb_objects",
        "murder_verbs": "murder_verbs", "threat_verbs": "threat_verbs", "apposition_openers": "apposition_openers",
        "speaker_nouns": "speaker_nouns",
        "member_nouns": "member_nouns", "attribute_verbs": "attribute_verbs",
        "naming_words": "naming_words", "naming_ends": "naming_ends", "count_others": "count_others",
        "count_none": "count_none", "gap_adverbs": "gap_adverbs",
        "attire_participles": "attire_participles", "country_names": "country_names",
    }
    out: dict[str, Any] = {name: h(w[key]) for name, key in names.items()}
    out["role_fillers"] = h([*w["role_fillers"], ","])
    out["by_group_heads"] = h(w["by_group_heads"])
    out["plan_verbs"] = h(w["plan_verbs"])
    out["state_possessives"] = h(["its", "their"])
    out["claim_channels"] = h(w["claim_channels"])
    out["claim_speech"] = h(["said", "says", "say"])
    out["claim_act_stops"] = h(w["claim_act_stops"])
    out["claim_act_series"] = h(w["claim_act_series"])
    out["claim_act_objects"] = h(w["claim_act_objects"])
    out["offence_words"] = h(w["offence_words"])
    out["offence_cues"] = h(w["offence_cues"])
    out["crime_motives"] = h(w["crime_motives"])
    out["dead_determiners"] = h(w["dead_determiners"])
    out["blame_failures"] = h(w["blame_failures"])
    out["allegation_nouns"] = h(w["allegation_nouns"])
    out["legal_participation"] = h(w["legal_participation"])
    out["base_verbs"] = h(p[0] for p in w["verb_forms"])
    out["base_form_blockers"] = h(w["base_form_blockers"])
    out["relative_openers"] = h(["which", "who"])
    out["police_act_verbs"] = h(w["police_act_verbs"])
    out["state_act_nouns"] = h(w["state_act_nouns"])
    out["toll_report_verbs"] = h(w["toll_report_verbs"])
    out["murder_words"] = h(w["murder_words"])
    out["captive_words"] = h(w["captive_words"])
    out["base_blame"] = h(w["base_blame"])
    out["collective_subjects"] = h(w["collective_subjects"])
    out["claim_issue_verbs"] = h(w["claim_issue_verbs"])
    out["gerund_openers"] = h(w["gerund_openers"])
    out["victim_modifier_heads"] = h(w["victim_modifier_heads"])
    out["foreign_connectors"] = h(w["foreign_connectors"])
    out["proxy_participles"] = h(w["proxy_participles"])
    out["self_pronouns"] = h(["it", "they", "its"])
    out["person_pronouns"] = h(["he", "she"])
    out["responsible_words"] = h(["responsible", "behind"])
    out["target_nouns"] = h(w["target_nouns"])
    out["battle_nouns"] = h(w["battle_nouns"])
    (out["between"],) = h(["between"])
    out["blame_verbs"], out["blame_preps"] = h(w["blame_verbs"]), h(w["blame_preps"])
    out["blame_not_parties"] = h([*w["blame_not_parties"], *w["state_names"], *w["police_agents"],
                                  *w["state_force_heads"]])
    out["agent_noun_endings"] = tuple(w["agent_noun_endings"])
    out["people_endings"] = tuple(w["people_endings"])
    out["person_endings"] = tuple(w["person_endings"])
    out["org_prefixes"] = h(w["org_prefixes"])
    out["foreign_org_heads"] = h(w["foreign_org_heads"])
    out["behalf_words"] = h(w["behalf_words"])
    out["former_words"] = h(w["former_words"])
    out["ruling_words"] = h(w["ruling_words"])
    out["person_phrase_openers"] = h(w["person_phrase_openers"])
    out["affiliation_words"] = h(w["affiliation_words"])
    out["translation_cues"] = h(w["translation_cues"])
    out["title_forces"] = h(w["title_forces"])
    out["device_participles"] = h(w["device_participles"])
    out["alias_words"] = h(w["alias_words"])
    out["acronym_name_heads"] = h(w["acronym_name_heads"])
    out["name_joiners"] = h(w["name_joiners"])
    out["parens"] = h(["("])
    out["claim_quick"] = h(w["claim_quick"])
    out["modifier_fillers"] = h(w["modifier_fillers"])
    for key in ("help_verbs", "prepare_verbs", "preparing_gerunds", "use_verbs", "group_role_modifiers", "charge_nouns",
                "charge_preps", "age_units"):
        out[key] = h(w[key])
    out["weapon_nouns"] = h([*w["weapon_nouns"], *w["device_nouns"], *w["vehicle_nouns"]])
    out["device_place_preps"] = h(w["device_place_preps"])
    out["fighter_nouns"] = h(w["fighter_nouns"])
    out["to_only"] = h(["to"])
    out["ramming_drivers"] = h(w["ramming_drivers"])
    out["tail_org_heads"] = h(w["tail_org_heads"])
    out["group_aliases"] = {alias: name for name, aliases in w["group_aliases"].items() for alias in aliases}
    return out


def _claim(lex: Lexicon, h: _Hasher) -> dict[str, Any]:
    w = lex.words
    attack_phrases = [p for ps in lex.values("ATK").values() for p in ps]
    same_name = ("claim_negators", "claim_bare", "claim_noun_det", "claim_context", "accused_of_ok", "legal_claims",
                 "legal_context", "legal_crime_context", "legal_not_after", "legal_other_offences",
                 "legal_not_charges", "legal_violent", "legal_charge_preps", "legal_to_charge", "legal_any_next",
                 "legal_no_charge_next", "legal_not_passive", "guilty_verbs", "charge_motion_next", "claim_modals",
                 "claim_strong_ends", "claim_object_heads", "claim_wh_open", "claim_wh_question", "claim_no_object",
                 "claim_pronoun_objects", "claim_object_preps", "legal_generic_charges", "clause_claims",
                 "legal_modified_heads", "denial_subjects", "legal_pronouns", "legal_penalty_verbs",
                 "claim_affiliation_words", "alleged_words", "responsible_holders")
    out: dict[str, Any] = {k: h(w[k]) for k in same_name}
    out.update({name: next(iter(h([word]))) for name, word in (
        ("guilty", "guilty"), ("linked", "linked"), ("accused_word", "accused"), ("charged", "charged"),
        ("responsible", "responsible"))})
    attack_nouns = (h([*w["legal_context"], *w["legal_crime_context"], *w["claim_context"]])
                    - h(["responsibility", "responsible"]))
    out.update({
        "claim_bare_stop": h(w["claim_bare_stop_next"]), "claim_needs_context": h(w["claim_needs_attack"]),
        "claim_context": h([*w["claim_context"], *attack_phrases]), "accuse": h(w["accuse_verbs"]),
        "legal_to": h(["to"]), "attack_nouns": attack_nouns, "that": h(["that"]),
        "denial_of": h(w["denial_of"]),
        "claim_attack_context": h([*w["claim_context"], *attack_phrases]) - h(["responsibility", "responsible"]),
        "terror_markers": h(w["terror_markers"]),
    })
    return out


def _casualty(w: dict[str, Any], h: _Hasher, strings: StringStore) -> dict[str, Any]:
    def hmap(mapping: dict[str, str], *, drop_empty: bool = False) -> dict[int, str]:
        return {strings.add(k): v for k, v in mapping.items() if v or not drop_empty}

    out: dict[str, Any] = {
        "carry_outcome": h(w["carry_outcome_words"]), "hedge_words": h(w["hedge_words"]),
        "quantity": h(w["quantity_words"]),
        "casualty_left": h([*w["casualty_left"], *w["hedge_words"], *w["quantity_words"]]),
        "casualty_inner": h(w["casualty_inner"]), "hedge_start": h(w["hedge_start_ok"]),
        "separators": h(w["casualty_separators"]), "number_join": h(w["number_join"]),
        "not_count_next": h(w["not_count_next"]), "num_killed_next": h(w["num_killed_next"]),
        "num_injured_next": h(w["num_injured_next"]), "ok_after_number": h(w["ok_after_number"]),
        "num_verbs": hmap(w["num_verb_before"], drop_empty=True), "toll_prev": h(w["toll_prev"]),
        "object_kill_verbs": hmap(w["object_kill_verbs"]), "dead_subjects": hmap(w["dead_subjects"]),
        "dead_links": h(w["dead_links"]),
        "identify_verbs": h(w["identify_verbs"]),
        "not_adjective": h(w["not_adjective_words"]),
        "bare_quantity_heads": h(w["bare_quantity_heads"]), "partitive_heads": h(w["partitive_victim_heads"]),
        "plural_heads": h(w["bare_plural_heads"]), "relative_stop": h(w["bare_subject_stops"]),
        "past_aux": h(w["past_passive_aux"]), "subject_fillers": h(w["subject_fillers"]),
        "passive_victim_cues": h(x.split()[0] for x in w["passive_victim_cues"]),
        "death_verbs": h(w["death_verbs"]), "name_object_verbs": h(w["name_object_verbs"]),
        "passive_subject_aux": h(w["passive_subject_aux"]), "not_victim_heads": h(w["not_victim_heads"]),
        "subject_left": h(w["subject_left"]),
    }
    out["number_next"] = out["num_killed_next"] | out["num_injured_next"] | out["number_join"]
    out["number_prev"] = frozenset(out["num_verbs"]) | out["toll_prev"] | out["hedge_words"]
    return out
