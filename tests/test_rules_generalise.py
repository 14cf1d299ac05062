"""incident-rules-3, -4 and -5 (issue 28): each surface variation and each guideline decision D1-D6, on invented
sentences.

Every text here is made up; none comes from a gold set. What each test pins is what guideline version 2
(schema/guideline.md, D1-D6) asks an annotator to draw.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.lexicon import inflect, load
from incident_corpus.preannotate.rules.entities import skeleton
from incident_corpus.preannotate.runner import Preannotator
from incident_corpus.preannotate.surface import squeeze
from tests.test_preannotate import check_result


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


def spans(pre: Preannotator, text: str, label: str | None = None) -> list[str]:
    result = pre.annotate(text)
    check_result(text, result)
    return [s["text"] for s in result["spans"] if label is None or s["label"] == label]


def labelled(pre: Preannotator, text: str) -> list[tuple[str, str]]:
    result = pre.annotate(text)
    check_result(text, result)
    return [(s["label"], s["text"]) for s in result["spans"]]


# ------------------------------------------------------------------------------ surface variation

def test_squeeze_maps_every_character_back() -> None:
    text = "wounding  twelve\t police\n\nofficers"
    squeezed, where = squeeze(text)
    assert squeezed == "wounding twelve police\n\nofficers"
    assert where is not None and len(where) == len(squeezed)
    assert all(text[where[i]] == c or c == " " for i, c in enumerate(squeezed))
    assert squeeze("one space only\n\nand a paragraph") == ("one space only\n\nand a paragraph", None)


def test_runs_of_spaces_from_pdf_conversion(pre: Preannotator) -> None:
    text = ("Militants  attacked a police post in Kano on Monday, wounding  twelve  police  officers, and the "
            "Dark Harbour Gang  claimed  responsibility.")
    got = labelled(pre, text)  # check_result: text[start:end] == span text, with the inner spaces
    assert ("CASUALTY", "twelve  police  officers") in got
    assert ("CLAIM", "claimed  responsibility") in got
    assert ("PERPETRATOR", "Dark Harbour Gang") in got


def test_title_case_headline(pre: Preannotator) -> None:
    # the guideline's own headline example (D4)
    got = labelled(pre, "Gunmen Kill 12 At Market; Rebel Army Claims Attack")
    assert got == [("PERPETRATOR", "Gunmen"), ("CASUALTY", "12"), ("PERPETRATOR", "Rebel Army"),
                   ("CLAIM", "Claims"), ("ATTACK", "Attack")]


def test_all_capitals_read_as_prose(pre: Preannotator) -> None:
    # a line in capitals is recased before the rules read it (recase.py, tests/test_recase.py): the lexicon's
    # acronym is found, and capitals alone make no word an acronym or a name
    assert spans(pre, "A bomb exploded in Ankara. Police said TAK was behind the bombing.", "PERPETRATOR") == ["TAK"]
    assert spans(pre, "A BOMB EXPLODED IN ANKARA. POLICE SAID TAK WAS BEHIND THE BOMBING.", "PERPETRATOR") == ["TAK"]
    assert spans(pre, "A BOMB EXPLODED IN ANKARA. POLICE SAID THE BOMBING WAS UNDER INVESTIGATION.",
                 "PERPETRATOR") == []


@pytest.mark.parametrize("claim", ["accepts responsibility", "has claimed responsibility",
                                   "acknowledges responsibility", "took responsibility", "is taking responsibility",
                                   "claimed the bombing"])
def test_claims_in_every_tense(pre: Preannotator, claim: str) -> None:
    text = f"A bomb exploded at the market, killing 9 people. The Black Reed Front {claim}"
    if not claim.endswith("bombing"):
        text += " for the bombing"
    text += "."
    got = labelled(pre, text)
    assert ("PERPETRATOR", "Black Reed Front") in got
    assert [t for label, t in got if label == "CLAIM"] == [claim.removeprefix("has ").removeprefix("is ")
                                                          .removesuffix(" the bombing")]


def test_base_form_is_not_a_claim(pre: Preannotator) -> None:
    text = "A bomb exploded at the market. The minister said the city must take responsibility for its roads."
    assert spans(pre, text, "CLAIM") == []


def test_inflect_expands_verb_phrases_but_not_to_the_base_form() -> None:
    paradigms = load().words["verb_forms"]
    got = inflect(["accepted responsibility", "claimed"], paradigms)
    assert {"accepted responsibility", "accepts responsibility", "accepting responsibility", "claimed"} == set(got)
    assert "accept responsibility" not in got


def test_dateline_before_the_subject(pre: Preannotator) -> None:
    text = "LAGOS - Boko Haram on Monday claimed the bombing that killed 9 people at a market."
    got = labelled(pre, text)
    assert ("PERPETRATOR", "Boko Haram") in got and ("CLAIM", "claimed") in got and ("CASUALTY", "9 people") in got


def test_transliteration_variants_are_one_group(pre: Preannotator) -> None:
    assert skeleton("tehrik i taliban pakistan") == skeleton("tehreek e taliban pakistan")
    assert skeleton("hezbollah") == skeleton("hizbollah")
    text = ("The Tehrik-i-Taliban Pakistan claimed the blast in Quetta. "
            "Analysts say Tehreek-e-Taliban Pakistan has grown stronger.")
    assert spans(pre, text, "PERPETRATOR") == ["Tehrik-i-Taliban Pakistan", "Tehreek-e-Taliban Pakistan"]


@pytest.mark.parametrize("name", ["Crimson Cell", "Dark Harbour Gang", "Red Hand Brigades", "Ulster Freedom Front",
                                  "Provisional Ulster Council", "Saffron Liberation Army"])
def test_group_name_shapes(pre: Preannotator, name: str) -> None:
    text = f"The {name} attacked a bank in the capital on Friday, killing 3 guards."
    assert spans(pre, text, "PERPETRATOR") == [name]


def test_acronym_introduced_in_parentheses_is_the_same_group(pre: Preannotator) -> None:
    text = ("The Baloch Liberation Army (BLA) claimed responsibility for the bombing that killed 12 people. "
            "Analysts say the BLA has grown. Students wrote about BLA history.")
    assert spans(pre, text, "PERPETRATOR") == ["Baloch Liberation Army", "BLA", "BLA", "BLA"]


# ------------------------------------------------------------------------------ D1: entity-level PERPETRATOR

def test_d1_every_mention_of_a_group_tied_to_the_attack(pre: Preannotator) -> None:
    text = ("Al-Shabaab fighters stormed the hotel on Friday, killing 20 people. The government has long "
            "fought al-Shabaab. Talks with al-Shabaab failed in May.")
    assert spans(pre, text, "PERPETRATOR") == ["Al-Shabaab fighters", "al-Shabaab", "al-Shabaab"]


def test_d1_aliases_are_one_entity(pre: Preannotator) -> None:
    text = "Islamic State claimed the bombing in Kabul. The threat posed by ISIS is growing, and Daesh recruits."
    assert spans(pre, text, "PERPETRATOR") == ["Islamic State", "ISIS", "Daesh"]


def test_d1_a_group_never_tied_to_an_attack_is_not_marked(pre: Preannotator) -> None:
    text = "A bomb exploded at the market, killing 9 people. Analysts have long studied ISIS."
    assert spans(pre, text, "PERPETRATOR") == []


def test_d1_every_mention_of_a_person_but_not_a_relative(pre: Preannotator) -> None:
    text = ("A court heard that Arlen Voss planted the bomb that killed 3 people. Voss's lawyer spoke. "
            "His father, Karl Voss, wept. Arlen sat still.")
    assert spans(pre, text, "PERPETRATOR") == ["Arlen Voss", "Voss", "Arlen"]


def test_d1_definite_generic_heads_are_not_mentions(pre: Preannotator) -> None:
    text = ("A man stabbed eight people at the station. The man was arrested. His brother was questioned. "
            "Two men blew themselves up at a checkpoint.")
    assert spans(pre, text, "PERPETRATOR") == ["man", "Two men"]


def test_d1_definite_repeat_of_a_role_noun_in_role(pre: Preannotator) -> None:
    text = "Militants stormed the hotel on Friday. Police hunted the militants for days."
    assert spans(pre, text, "PERPETRATOR") == ["Militants", "militants"]


def test_d1_apposition_needs_a_role_noun_phrase(pre: Preannotator) -> None:
    text = "Humayon Khan, killed by a suicide bomber in Iraq, was honoured at the ceremony."
    assert spans(pre, text, "PERPETRATOR") == ["suicide bomber"]


# ------------------------------------------------------------------------------ D3: legal and official CLAIMs

def test_d3_legal_forms(pre: Preannotator) -> None:
    text = ("After the bombing of the mosque, Ali Vance was indicted for the bombing and pleaded not guilty to "
            "the bombing charges. Omar Vance confessed to the attack. Mara Quell was found guilty of the bombing.")
    result = pre.annotate(text)
    check_result(text, result)
    claims = [(s["text"], s["attributes"]["claim_status"]) for s in result["spans"] if s["label"] == "CLAIM"]
    assert claims == [("indicted", "attributed"), ("pleaded not guilty", "denied"), ("confessed", "claimed"),
                      ("found guilty", "attributed")]
    assert spans(pre, text, "PERPETRATOR")[:2] == ["Ali Vance", "Omar Vance"]


@pytest.mark.parametrize("text", [
    "A bomb exploded at the market. Ivo Brandt was not indicted for the bombing.",
    "A bomb exploded at the market. The mayor was indicted for fraud on Monday.",
    "A bomb exploded at the market. He pleaded not guilty to lying to federal agents.",
])
def test_d3_legal_forms_need_the_attack_and_no_negation(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


# ------------------------------------------------------------------------------ D4, D5, D6

def test_d4_section_heading(pre: Preannotator) -> None:
    text = "==The attack==A suicide bomber blew himself up, killing 4 soldiers."
    assert spans(pre, text, "ATTACK") == ["attack", "blew himself up"]


def test_d5_device_subject_and_device_verbs(pre: Preannotator) -> None:
    text = ("A car bomb killed 12 people in Kano on Monday. A roadside bomb wounded three soldiers. "
            "Police said a second bomb had been placed at the gate. Volunteers planted 300 trees.")
    assert spans(pre, text, "ATTACK") == ["car bomb", "roadside bomb", "placed"]


def test_d6_named_and_described_victims_of_a_passive(pre: Preannotator) -> None:
    text = ("A bomb went off at the rally. Three counter-protesters were stabbed, a 64-year-old veteran was "
            "murdered and Ali Vance was shot dead. Soldiers were killed in such wars, the minister said.")
    assert spans(pre, text, "CASUALTY") == ["Three counter-protesters", "a 64-year-old veteran", "Ali Vance"]


# ------------------------------------------------------------------------------ general news: no spans

@pytest.mark.parametrize("text", [
    "Russia's bombing in Syria has destroyed hospitals, aid groups say.",
    "Japanese air forces attacked the U.S. Navy base on Midway in 1942.",
    "It was the latest strike by Russia in Damascus, the monitor said.",
    "Syrian forces shelled the town as the offensive went on, and the attack lasted hours.",
    "The senator was acquitted of sexual assault on Tuesday.",
    "The campaign released a political attack ad on Monday.",
    "A gas explosion leveled an apartment complex on Wednesday.",
    "An officer opened fire on the car, the department said.",
    "The shooting of the driver by a police officer sparked protests.",
    "The shooting by police of a teenager sparked protests.",
])
def test_acts_of_war_accidents_and_figures_of_speech_are_not_attacks(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


@pytest.mark.parametrize("text", [
    "A suicide bomber attacked Syrian forces in Homs, killing 20 soldiers.",
    "An attack on Syrian forces killed 20 soldiers near the airport.",
    "Gunmen attacked a market during the offensive, witnesses said.",
    "Police said the attack on the market began at noon.",
    "Police say a gunman opened fire on the crowd.",
    "The bomber attacked police officers at the checkpoint.",
])
def test_attacks_on_state_forces_and_in_wartime_stay(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK")


def test_d1_role_heads_in_an_attack_report(pre: Preannotator) -> None:
    text = ("A bomb exploded at the market on Monday. Police set up roadblocks to find the terrorists. "
            "Her killer had been arrested before. Officers questioned rebels involved in the attack.")
    assert spans(pre, text, "PERPETRATOR") == ["terrorists", "killer", "rebels"]
    # the same nouns in a text that reports no attack: speech about terrorism is not a perpetrator
    assert spans(pre, "The senator said terrorists and killers must face justice.", "PERPETRATOR") == []


def test_d6_conjoined_and_appositive_passive_subjects(pre: Preannotator) -> None:
    text = ("A bomb went off at the consulate. A U.S. ambassador and three other Americans were killed in the "
            "attack. My cousin, known as Becky, was murdered in the attack.")
    assert spans(pre, text, "CASUALTY") == ["A U.S. ambassador", "three other Americans", "Becky"]


def test_a_states_act_is_followed_into_the_next_sentence(pre: Preannotator) -> None:
    text = ("It was the latest strike by Russia in Damascus on a civilian target. A spokesman said the attack "
            "occurred outside the city.")
    assert spans(pre, text, "ATTACK") == []
    # a non-state actor named in the next sentence keeps its attack
    text2 = ("It was the latest strike by Russia in Damascus. The next day gunmen said the attack on the "
             "checkpoint was theirs.")
    assert spans(pre, text2, "ATTACK") == ["attack"]


def test_world_war_history_is_not_an_attack(pre: Preannotator) -> None:
    text = "The second bomb was dropped on August 9, 1945. Tens of thousands were killed in the Nagasaki blast."
    assert spans(pre, text, "ATTACK") == []


def test_an_unknown_acronym_before_a_fighter_noun_names_the_group(pre: Preannotator) -> None:
    text = ("QRF militants attacked a village on Friday, killing 12 people. Analysts say the QRF is growing. "
            "The news agency, which is linked to Islamic State, said IS militants had detonated a car bomb.")
    assert spans(pre, text, "PERPETRATOR") == ["QRF militants", "QRF", "Islamic State", "IS militants"]


def test_an_explosion_needs_a_device_or_an_attacker(pre: Preannotator) -> None:
    assert spans(pre, "A massive explosion and fire leveled an apartment complex, injuring 30 people.", "ATTACK") == []
    assert spans(pre, "A massive explosion at the market killed 30 people. Police found parts of a bomb.",
                 "ATTACK") == ["explosion"]


def test_d1_a_known_group_in_the_sentence_of_the_attack(pre: Preannotator) -> None:
    text = ("The bombing of the market in Kandahar, where the Taliban is strong, killed 12 people. "
            "Officials warned about the threat posed by Al-Shabaab after the attack.")
    assert spans(pre, text, "PERPETRATOR") == ["Taliban"]  # not Al-Shabaab: background (threat posed by)


@pytest.mark.parametrize(("text", "victim"), [
    # D6 (schema/guideline.md): a description after the name in apposition stays out
    ("A car bomb exploded in 2004. His son Humayun, an Army captain who was killed in the bombing, was 27.",
     "Humayun"),
    ("A bomb went off at the cafe. Among the dead was Maria Lopez, a 34-year-old teacher.", "Maria Lopez"),
    ("A bomb exploded in the market. Anna Berg, a nurse, died at the scene.", "Anna Berg"),
])
def test_d6_a_named_victim_not_its_description_after_it(pre: Preannotator, text: str, victim: str) -> None:
    assert spans(pre, text, "CASUALTY") == [victim]


def test_d6_a_place_before_the_victim_is_not_its_name(pre: Preannotator) -> None:
    text = "A bomb exploded at the market. In Kabul, a policeman was killed in the blast."
    assert spans(pre, text, "CASUALTY") == ["a policeman"]


@pytest.mark.parametrize("text", [
    "Clinton attacked her rival's policies during the debate.",
    "The governor came under attack from critics after the vote.",
    "Trump launched a fresh attack on the media at a rally in Ohio.",
    "Critics say the bill is an assault on voting rights.",
])
def test_attacks_in_words_are_not_attacks(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


@pytest.mark.parametrize("text", [
    "A suicide bomber attacked a campaign rally, killing 12 people.",
    "The Pakistani Taliban claimed responsibility for the assault in a message sent to journalists.",
    "The attack on the rally is the latest in a wave of violence before the election.",
    "Gunmen attacked the party offices during the election campaign.",
])
def test_violence_beside_politics_is_still_an_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK")


def test_a_victim_killed_by_an_attacker_without_an_attack_word(pre: Preannotator) -> None:
    text = "Khan spoke of his son, Humayon Khan, killed by a suicide bomber in Iraq."
    assert spans(pre, text, "CASUALTY") == ["Humayon Khan"]
    assert spans(pre, "Khan spoke of his son, Humayon Khan, killed in Iraq.", "CASUALTY") == []


def test_a_year_is_not_a_toll(pre: Preannotator) -> None:
    text = "The massacre at Srebrenica in 1995 killed 8,000 Muslim men and boys."
    # the bare conjunct shares the count: one span, as the team gold's "ten Black shoppers and employees"
    assert spans(pre, text, "CASUALTY") == ["8,000 Muslim men and boys"]


def test_a_police_raid_is_not_an_attack(pre: Preannotator) -> None:
    assert spans(pre, "Police killed three suspected drug dealers in a raid in Manila.", "ATTACK") == []
    assert spans(pre, "Militants killed three police officers in a raid on the station.", "ATTACK") == ["raid"]
# ------------------------------------------------------------------------------ CLAIM: precision in general news

_BOMB = "A bomb exploded at the market, killing 9 people. "


@pytest.mark.parametrize("text", [
    _BOMB + "Police are responsible for security at the school.",
    _BOMB + "The governor, who is responsible for the province, resigned.",
    _BOMB + "Putin claimed that the West was responsible for the crisis.",
    _BOMB + "Those who are responsible will be punished, the president said.",
    _BOMB + "He was behind the wheel of a stolen car when police stopped him.",
    _BOMB + "Israel is behind the sanctions campaign, Iran says.",
    _BOMB + "Nobody knows who was behind the bombing.",
    _BOMB + "Who is behind the strikes remains unclear.",
    _BOMB + "Russia claims it only targets terrorists.",
    _BOMB + "The rebels claimed victory after the battle.",
    _BOMB + "Police closed the roads. The prime minister took responsibility for the election defeat.",
])
def test_claims_about_something_else_are_not_claims(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize(("text", "claim"), [
    (_BOMB + "Police believe the Black Reed Front was behind the bombing.", "was behind"),
    (_BOMB + "Officials said the Black Reed Front was behind it.", "was behind"),
    (_BOMB + "Police concluded that the Black Reed Front were responsible.", "were responsible"),
    (_BOMB + "The Black Reed Front is responsible for the attack.", "is responsible"),
    (_BOMB + "Police hunted the man who was behind the bombing.", "was behind"),
    (_BOMB + "The Black Reed Front claimed they were responsible.", "claimed"),
    (_BOMB + "Police closed the roads. The Black Reed Front claimed responsibility.", "claimed responsibility"),
])
def test_claims_for_the_reported_attack_stay(pre: Preannotator, text: str, claim: str) -> None:
    assert spans(pre, text, "CLAIM") == [claim]


# ------------------------------------------------------------------------------ D3: legal forms, and what they are not

@pytest.mark.parametrize(("text", "claims"), [
    (_BOMB + "Prosecutors charged Karim Dahl, 24, with the market bombing. Dahl pleaded not guilty on Tuesday.",
     [("charged", "attributed"), ("pleaded not guilty", "denied")]),
    ("A court convicted Salah Abdeslam of murder over the November attacks.", [("convicted", "attributed")]),
    (_BOMB + "Dahl was sentenced to life.", [("sentenced", "attributed")]),
    (_BOMB + "The suspect was charged with terrorism offences.", [("charged", "attributed")]),
    (_BOMB + "The suspect was charged with murder.", [("charged", "attributed")]),
    (_BOMB + "Five men were arrested over the bombing. They were all indicted.", [("indicted", "attributed")]),
    (_BOMB + "Dahl admitted planting the bomb.", [("admitted", "claimed")]),
    (_BOMB + "The jury found Dahl guilty of the bombing.", [("guilty", "attributed")]),
    (_BOMB + "Dahl is awaiting trial on charges that carry the death penalty.", [("charges", "attributed")]),
    (_BOMB + "Ali Vance pleaded not guilty to the bombing charges.", [("pleaded not guilty", "denied")]),
    (_BOMB + "Police said the bomber confessed. The Black Reed Front has been linked to two earlier shootings.",
     [("confessed", "claimed"), ("linked", "attributed")]),
    (_BOMB + "Dahl pleaded not guilty to all charges.", [("pleaded not guilty", "denied")]),
    (_BOMB + "Dahl was convicted on all 30 counts.", [("convicted", "attributed")]),
    (_BOMB + "The Black Reed Front denied that it carried out the bombing. Dahl denies planting the bomb.",
     [("denied", "denied"), ("denies", "denied")]),
    (_BOMB + "The group denies any part in the attack.", [("denies any part", "denied")]),
    ("The Black Reed Front acknowledged on Monday that its commandos had carried out the bombing.",
     [("acknowledged", "claimed")]),
    (_BOMB + "The bombing has been linked to the Black Reed Front.", [("linked", "attributed")]),
    (_BOMB + "The three accused denied the bombing.", [("denied", "denied")]),
    ("A court in Lyon sentenced a 26-year-old man to life in prison for the knife attack.",
     [("sentenced", "attributed")]),
])
def test_d3_legal_attribution(pre: Preannotator, text: str, claims: list[tuple[str, str]]) -> None:
    result = pre.annotate(text)
    check_result(text, result)
    assert [(s["text"], s["attributes"]["claim_status"]) for s in result["spans"] if s["label"] == "CLAIM"] == claims


@pytest.mark.parametrize("text", [
    _BOMB + "Twelve people were admitted to hospital after the bombing.",
    _BOMB + "The senator was charged with bribery last year.",
    _BOMB + "The general was sentenced to 10 years in prison for corruption.",
    _BOMB + "The former president was convicted of fraud in 2015.",
    _BOMB + "The mayor admitted he had made mistakes.",
    _BOMB + "The atmosphere in the city was politically charged.",
    _BOMB + "The attackers placed explosive charges at the gate.",
    _BOMB + "Riot police charged into the crowd after the attack.",
    _BOMB + "The government has been linked to human rights abuses.",
    _BOMB + "Militants linked to al-Qaeda attacked the base.",
    _BOMB + "A student was found guilty of obstruction of justice in the bombing investigation.",
    _BOMB + "He pleaded not guilty to lying to investigators about the bombing.",
    _BOMB + "The jury found Dahl not guilty of the bombing.",
    _BOMB + "Police arrested a man. He was questioned for hours. He was charged on Friday.",
    _BOMB + "The attack should be blamed on a YouTube video, she suggested.",
    _BOMB + "The men face life in prison if convicted.",
    _BOMB + "The accused, Karim Dahl, appeared in court over the bombing.",
    _BOMB + "A court has convicted a friend of bombing suspect Karim Dahl.",
    _BOMB + "The minister acknowledged that the attack exposed failures.",
    _BOMB + "The minister denied that the attack was a failure of intelligence.",
    _BOMB + "The ministry denied the report about the bombing.",
    "A man shot dead his neighbour in a bar. He was charged with murder and pleaded not guilty on Monday.",
])
def test_d3_legal_words_about_something_else(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


# ------------------------------------------------------------------------------ incident-rules-5

@pytest.mark.parametrize("verb", ["murdered", "massacred", "beheaded", "slain"])
def test_a_victim_of_any_killing_verb_by_an_attacker(pre: Preannotator, verb: str) -> None:
    # the passive with its agent: "killed by terrorists" was found, the other verbs of killing were not
    got = labelled(pre, f"Two policemen were {verb} by terrorists in the port last night.")
    assert ("CASUALTY", "Two policemen") in got and ("PERPETRATOR", "terrorists") in got


@pytest.mark.parametrize("who", ["Guerrillas", "The guerrillas", "Suspected guerrillas"])
def test_guerrillas_are_described_attackers(pre: Preannotator, who: str) -> None:
    got = labelled(pre, f"{who} ambushed a patrol near the river and killed four soldiers.")
    assert got[0] == ("PERPETRATOR", who.removeprefix("The ")) and ("CASUALTY", "four soldiers") in got
    # as a modifier, the word tells the kind of act, as "militant attack" does
    assert spans(pre, "Four soldiers died in a guerrilla attack on the base.", "ATTACK") == ["guerrilla attack"]


def test_a_device_in_a_relative_clause_with_that(pre: Preannotator) -> None:
    # D5's device subject, with "that" as with "which"
    got = labelled(pre, "The car bomb that killed 7 people exploded near the ministry.")
    assert got[:2] == [("ATTACK", "car bomb"), ("CASUALTY", "7 people")]


def test_blame_for_the_device_is_blame_for_the_attack(pre: Preannotator) -> None:
    got = labelled(pre, "The government blamed the Sorvan Cartel for the car bomb which killed 7 people in the city.")
    assert got == [("CLAIM", "blamed"), ("PERPETRATOR", "Sorvan Cartel"), ("ATTACK", "car bomb"),
                   ("CASUALTY", "7 people")]
    # blame for something else still is no claim
    assert spans(pre, "The minister blamed the opposition for the budget crisis.", "CLAIM") == []


@pytest.mark.parametrize("verb", ["fired on", "fired at"])
def test_firing_on_people_is_the_act(pre: Preannotator, verb: str) -> None:
    got = labelled(pre, f"Two gunmen {verb} a bus near the market on Sunday.")
    assert got == [("PERPETRATOR", "Two gunmen"), ("ATTACK", verb)]
    assert spans(pre, f"Police {verb} the car when it failed to stop at a checkpoint.", "ATTACK") == []


@pytest.mark.parametrize(("text", "victim"), [
    ("Gunmen opened fire on a bus, killing the security guard and a passenger.", "security guard"),
    ("A suicide bomber struck a checkpoint, killing the commander of the unit.", "commander"),
    ("Militants stormed the compound, wounding his guards.", "guards"),
    ("Terrorists of the Shining Path murdered the mayor of the town and two peasants.", "mayor"),
])
def test_a_definite_victim_with_content_after_a_kill_verb(pre: Preannotator, text: str, victim: str) -> None:
    # the span leaves the determiner out, as the guideline's extent does ("without *the*")
    assert victim in spans(pre, text, "CASUALTY")


@pytest.mark.parametrize("who", ["The Zapata Brigade", "Members of the Zapata Brigade"])
def test_a_group_known_by_its_shape_alone_as_the_killer(pre: Preannotator, who: str) -> None:
    # no lexicon group, no attack word: the shape (X Brigade) and the kill verb are the evidence
    got = labelled(pre, f"{who} killed three peasants in the village.")
    assert got == [("PERPETRATOR", "Zapata Brigade"), ("CASUALTY", "three peasants")]


@pytest.mark.parametrize(("text", "act"), [
    ("Members of the Red Hand Front blew up two pylons in the province.", "blew up"),
    ("Two pylons were blown up by rebels in the province.", "blown up"),
])
def test_blowing_something_up_is_a_bombing(pre: Preannotator, text: str, act: str) -> None:
    assert ("ATTACK", act) in labelled(pre, text)


def test_suspect_as_a_verb_is_no_suspect_but_an_attribution(pre: Preannotator) -> None:
    # the verb attributes the attack (CLAIM, attributed) to its object, as "accused X of" does
    assert labelled(pre, "Investigators suspect the Red Hand Front of carrying out the attack.") == [
        ("CLAIM", "suspect"), ("PERPETRATOR", "Red Hand Front"), ("ATTACK", "attack")]
    assert labelled(pre, "Police suspect the owner of fraud.") == []
    assert spans(pre, "After the attack, the suspect fled on foot.", "PERPETRATOR") == ["suspect"]
    assert spans(pre, "After the attack, police said two suspects were held.", "PERPETRATOR") == ["two suspects"]


@pytest.mark.parametrize(("text", "act"), [
    ("Police arrested two men suspected of planting the bomb.", "planting"),
    ("He admitted placing the device under the car.", "placing"),
])
def test_planting_a_device_in_every_form(pre: Preannotator, text: str, act: str) -> None:
    assert ("ATTACK", act) in labelled(pre, text)
    assert spans(pre, "Volunteers were planting trees in the park.", "ATTACK") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The Zapata Brigade murdered three peasants in the village.",
     [("PERPETRATOR", "Zapata Brigade"), ("CASUALTY", "three peasants")]),
    ("Rebels murdered two policemen in the port last night.",
     [("PERPETRATOR", "Rebels"), ("CASUALTY", "two policemen")]),
    ("Terrorists of the Zapata Brigade murdered three peasants in the village.",
     [("PERPETRATOR", "Terrorists"), ("PERPETRATOR", "Zapata Brigade"), ("CASUALTY", "three peasants")]),
])
def test_a_group_or_militants_who_murder(pre: Preannotator, text: str, expected: list[tuple[str, str]]) -> None:
    assert labelled(pre, text) == expected


def test_a_person_who_murders_is_a_crime_story(pre: Preannotator) -> None:
    # the verbs of murder make an attacker of a group or of militants, not of anyone: no attack is reported here
    assert labelled(pre, "A man murdered his neighbour after an argument about a fence.") == []


@pytest.mark.parametrize(("text", "act", "kind"), [
    ("Guerrillas dynamited an electrical tower near the town.", "dynamited", "bombing"),
    ("Unidentified men machine-gunned a bus near the border.", "machine-gunned", "armed_assault"),
    ("A dynamite attack destroyed the offices of the newspaper.", "dynamite attack", "bombing"),
])
def test_older_words_for_the_act(pre: Preannotator, text: str, act: str, kind: str) -> None:
    attacks = [s for s in pre.annotate(text)["spans"] if s["label"] == "ATTACK"]
    assert [(s["text"], s["attributes"].get("attack_type")) for s in attacks] == [(act, kind)]


def test_a_device_verb_keeps_its_own_extent(pre: Preannotator) -> None:
    # D5: "in *the device went off*, mark `went off`" (the device noun is no modifier of a verb)
    got = labelled(pre, "Two people were killed when a bomb went off on a bus.")
    assert got == [("CASUALTY", "Two people"), ("ATTACK", "went off")]


def test_a_number_of_them(pre: Preannotator) -> None:
    got = labelled(pre, "Gunmen opened fire on a bus carrying workers, killing three of them.")
    assert got == [("PERPETRATOR", "Gunmen"), ("ATTACK", "opened fire"), ("CASUALTY", "three")]
    assert ("CASUALTY", "Two") in labelled(pre, "A bomb exploded near soldiers. Two of them died in hospital.")


@pytest.mark.parametrize(("text", "expected"), [
    # D5: the verb of setting off a device is the act, without its object
    ("Two men set off two bombs near the finish line of the marathon.",
     [("PERPETRATOR", "Two men"), ("ATTACK", "set off")]),
    ("A deadly blast went off at the airport on Tuesday.", [("ATTACK", "blast"), ("ATTACK", "went off")]),
    # no device, no act; and the explosion an act set off is its result, not a second act
    ("The fire alarm went off at noon and the building was evacuated.", []),
    ("The convoy set off on Monday for the capital.", []),
    ("The patrol's vehicle touched off an IED, setting off an explosion that wounded two soldiers.",
     [("ATTACK", "touched off"), ("ATTACK", "explosion"), ("CASUALTY", "two soldiers")]),
])
def test_set_off_and_went_off_need_a_device(pre: Preannotator, text: str, expected: list[tuple[str, str]]) -> None:
    assert labelled(pre, text) == expected


def test_a_described_attackers_age_names_him_later(pre: Preannotator) -> None:
    # D1: "the 22-year-old" carries identity; the age is learned from an unnamed attacker's description too
    text = "A 22-year-old man blew himself up at the entrance of the arena. The 22-year-old had travelled by train."
    assert spans(pre, text, "PERPETRATOR") == ["22-year-old man", "22-year-old"]


@pytest.mark.parametrize(("text", "who"), [
    ("Two ethnic Chechen brothers set off two bombs near the finish line.", ["Two ethnic Chechen brothers"]),
    ("Two brothers set off two bombs near the finish line.", ["Two brothers"]),
    # D1: a definite description with a generic head is not marked
    ("The brothers set off two bombs near the finish line.", []),
])
def test_brothers_who_introduce_the_attack(pre: Preannotator, text: str, who: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == who


@pytest.mark.parametrize("text", [
    "A cell calling itself the Sons of the Valley claimed responsibility for the arson attack.",
    "Police blamed the Sons of the Valley for the bombing.",
])
def test_a_learned_group_name_with_of_the_inside(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == ["Sons of the Valley"]


def test_a_group_names_gloss_in_parentheses_is_the_same_group(pre: Preannotator) -> None:
    text = "The Zapata Brigade (Brigada Zapata) claimed the bombing. Brigada Zapata fighters were seen in the town."
    assert spans(pre, text, "PERPETRATOR") == ["Zapata Brigade", "Brigada Zapata", "Brigada Zapata"]


@pytest.mark.parametrize(("text", "who"), [
    # rules-12: the group's description in apposition is its mention too (D1: a description with identity)
    ("Sendero Rojo, a Maoist faction active in the south, claimed the attack.", ["Sendero Rojo", "Maoist faction"]),
    # the alternative name between commas is the same group (its gloss)
    ("Harakat al-Mustaqbal, or the Movement of the Future, said it carried out the bombing.",
     ["Harakat al-Mustaqbal", "Movement of the Future"]),
    # who speaks for the attackers is not one of them
    ("The bombing was claimed by the Taliban. Omar Vance, the spokesman for the Taliban, claimed the attack.",
     ["Taliban", "Taliban"]),
])
def test_a_claimant_with_an_apposition_before_the_claim(pre: Preannotator, text: str, who: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == who


def test_a_learned_name_is_not_the_end_of_a_relatives_full_name(pre: Preannotator) -> None:
    # D1: the surname alone is the perpetrator's mention, not inside another person's full name
    text = ("The trial of Karim Dahl, accused of the 2015 market bombing, opened on Monday. His mother, Amina Dahl, "
            "told the court her son had changed. Dahl denies the charges.")
    got = [(s["text"], s["start"]) for s in pre.annotate(text)["spans"] if s["label"] == "PERPETRATOR"]
    assert [t for t, _ in got] == ["Karim Dahl", "Dahl"] and got[1][0] == text[got[1][1]:got[1][1] + 4]
    assert got[1][1] == text.rindex("Dahl denies")


def test_a_legal_form_of_a_perpetrator_away_from_the_attack(pre: Preannotator) -> None:
    # D3 with D1: the charge of a perpetrator named earlier is about the attack, two sentences on
    text = ("A bomb exploded at the market on Friday, killing 12 people. Police arrested Karim Dahl on Sunday. "
            "Dahl was charged on Monday and will appear in court next week.")
    assert ("CLAIM", "charged") in labelled(pre, text)
    # not someone else's charge in a text about the attack
    other = ("A bomb exploded at the market on Friday, killing 12 people. Police arrested Karim Dahl on Sunday. "
             "A local official was charged on Monday with taking bribes.")
    assert ("CLAIM", "charged") not in labelled(pre, other)


@pytest.mark.parametrize(("text", "expected"), [
    ("A man drove a truck into the crowd on the promenade, killing 86 people.",
     [("PERPETRATOR", "man"), ("ATTACK", "drove"), ("CASUALTY", "86 people")]),
    ("The attacker had driven a stolen lorry into shoppers at the market.",
     [("PERPETRATOR", "attacker"), ("ATTACK", "driven")]),
    # a drive is no attack without a vehicle driven into people
    ("She drove her car to the border on Monday.", []),
    ("A man drove a car into a tree on the motorway and died.", []),
])
def test_a_vehicle_driven_into_people(pre: Preannotator, text: str, expected: list[tuple[str, str]]) -> None:
    got = pre.annotate(text)["spans"]
    assert [(s["label"], s["text"]) for s in got] == expected
    assert all(s["attributes"].get("attack_type") == "vehicle_ramming" for s in got if s["label"] == "ATTACK")


@pytest.mark.parametrize("text", ["A man planted trees in the park.", "A man set off on a journey across the country."])
def test_a_person_before_a_trigger_the_rules_rejected_is_no_attacker(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


def test_a_dual_nationality_is_no_state_force(pre: Preannotator) -> None:
    # a state's name joined by a hyphen to another origin is a person ("the British-Libyan who carried out"),
    # not "British forces": the attack after it stays an attack
    text = ("A bomb exploded at the arena, killing 22 people. The funeral of Hana Ruiz, the Franco-Spanish who "
            "carried out the bombing, was held.")
    assert ("ATTACK", "bombing") in labelled(pre, text)
    assert spans(pre, text, "PERPETRATOR") == ["Hana Ruiz", "Franco-Spanish"]


@pytest.mark.parametrize("text", [
    "A bomb exploded at the station, killing four people. Tom Weller, who drove to the scene, said the blast "
    "shook the street.",
    "A BOMB EXPLODED AT THE STATION, KILLING FOUR PEOPLE. TOM WELLER OF BALTIMORE, WHO DROVE TO THE SCENE, SAID "
    "THE BLAST SHOOK THE STREET.",
])
def test_a_trigger_the_rules_rejected_gives_no_role(pre: Preannotator, text: str) -> None:
    # "drove" is an attack only into people; a witness who drove to the scene is no attacker
    assert spans(pre, text, "PERPETRATOR") == []
    assert spans(pre, text, "ATTACK") in (["exploded", "blast"], ["EXPLODED", "BLAST"])


@pytest.mark.parametrize(("text", "act"), [
    ("The Saffron Liberation Army attacked a bank in the capital on Friday, killing 3 guards.", ["attacked"]),
    ("The army attacked rebel positions near the town on Sunday.", []),  # "army" before the act: a state's
    ("The Syrian Army attacked rebel positions near Aleppo on Sunday.", []),
])
def test_a_named_groups_army_acts(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


@pytest.mark.parametrize("text", [
    "A bomb exploded at the market on Monday, killing six people. The Red Dawn Front said it was responsible "
    "for the blast.",
    "A bomb exploded at the market on Monday, killing six people. The Red Dawn Front says it was behind the blast.",
])
def test_a_group_saying_it_was_responsible_claims(pre: Preannotator, text: str) -> None:
    # D3: "said it carried out" and its other forms are the perpetrator's own claim, not an attribution
    result = pre.annotate(text)
    claims = [s for s in result["spans"] if s["label"] == "CLAIM"]
    assert [c["attributes"]["claim_status"] for c in claims] == ["claimed"]
    assert claims[0]["text"].startswith(("said it", "says it"))
    assert spans(pre, text, "PERPETRATOR") == ["Red Dawn Front"]


@pytest.mark.parametrize(("text", "victim"), [
    ("Militants attacked the village. The victim, a 23-year-old student, was stabbed to death.",
     "a 23-year-old student"),
    ("Militants attacked the village. A journalist was shot to death in his car.", "A journalist"),
    ("Militants attacked the village. A police officer was gunned down outside his home.", "A police officer"),
])
def test_to_death_and_gunned_down_are_deaths(pre: Preannotator, text: str, victim: str) -> None:
    casualties = [s for s in pre.annotate(text)["spans"] if s["label"] == "CASUALTY"]
    assert [(c["text"], c["attributes"]["outcome"]) for c in casualties] == [(victim, "killed")]


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen attacked a bus carrying 40 workers, killing three of them.", ["three"]),
    ("Militants opened fire on a wedding party of 60 guests, wounding 12 of them.", ["12"]),
    ("Gunmen attacked a bus carrying 40 workers, killing three of them and wounding two of them.", ["three", "two"]),
])
def test_the_whole_before_a_part_is_no_victim(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize("text", [
    "A bomb exploded at the market on Monday, killing six people. Police said the bombing was the work of the Red "
    "Dawn Front.",
    "A bomb exploded at the market on Monday, killing six people. The attack bore the hallmarks of the Red Dawn Front.",
])
def test_the_work_of_a_group_holds_it_responsible(pre: Preannotator, text: str) -> None:
    # D1: a group held responsible is a perpetrator, also when its name is in no lexicon
    assert spans(pre, text, "PERPETRATOR") == ["Red Dawn Front"]


@pytest.mark.parametrize("text", [
    "A bomb killed 12 people in Kabul. The attack was claimed by the Red Dawn Front.",
    "A bomb killed 12 people in Kabul. Responsibility for the attack was claimed by the Red Dawn Front.",
])
def test_a_passive_claim(pre: Preannotator, text: str) -> None:
    got = labelled(pre, text)
    assert ("CLAIM", "claimed") in got
    assert ("PERPETRATOR", "Red Dawn Front") in got


@pytest.mark.parametrize("text", [
    "A bomb killed 12 people in Kabul. A Taliban spokesman claimed responsibility on Twitter.",
    "A bomb killed 12 people in Kabul. A Taliban spokesman, Zabihullah Mujahid, claimed responsibility on Twitter.",
    "A bomb killed 12 people in Kabul. Taliban spokesman Zabihullah Mujahid claimed responsibility.",
    "A bomb killed 12 people in Kabul. A Red Dawn Front spokesman claimed responsibility.",
])
def test_a_groups_spokesman_claims_for_the_group(pre: Preannotator, text: str) -> None:
    # the group is the claimant (a perpetrator, D1); the spokesman who speaks for it is not
    assert spans(pre, text, "PERPETRATOR") in (["Taliban"], ["Red Dawn Front"])


def test_a_sentence_initial_article_is_not_part_of_a_groups_name(pre: Preannotator) -> None:
    text = "A Red Dawn Front attacked a police post, killing two officers."
    assert spans(pre, text, "PERPETRATOR") == ["Red Dawn Front"]


def test_a_claimant_before_a_perfect_tense_claim(pre: Preannotator) -> None:
    text = ("The Extraditables have claimed responsibility for the bomb attack on the offices of the newspaper, which "
            "left one person dead.")
    assert spans(pre, text, "PERPETRATOR") == ["Extraditables"]


@pytest.mark.parametrize(("text", "act"), [
    ("Several individuals in a vehicle fired submachinegun volleys at Colonel Juan Perez.", ["fired"]),
    ("Gunmen fired several shots at the car before fleeing.", ["fired"]),
    ("The company fired 200 workers on Monday.", []),
    ("The coach was fired on Monday after the defeat.", []),
])
def test_firing_weapons_at_someone_is_the_act(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


@pytest.mark.parametrize(("text", "victim"), [
    ("A bomb exploded outside the court, killing Judge Ramon Diaz and two guards.", "Judge Ramon Diaz"),
    ("Gunmen opened fire on the car of Colonel Juan Perez, who died instantly.", "Colonel Juan Perez"),
    ("Gunmen opened fire on a bus. Journalist Anna Weiss died of her wounds in hospital.", "Journalist Anna Weiss"),
    ("Gunmen opened fire on a bus. Sergeant Tomas Berg, 52, was killed.", "Sergeant Tomas Berg"),
])
def test_a_named_victim_with_its_description(pre: Preannotator, text: str, victim: str) -> None:
    # D6: a name with its description is one span; the description before the name, or a title
    assert victim in spans(pre, text, "CASUALTY")


def test_a_person_described_as_dead_is_no_attacker(pre: Preannotator) -> None:
    text = "Gunmen opened fire on a bus. Police named the dead man as Tomas Berg, 52."
    assert spans(pre, text, "PERPETRATOR") == ["Gunmen"]


@pytest.mark.parametrize(("text", "victim"), [
    ("The FMLN was held responsible for the assassination of Dr Jose Antonio Rodriguez Porth, the government said.",
     "Dr Jose Antonio Rodriguez Porth"),
    ("Police said the cartel boss ordered the assassination of Bernardo Jaramillo Ossa, a presidential candidate.",
     "Bernardo Jaramillo Ossa"),
    ("Guerrillas attacked the town to protest presidential candidate Bernardo Jaramillo Ossa's murder.",
     "Bernardo Jaramillo Ossa"),
    ("The rebels condemned the terrorist killing of Attorney General Roberto Garcia Alvarado after the bombing.",
     "Attorney General Roberto Garcia Alvarado"),
])
def test_a_person_named_with_a_noun_of_killing(pre: Preannotator, text: str, victim: str) -> None:
    # D6: "the assassination of X", "X's murder": X is the named victim
    assert victim in spans(pre, text, "CASUALTY")


@pytest.mark.parametrize("text", [
    "The bombing was said to be retaliation for the killing of Muslims in wars overseas.",
    "The bombing came after the massacre of Christians in the region.",
])
def test_a_people_after_a_noun_of_killing_is_no_named_victim(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") == []


def test_attackers_from_a_long_group_name(pre: Preannotator) -> None:
    # the role walk passes the group's whole name, "of" inside it too, and its acronym
    text = ("A group of terrorists from the Zarate Wilka Armed Forces of Liberation (FAL) shot the two missionaries "
            "to death.")
    got = labelled(pre, text)
    assert ("PERPETRATOR", "terrorists") in got
    assert ("CASUALTY", "two missionaries") in got


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen killed the two nurses.", ["two nurses"]),
    ("Terrorists shot two missionaries to death.", ["two missionaries"]),
])
def test_a_counted_object_of_a_kill_verb_is_no_repeat(pre: Preannotator, text: str, victims: list[str]) -> None:
    # "the 130 injured" repeats a figure; "killed the two nurses" gives one; "shot ... to death" is a death
    result = pre.annotate(text)
    assert [(s["text"], s["attributes"]["outcome"]) for s in result["spans"] if s["label"] == "CASUALTY"] == [
        (v, "killed") for v in victims]


@pytest.mark.parametrize(("text", "act"), [
    ("A grenade was thrown into the crowd, injuring 11.", ["thrown"]),  # the guideline's own D5 example
    ("A grenade was lobbed into a crowd of worshippers.", ["lobbed"]),
    ("Explosives were thrown at the convoy.", ["thrown"]),
    ("Youths threw stones at the police.", []),
    ("He threw a party for his friends.", []),
    ("A gunman sprayed bullets into a crowded nightclub, killing 49 people.", ["sprayed"]),
    ("Farmers sprayed the crops.", []),
    ("Armed men hacked five villagers to death with machetes.", ["hacked"]),
    ("Hackers hacked the email account of the minister.", []),
    ("A man slashed two commuters with a knife at the station.", ["slashed"]),
    ("The government slashed the budget.", []),
])
def test_throwing_a_device_spraying_bullets_and_blades(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


@pytest.mark.parametrize("text", ["A bomb kills three near the market.", "Car Bomb Kills Three Near Border Post"])
def test_a_bare_toll_before_a_preposition(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") in (["three"], ["Three"])


def test_a_claimant_with_a_relative_clause(pre: Preannotator) -> None:
    text = ("A bomb exploded at the office. Caracol received a call from the Extraditables, who said they were "
            "responsible for the attack.")
    assert spans(pre, text, "PERPETRATOR") == ["Extraditables"]


@pytest.mark.parametrize(("text", "victim", "perp"), [
    ("The minister condemned the murder of former Supreme Court President Francisco Jose Guerrero by terrorists.",
     "former Supreme Court President Francisco Jose Guerrero", ["terrorists"]),
    ("The decrees were issued on 18 August, the same day Senator Luis Carlos Galan Sarmiento was assassinated.",
     "Senator Luis Carlos Galan Sarmiento", []),
])
def test_a_named_victim_of_a_murder_or_assassination(pre: Preannotator, text: str, victim: str,
                                                     perp: list[str]) -> None:
    # D6; "by terrorists" after "the murder of X" is the attackers' role, and the murder opens the text's victims
    assert victim in spans(pre, text, "CASUALTY")
    assert spans(pre, text, "PERPETRATOR") == perp


@pytest.mark.parametrize(("text", "who"), [
    ("Urban commando units staged simultaneous attacks on the brigade headquarters.", ["Urban commando units"]),
    ("A guerrilla column attacked the farm two days ago, killing a civilian.", ["guerrilla column"]),
    ("A terrorist commando dynamited the power pylons.", ["terrorist commando"]),
    ("Death squads murdered three union leaders last night.", ["Death squads"]),
    ("Paramilitary groups massacred 20 peasants in the village.", ["Paramilitary groups"]),
    ("Hired gunmen shot and killed the judge outside her home.", ["Hired gunmen"]),
])
def test_older_descriptions_of_armed_groups(pre: Preannotator, text: str, who: list[str]) -> None:
    # a multi-word group description is no bare anaphor ("the group"), and a group murders as it attacks
    assert spans(pre, text, "PERPETRATOR") == who


@pytest.mark.parametrize(("text", "claim", "status"), [
    ("A bomb killed 12 people in Kabul. The group issued a statement claiming the attack.", "claiming", "claimed"),
    ("A bomb killed 12 people in Kabul. The Taliban rejected claims that they were responsible.", "rejected claims",
     "denied"),
])
def test_more_forms_of_a_claim_and_a_denial(pre: Preannotator, text: str, claim: str, status: str) -> None:
    result = pre.annotate(text)
    assert [(s["text"], s["attributes"]["claim_status"]) for s in result["spans"] if s["label"] == "CLAIM"] == [
        (claim, status)]


@pytest.mark.parametrize(("text", "who"), [
    ("A bomb killed 12 people in Kabul. Three men have been arrested in connection with the bombing.", ["Three men"]),
    ("Three protesters were stabbed at the rally and 13 others were arrested.", []),
])
def test_counted_people_arrested_for_the_attack(pre: Preannotator, text: str, who: list[str]) -> None:
    # D1: suspects arrested for the attack are held responsible; people arrested at the scene need not be
    assert spans(pre, text, "PERPETRATOR") == who


def test_a_sentences_first_function_word_is_no_name(pre: Preannotator) -> None:
    # "During the trial": "trial" after a name makes it a suspect's ("the Rahimi trial"); "During" is no name
    text = "A bomb injured 30 people. During the trial, jurors saw video of the bombing."
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Two police officers were killed when their patrol car was hit by a roadside bomb.",
     [("CASUALTY", "Two police officers"), ("ATTACK", "roadside bomb")]),
    ("At least five people died in the explosion, which police blamed on Maoist rebels.",
     [("CASUALTY", "At least five people"), ("ATTACK", "explosion"), ("CLAIM", "blamed"),
      ("PERPETRATOR", "Maoist rebels")]),
    ("The toll from the bombing has risen to 45.", [("ATTACK", "bombing"), ("CASUALTY", "45")]),
])
def test_a_passive_device_an_identity_before_fighters_and_a_far_toll(pre: Preannotator, text: str,
                                                                     expected: list[tuple[str, str]]) -> None:
    # D5: the device as the passive's agent stands for the act as its subject would; D1: "Maoist" is identity
    assert labelled(pre, text) == expected


@pytest.mark.parametrize("text", [
    "Russia has been bombing Aleppo for weeks, killing hundreds of civilians.",
    "Moscow, which will not stop bombing the city, rejected the criticism.",
    "Israel launched an assault on Gaza after rockets were fired.",
])
def test_a_states_name_as_the_subject_of_the_act(pre: Preannotator, text: str) -> None:
    # acts of war by states are out of scope (benchmarks/data/README.md), and a state is no perpetrator
    assert labelled(pre, text) == []


def test_a_state_is_no_perpetrator_and_its_target_stays_an_attack(pre: Preannotator) -> None:
    assert spans(pre, "Iran denied it had attacked the tankers.", "PERPETRATOR") == []
    assert spans(pre, "Pakistan was hit by a wave of bombings last year.", "ATTACK") == ["bombings"]


@pytest.mark.parametrize(("text", "act"), [
    ("The sudden shift was driven by the hijacking of our political system by donors.", []),
    ("Some of the accusations might not be considered assault.", []),
    ("Critics called the bill an attack on voting rights.", []),
    ("The hijacking of the plane ended after six hours.", ["hijacking"]),
    ("The assault on the village killed 12 people.", ["assault"]),
])
def test_an_act_against_an_idea_is_figurative(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


@pytest.mark.parametrize("text", [
    "The director began shooting the film in Morocco last spring.",
    "The striker led the attack in the second half of the match.",
    "The movie bombed at the box office.",
    "Fans stormed the pitch after the final whistle.",
    "The FBI raided the lawyer's office on Monday.",
])
def test_sport_film_and_police_work_are_no_attacks(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


def test_a_concert_attack_with_attackers_stays_one(pre: Preannotator) -> None:
    assert spans(pre, "Gunmen stormed the concert hall during the show.", "ATTACK") == ["stormed"]


@pytest.mark.parametrize("text", [
    "Terrorists could use drones to attack stadiums, experts warned.",
    "A suspect was arrested after a string of burglaries in the town.",
    "The suspect in the robbery fled on foot, police said.",
])
def test_no_attack_no_suspect(pre: Preannotator, text: str) -> None:
    # D1: a suspect is held responsible for an attack the article reports; a modal's attack is none
    assert labelled(pre, text) == []


def test_a_suspect_of_a_reported_attack(pre: Preannotator) -> None:
    text = "A bomb exploded at the station, killing two people. A suspect was arrested on Monday."
    assert spans(pre, text, "PERPETRATOR") == ["suspect"]


@pytest.mark.parametrize(("text", "act"), [
    ("The threat of a terror attack remains high.", []),
    ("Security was tightened amid fears of new attacks.", []),
    ("The risk of a bombing was low, officials said.", []),
    ("The group claimed the attack on the hotel.", ["attack"]),
])
def test_attacks_only_talked_of(pre: Preannotator, text: str, act: list[str]) -> None:
    # the guideline leaves out "attacks that are only discussed in general (the threat of terrorism)"
    assert spans(pre, text, "ATTACK") == act


@pytest.mark.parametrize("text", [
    "A bomb exploded at the station. The friend said he had extremist beliefs and watched extremist videos.",
    "A bomb exploded at the station. Police found extremist material on his laptop.",
    "A bomb exploded at the station. He had no terrorist links, police said.",
])
def test_a_role_word_before_a_thing_is_an_adjective(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize("text", [
    "The army said it killed 30 militants in an operation in the north.",
    "Twelve militants were killed in the operation, the army said.",
])
def test_counted_fighters_killed_by_the_state_are_no_attackers(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


def test_counted_attackers_of_a_reported_attack(pre: Preannotator) -> None:
    text = "Three militants stormed the hotel, killing four guards."
    assert spans(pre, text, "PERPETRATOR") == ["Three militants"]


@pytest.mark.parametrize(("text", "act"), [
    ("The club opened a new shooting range for members.", []),
    ("He called the report a character assassination.", []),
    ("The minister stormed out of the meeting after the vote.", []),
    ("The senator hijacked the debate with a speech on taxes.", []),
    ("She attacked the problem with energy.", []),
    ("Gunmen attacked the meeting of tribal elders, killing six.", ["attacked"]),
])
def test_more_words_of_attack_for_other_things(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


@pytest.mark.parametrize(("text", "who"), [
    ("A gunman robbed the store and escaped with cash, police said.", []),
    ("The kidnappers of the film's hero are caught in the final scene.", []),
    ("A gunman killed three people at a bar, police said.", ["gunman"]),
    ("A gunman opened fire at the station.", ["gunman"]),
])
def test_role_nouns_need_an_attack_report(pre: Preannotator, text: str, who: list[str]) -> None:
    # D1: the perpetrators of an attack the article reports: a trigger, a death or injury, or a claim
    assert spans(pre, text, "PERPETRATOR") == who


@pytest.mark.parametrize("text", [
    "An airstrike hit a hospital in Aleppo, killing 20 people. Russia denied responsibility for the attack.",
    "An airstrike hit a hospital in Aleppo, killing 20 people. Activists blamed Russia for the attack.",
])
def test_a_states_claim_or_blame_on_a_state_is_out_of_scope(pre: Preannotator, text: str) -> None:
    got = labelled(pre, text)
    assert not any(label in ("CLAIM", "ATTACK", "PERPETRATOR") for label, _t in got)


def test_blame_on_a_state_backed_group_stays_a_claim(pre: Preannotator) -> None:
    text = ("Rockets hit the base, wounding a child. Officials have accused Iran-backed militias of launching the "
            "rocket attack.")
    assert [t for label, t in labelled(pre, text) if label == "CLAIM"] == ["accused"]


@pytest.mark.parametrize("text", [
    "Security forces stormed the hideout, killing four militants.",  # the guideline's own "does not cover"
    "Two militants died in a gunfight with security forces in Kashmir.",
    "Officers shot the suspect after he pulled a gun during the raid.",
    "The attack on the convoy was carried out by government forces, the rebels said.",
])
def test_operations_of_the_state_against_attackers(pre: Preannotator, text: str) -> None:
    assert labelled(pre, text) == []


@pytest.mark.parametrize("text", ["Rebel forces attacked the town, killing 12 villagers.",
                                  "Police said the gunman opened fire on the crowd."])
def test_non_state_forces_and_a_police_report_keep_the_attack(pre: Preannotator, text: str) -> None:
    assert len(spans(pre, text, "ATTACK")) == 1


@pytest.mark.parametrize(("text", "act"), [
    ("Police said there was no evidence of a terrorist attack.", []),
    ("There was no sign of an explosion, officials said.", []),
    ("A bomb exploded at the station. Police said there was no evidence of a second attack.", ["exploded"]),
])
def test_an_attack_there_is_no_sign_of(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


@pytest.mark.parametrize(("text", "victims"), [
    ("A bomb exploded at the market on Monday. The victims included a 7-year-old girl and her grandmother.",
     ["a 7-year-old girl", "grandmother"]),  # rules-11: the victim's own people listed after her
    ("A bomb exploded at the market on Monday. Many of the dead were pilgrims from Iran.", ["pilgrims"]),
    ("A bomb exploded at the market on Monday. Most of the victims were women and children.",
     ["women and children"]),
    ("A bomb exploded at the market, killing 12. Two of the dead and 11 of the injured were members of the police.",
     ["12", "Two of the dead", "11 of the injured"]),
])
def test_victims_named_after_the_dead_or_the_victims(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims
