"""incident-rules-12 (issue 28, tenth round): shapes the rules missed in invented reports and old wire copy.

Names coordinated with a perpetrator's, quoted names in capitals, and the shapes the tenth round's invented
reports showed. Every text is made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import spans  # checks every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize(("text", "groups"), [
    ("Police blamed the bombing on the Red Dawn Front or the Andean People's Army. Two people were killed.",
     ["Red Dawn Front", "Andean People's Army"]),
    ('Police said the attacks could have been carried out by the Maoist "Red Dawn" group or the Guevarist '
     '"Andean People\'s Army" group. The bombs destroyed two banks.', ["Red Dawn", "Andean People's Army"]),
    ('POLICE SAID THE ATTACKS COULD HAVE BEEN CARRIED OUT BY THE MAOIST "RED DAWN" GROUP OR THE GUEVARIST '
     '"ANDEAN PEOPLE\'S ARMY" GROUP. THE BOMBS DESTROYED TWO BANKS.', ["RED DAWN", "ANDEAN PEOPLE'S ARMY"]),
])
def test_a_name_coordinated_with_a_perpetrators_shares_its_role(pre: Preannotator, text: str,
                                                                 groups: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == groups


def test_a_coordinated_state_force_is_no_perpetrator(pre: Preannotator) -> None:
    text = "The bombing was blamed on the Red Dawn Front and the Andean army denied it. Two people were killed."
    assert spans(pre, text, "PERPETRATOR") == ["Red Dawn Front"]


def test_a_quoted_name_in_capitals_glossed_as_a_group(pre: Preannotator) -> None:
    text = ('BOGOTA, 30 NOV 89 (AFP) -- [TEXT] A BOMB KILLED 107 PEOPLE ON THE AIRLINER. "THE UNTOUCHABLES," A '
            'COLOMBIAN MAFIA GROUP LINKED WITH DRUG TRAFFICKING, CLAIMED RESPONSIBILITY.')
    assert spans(pre, text, "PERPETRATOR") == ["UNTOUCHABLES"]


@pytest.mark.parametrize("text", [
    "Abdallah Mwinyi was charged over the market bombing that killed 17 people. His trial is due to begin in October.",
    "Rizky Pratama blew himself up at the church gate, killing four. His older sister said he stopped eating.",
])
def test_a_possessive_pronoun_is_no_name(pre: Preannotator, text: str) -> None:
    assert "His" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "claims"), [
    # the act itself after "confessed to" (D3 *confessed*, D5 *planted*)
    ("The bomb at the tram stop killed two people. Jonas Hartwig has confessed to planting the device in a bin.",
     ["confessed"]),
    # the sentence's subject is a perpetrator, past an apposition or a first predicate (D1 with D3)
    ("The bomb at the festival killed five people. Travis Dunmore was charged with the bombing. Dunmore, 29, a "
     "former ranch hand from Fruita, has pleaded not guilty to all 23 counts.", ["charged", "pleaded not guilty"]),
    ("A grenade attack on the market killed 17 people. Abdallah Mwinyi was charged with 17 counts of murder and "
     "with committing a terrorist act, and pleaded not guilty when he appeared in court in March.",
     ["charged", "pleaded not guilty"]),
    # "found ... guilty" with an age between; "jailed" is "sentenced" (D3)
    ("The bombing at the bar killed seven. The court found Mehdi Ouarda, 31, guilty of the bombing.", ["guilty"]),
    ("The bombing at the bar killed seven. A terrorism court jailed Mehdi Ouarda for the bombing on Thursday.",
     ["jailed"]),
])
def test_legal_claims_of_a_perpetrator(pre: Preannotator, text: str, claims: list[str]) -> None:
    assert spans(pre, text, "CLAIM") == claims


def test_a_reported_legal_verb_is_not_the_subjects(pre: Preannotator) -> None:
    text = ("The bomb at the festival killed five people. Travis Dunmore was charged with the bombing. Dunmore's "
            "lawyer told reporters a witness had pleaded guilty to fraud.")
    assert spans(pre, text, "CLAIM") == ["charged"]


@pytest.mark.parametrize(("text", "groups", "claims"), [
    # a name in its own language, its gloss and its acronym in one parenthesis: one group, every mention
    ("In leaflets left at the scene, the Frente Popular Autonomo (Autonomous Popular Front, FPA) assumed "
     "responsibility for the bombings, which injured two policemen.",
     ["Frente Popular Autonomo", "Autonomous Popular Front", "FPA"], ["assumed responsibility"]),
    ("A police spokesman blamed the Movimiento Revolucionario Aurora Roja (Red Dawn Revolutionary Movement, MRAR) "
     "for the assassination. The MRAR has not claimed it.",
     ["Movimiento Revolucionario Aurora Roja", "Red Dawn Revolutionary Movement", "MRAR", "MRAR"], ["blamed"]),
    ("A death squad calling itself the Comando Honor y Patria (Honor and Fatherland Command, CHP) claimed the "
     "assassination of the journalist.", ["Comando Honor y Patria", "Honor and Fatherland Command", "CHP"],
     ["claimed"]),
    # a unit "of" a group named in its own language is named apart
    ("General Baquero blamed the Cacique Front of the Ejercito de Liberacion Comunera (Comunero Liberation Army, "
     "ELCO) for the attack on the bus, which killed eleven.",
     ["Cacique Front", "Ejercito de Liberacion Comunera", "Comunero Liberation Army", "ELCO"], ["blamed"]),
])
def test_a_groups_name_in_its_own_language_with_gloss_and_acronym(pre: Preannotator, text: str, groups: list[str],
                                                                  claims: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == groups
    assert spans(pre, text, "CLAIM") == claims
    assert spans(pre, text.upper(), "PERPETRATOR") == [g.upper() for g in groups]  # old wire, in capitals


@pytest.mark.parametrize("text", [
    "The Free Valley Front owned up to the bombing of the bus station, which killed six people.",
    "The Free Valley Front has owned up to the bombing of the bus station, which killed six people.",
])
def test_owning_up_is_a_claim(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == ["owned up to"]


@pytest.mark.parametrize(("text", "victims"), [
    # a named subject past an age and a description, a definite description, an age and a relative clause
    ("Gunmen attacked the station. Journalist Efrain Zuniga, 39, director of the news program, was shot dead.",
     ["Journalist Efrain Zuniga"]),
    ("Gunmen attacked the station. Efrain Zuniga, the director of the news program, was shot dead.",
     ["Efrain Zuniga"]),
    ("Gunmen attacked the station. Station driver Marco Reyes, 33, who was waiting in the car park, was wounded.",
     ["Station driver Marco Reyes"]),
    # a counted subject with a relative clause, an adverb before the participle
    ("Gunmen attacked the station. Two boys who sold newspapers on the corner were also killed.", ["Two boys"]),
    # suffered / sustained injuries: the subject is the victim (D6 with its description)
    ("A bomb exploded at the institute. Night watchman Ernesto Paredes, 62, suffered cuts on the face.",
     ["Night watchman Ernesto Paredes"]),
    ("A bomb exploded at the market. Three traders sustained shrapnel wounds.", ["Three traders"]),
    # described names after a verb of hurting, each its own span
    ("A bomb went off at the annex, injuring police corporal Juan Sepulveda and patrolman Hector Rojas.",
     ["police corporal Juan Sepulveda", "patrolman Hector Rojas"]),
])
def test_victims_with_descriptions_and_clauses(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_a_state_forces_described_object_is_no_victim(pre: Preannotator) -> None:
    text = "A bomb went off at the annex. Police later shot dead suspected bomber Juan Sepulveda near the border."
    assert spans(pre, text, "CASUALTY") == []


@pytest.mark.parametrize(("text", "victims"), [
    # "Killed were ..." (an outcome, then the list), a list in semicolons with any description
    ("A gunman opened fire at the festival. Killed were Rosa Delgado, 67, a retired seamstress; Ethan Park, 16, a "
     "high school junior; parish priest Miguel Arce, 52; and Aiyana Begay, 24, a nursing student.",
     ["Rosa Delgado", "Ethan Park", "parish priest Miguel Arce", "Aiyana Begay"]),
    # the names after a named victim, in a list of ages and semicolons
    ("The inquest into the van attack is examining the deaths of Margaret Lowe, 71, a retired school cook; Tariq "
     "Hussain, 38, a taxi driver; and Chloe Brennan, 19, a student nurse.",
     ["Margaret Lowe", "Tariq Hussain", "Chloe Brennan"]),
    # a colon after the counted victims
    ("The gunman killed four people at the bar: Lea Marchetti, 27, a nurse; Samir Bensaid, 34, the bar's head "
     "barman; Julien Roux, 41, an off-duty firefighter; and Marc Vidal, 63.",
     ["four people", "Lea Marchetti", "Samir Bensaid", "Julien Roux", "Marc Vidal"]),
    ("The bomb killed two people: Jonas Weber, 52, an electrician, and Agnieszka Nowak, 44, a Polish cleaner.",
     ["two people", "Jonas Weber", "Agnieszka Nowak"]),
    # the name is the apposition of a victim noun
    ("A gunman opened fire on the terrace, killing six people. Another victim, 52-year-old taxi driver Patrick "
     "Olmeta, died of his wounds in hospital.", ["six people", "52-year-old taxi driver Patrick Olmeta"]),
])
def test_lists_of_the_dead_after_other_openers(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_a_name_after_a_victim_is_listed_only_in_a_list(pre: Preannotator) -> None:
    text = "A gunman killed Maria Lopez in the market attack, and Pedro Ruiz told reporters he saw the shooter."
    assert spans(pre, text, "CASUALTY") == ["Maria Lopez"]


@pytest.mark.parametrize(("text", "perps"), [
    # a name an apposition calls a group, and its relative clause's claim
    ("The shooting on the bar terrace killed seven people. The pair had been recruited by LTN, a small jihadist "
     "network based in Idlib, which claimed responsibility for the attack.", ["LTN", "small jihadist network"]),
    # a claim in the name of a group; a name in its own language with a particle and a hyphen
    ("The shooting on the bar terrace killed seven people. In a video, the gunman claimed the attack in the name "
     "of Liwa Tariq al-Nur (LTN).", ["gunman", "Liwa Tariq al-Nur", "LTN"]),
    # the names listed after plural attackers, past a colon or "are"
    ("Two grenades exploded at the market, killing 17 people. Police shot dead two of the attackers within "
     "minutes: Ahmed Bwana, 22, and Salim Mwakio, 26.", ["two of the attackers", "Ahmed Bwana", "Salim Mwakio"]),
    ("The nail bomb at the tram stop killed two people. The three co-defendants are Sven Maurer, 41, a roofer; "
     "Katrin Lenz, 29, a nurse; and Paul Brandt, 36.", ["Sven Maurer", "Katrin Lenz", "Paul Brandt"]),
    # a former militant who now works against it is no attacker
    ("Ridwan Hakim, a former militant who now works on a deradicalisation programme, said the bombing of the "
     "church was a familiar story.", []),
])
def test_perpetrators_in_long_reports(pre: Preannotator, text: str, perps: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps


@pytest.mark.parametrize(("text", "attack"), [
    ("A nail bomb at the tram stop killed two people on Friday.", ["nail bomb"]),  # D5, past the place
    ("A bomb in a litter bin at the tram stop killed two people.", ["bomb"]),
    ("A bomb at the tram stop was defused by police.", []),  # no result verb: no act
])
def test_a_device_subject_past_its_place(pre: Preannotator, text: str, attack: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == attack


@pytest.mark.parametrize(("text", "perps"), [
    # the one helped to prepare the attack, the one who spent months planning it, the user of its weapon
    ("A gunman killed seven people on a bar terrace. A terrorism court jailed three men for helping Yanis Belkacem "
     "prepare the shooting.", ["gunman", "three men", "Yanis Belkacem"]),
    ("A gunman killed five people at the festival. Prosecutors told jurors that Travis Dunmore spent eleven months "
     "planning the shooting. Dunmore sat at the defense table.", ["gunman", "Travis Dunmore", "Dunmore"]),
    ("A jihadist gunman opened fire on the terrace, killing seven. Mehdi Ouarda supplied the rifle that Yanis Belkacem "
     "used on the terrace.", ["jihadist gunman", "Yanis Belkacem"]),
    # the owner of the vehicle that rammed (D1)
    ("The inquest heard how the terror attack unfolded. Adam Whitlock, the 24-year-old whose hired van ploughed "
     "into a bus stop, killing three people, had been referred to Prevent twice. Whitlock grew up in Leyland.",
     ["Adam Whitlock", "24-year-old", "Whitlock"]),
])
def test_the_attacker_shown_preparing_or_using_the_means(pre: Preannotator, text: str, perps: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps


def test_a_law_before_a_preparing_gerund_is_no_attacker(pre: Preannotator) -> None:
    text = ("A bomb killed two people in Bristol. All three are charged under the Terrorism Act with preparing an "
            "attack.")
    assert "Terrorism Act" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "perps", "claims"), [
    # a foreign name with its quoted gloss in parentheses, then a plural apposition before the claim
    ('Insurgents ambushed a convoy, killing nine soldiers. Katibat Jund al-Sahil ("Brigade of the Soldiers of the '
     'Sahel"), militants affiliated with al-Qaeda, claimed the ambush.',
     ["Insurgents", "Katibat Jund al-Sahil", "Brigade of the Soldiers of the Sahel", "militants"], ["claimed"]),
    # the group a spokesman speaks for
    ("A suicide bomber killed 14 soldiers. A spokesman for Majlis Shura al-Mujahideen fi Abyan told reporters the "
     "group was behind the bombing.", ["suicide bomber", "Majlis Shura al-Mujahideen fi Abyan"], ["was behind"]),
    # a named group saying its fighters carried it out, after the channel
    ("A roadside bomb killed three soldiers. In a statement on a website close to it, Tevgera Tolhildane said its "
     "fighters carried out the bombing.", ["Tevgera Tolhildane", "fighters"], ["carried out"]),
    # "bore the hallmarks of" attributes; "police suspect X of" is the verb (an attribution), not a suspect
    ("A grenade attack wounded 12 people. Police said the attack bore the hallmarks of Lashkar-e-Ansar, a group "
     "that police suspect of carrying out two similar attacks.", ["Lashkar-e-Ansar"],
     ["bore the hallmarks", "suspect"]),
])
def test_groups_and_claims_of_short_wire(pre: Preannotator, text: str, perps: list[str], claims: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps
    assert spans(pre, text, "CLAIM") == claims


@pytest.mark.parametrize(("text", "perps"), [
    # the name a definite role noun is, by a copula
    ("A jihadist van attack killed three people. The attacker was Adam Whitlock. Whitlock grew up in Leyland.",
     ["attacker", "Adam Whitlock", "Whitlock"]),
    # aliases: past the audience of "known", a second alias, the alias before its owner, "went by"
    ('A grenade attack killed 17 people. Abdallah Mwinyi was charged with murder over the attack. Mwinyi, known on '
     'the streets as "Kiboko", pleaded not guilty.', ["Abdallah Mwinyi", "Mwinyi", "Kiboko"]),
    ('A jihadist gunman opened fire on the terrace, killing seven. The gunman was Yanis Belkacem. Belkacem, known to '
     'friends as "Yaya" and online as "Abou Dujana al-Firansi", walked along the terrace.',
     ["jihadist gunman", "gunman", "Yanis Belkacem", "Belkacem", "Yaya", "Abou Dujana al-Firansi"]),
    ('A jihadist van attack killed three people. The attacker was Adam Whitlock. Under the handle "Ashborn", '
     'Whitlock posted more than 2,000 messages.', ["attacker", "Adam Whitlock", "Ashborn", "Whitlock"]),
    # a pronoun opening a legal predicate is the person the sentence before opened with
    ("Two grenades exploded at the market, killing 17 people. Abdallah Kassim Mwinyi, a 27-year-old rider from "
     "Likoni, was arrested in February. He has been charged with 17 counts of murder and with a terrorist act.",
     ["Abdallah Kassim Mwinyi", "27-year-old rider"]),
])
def test_attackers_named_by_copula_alias_and_pronoun(pre: Preannotator, text: str, perps: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps


@pytest.mark.parametrize("text", [
    "A jihadist van attack killed three people near the bus station.",
    "The court found him guilty of terrorist criminal conspiracy after the bombing that killed two.",
])
def test_a_role_noun_two_words_before_its_head_is_a_modifier(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "perps", "claims"), [
    # a group's other names after "also known as", "or"; a denial after "quick to"
    ("A suicide bomber killed 11 people at a mosque in Kabul. The Taliban blamed Islamic State Khorasan Province "
     "(ISKP), also known as IS-K or ISIS-K, which was quick to disown the attack.",
     ["suicide bomber", "Taliban", "Islamic State Khorasan Province", "ISKP", "IS-K", "ISIS-K"],
     ["blamed", "disown"]),
    # a foreign name and its gloss; "rejected any link"
    ("An arson attack destroyed the mosque. The far-right group Zwarte Zon (Black Sun) rejected any link to the fire.",
     ["Zwarte Zon", "Black Sun"], ["rejected any link"]),
    # a faction's letters after an acronym's hyphen; a name its acronym introduces
    ("Suspected militants of the United Liberation Front of Asom-Independent (ULFA-I) ambushed an army convoy, "
     "killing three soldiers. The ULFA-I accepts responsibility for the ambush.",
     ["Suspected militants", "United Liberation Front of Asom-Independent", "ULFA-I", "ULFA-I"],
     ["accepts responsibility"]),
    ("Gunmen killed 35 people near Djibo. The Group for the Support of Islam and Muslims (JNIM), also known as GSIM, "
     "has claimed the attack.", ["Gunmen", "Group for the Support of Islam and Muslims", "JNIM", "GSIM"],
     ["claimed"]),
])
def test_group_aliases_factions_and_denials(pre: Preannotator, text: str, perps: list[str], claims: list[str]
                                            ) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps
    assert spans(pre, text, "CLAIM") == claims


def test_a_base_form_after_to_stays_no_claim(pre: Preannotator) -> None:
    text = "The government must disown the militias, he said after the bombing killed five."
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize(("text", "claims"), [
    # the blamed name right after the verb, the attack in the sentence before
    ("A car bomb exploded in Cucuta, wounding 14 people. Defence Minister Ivan Ortega blamed the National Liberation "
     "Army (ELN).", ["blamed"]),
    # a group named in an apposition speaks
    ("Al-Shabaab fighters stormed the base, killing eight soldiers. The group, also spelled al-Shabab, said in a "
     "statement that its fighters had carried out the raid.", ["had carried out"]),
])
def test_claims_across_sentences_and_appositions(pre: Preannotator, text: str, claims: list[str]) -> None:
    assert spans(pre, text, "CLAIM") == claims


def test_blame_without_an_attack_before_is_no_claim(pre: Preannotator) -> None:
    text = "Prices rose sharply in Cucuta last month. The minister blamed the National Bank for the shortage."
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize(("text", "attacks"), [
    # a headline's present tense after its attackers, in capitals too
    ("Guerrillas Dynamite Pylons In East\n\nGuerrillas dynamited three pylons on Monday.", ["Dynamite", "dynamited"]),
    ("GUERRILLAS DYNAMITE PYLONS IN EAST\n\nGUERRILLAS DYNAMITED THREE PYLONS ON MONDAY.", ["DYNAMITE", "DYNAMITED"]),
    ("Gunmen Torch Bus In Cali\n\nGunmen set fire to a bus, injuring two passengers.", ["Torch", "set fire to"]),
    # D5's device subject past its load (the load is no second act)
    ("A car bomb loaded with some 50 kilograms of dynamite killed seven people in Cali.", ["car bomb"]),
    ("A CAR BOMB LOADED WITH SOME 50 KILOGRAMS OF DYNAMITE KILLED SEVEN PEOPLE IN CALI.", ["CAR BOMB"]),
])
def test_headline_verbs_and_loaded_devices(pre: Preannotator, text: str, attacks: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == attacks


def test_burning_a_flag_is_no_attack(pre: Preannotator) -> None:
    assert spans(pre, "Rebels burn the flag of the ruling party at a rally.", "ATTACK") == []


@pytest.mark.parametrize(("text", "victims"), [
    # the force before a title is the title's (D6), in capitals too
    ("A bomb went off at the annex, injuring Police Corporal Juan Sepulveda.", ["Police Corporal Juan Sepulveda"]),
    ("A CAR BOMB KILLED SEVEN PEOPLE. THE DEAD WERE COUNCILMAN HERNANDO ARBELAEZ, 56, AND POLICE SERGEANT LUIS "
     "MOLANO, WHO HAD BEEN ASSIGNED TO GUARD HIM.",
     ["SEVEN PEOPLE", "COUNCILMAN HERNANDO ARBELAEZ", "POLICE SERGEANT LUIS MOLANO"]),
    ("Gunmen killed former Senator Luis Galan.", ["former Senator Luis Galan"]),
])
def test_a_forces_title_before_a_victims_name(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize(("text", "victims"), [
    # a toll named further back in its sentence, and "the number of dead / wounded"
    ("Gunmen killed villagers in Borno. Kachalla said the death toll, first given as 11, had risen to at least 17 "
     "after more bodies were recovered.", ["villagers", "11", "at least 17"]),  # a superseded toll is a span too
    ("A bomb exploded at the market. The death toll rose to as many as 40.", ["as many as 40"]),
    ("A suicide car bomb killed soldiers at the checkpoint. The health office put the number of dead at 16.",
     ["soldiers", "16"]),
    ("A gunman killed seven people. The number of wounded, first given by prosecutors as 17, was raised to 19.",
     ["seven people", "17", "19"]),
])
def test_tolls_named_further_back(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize(("text", "claims"), [
    # a possessive part in the attack as the object (D3 claimed); a conviction in absentia
    ("A jihadist gunman killed seven people on the terrace. Grillet, the only defendant to address the families, "
     "confessed his role in his first police interview.", ["confessed"]),
    ("A jihadist gunman killed seven people on the terrace. The gunman was Yanis Belkacem. His commander, Abu Hafs, "
     "was convicted in absentia of the attack.", ["convicted"]),
    # "linked X to an attack": the object between
    ("A suicide bomber killed four people at the church. Police have linked the group to a 2021 knife attack in "
     "Surabaya.", ["linked"]),
])
def test_legal_claims_with_their_objects(pre: Preannotator, text: str, claims: list[str]) -> None:
    assert spans(pre, text, "CLAIM") == claims


def test_linking_a_fire_to_a_cable_is_no_claim(pre: Preannotator) -> None:
    text = "A suicide bomber killed four at the church. Police linked the fire to a faulty cable."
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize(("text", "victims"), [
    # the people the police shot are no casualties of the attack; a bombing stays an attack beside a police shooting
    ("A grenade attack killed 17 people at the market. Two young men were shot dead by police during a raid.",
     ["17 people"]),
    ("A grenade attack killed 17 people at the market. Two young men were shot dead by the attackers.",
     ["17 people", "Two young men"]),
])
def test_a_state_act_beside_an_attack(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims
    assert spans(pre, text, "ATTACK") == ["grenade attack"]


@pytest.mark.parametrize(("text", "perps"), [
    # a perpetrator group's description in apposition is its mention (D1)
    ("A grenade attack killed 17 people. Police have blamed the attack on Jeshi la Haki (JLH), a coastal militia "
     "based in the south.", ["Jeshi la Haki", "JLH", "coastal militia"]),
    ("A bomb killed four. Police blamed al-Shabab (also spelled al-Shabaab), the Somali jihadist group whose "
     "fighters shelter in the forest, for the attack.", ["al-Shabab", "al-Shabaab", "Somali jihadist group"]),
])
def test_a_perpetrator_groups_apposition(pre: Preannotator, text: str, perps: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps


def test_a_bystander_groups_apposition_is_no_perpetrator(pre: Preannotator) -> None:
    text = "A bomb killed four. The Red Cross, a humanitarian organisation, sent doctors to the scene."
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "perps"), [
    # a group's name translated in quotes after it: the same group (after a shape found it as well)
    ('A suicide bomber killed four people at the church. Police blamed Jamaah Tauhid Nusantara (JTN), a name that '
     'translates roughly as "Congregation of the Oneness of God", for the bombing.',
     ["suicide bomber", "Jamaah Tauhid Nusantara", "JTN", "Congregation of the Oneness of God"]),
    ('A gunman killed seven people. The gunman claimed the attack in the name of Liwa Tariq al-Nur (LTN), Arabic for '
     '"the Brigade of the Path of Light".', ["gunman", "gunman", "Liwa Tariq al-Nur", "LTN",
                                             "Brigade of the Path of Light"]),
])
def test_a_groups_translated_name(pre: Preannotator, text: str, perps: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps


@pytest.mark.parametrize(("text", "perps"), [
    # the names listed after the suspects, past the attack they are charged over
    ("A suicide bomber killed four people at the church. Three men have been charged in connection with the attack, "
     "among them Hasan Basri, who prosecutors say gave the order. Basri denies it.",
     ["suicide bomber", "Three men", "Hasan Basri", "Basri"]),
    ("A suicide bomber killed four people at the church. Police arrested five people over the bombing, including "
     "Hasan Basri, a preacher. Basri denies it.", ["suicide bomber", "five people", "Hasan Basri", "Basri"]),
])
def test_names_listed_after_the_charged(pre: Preannotator, text: str, perps: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps


@pytest.mark.parametrize(("text", "claims"), [
    # a part in the attack: hiding its grenades, driving its attacker (a perpetrator as the object)
    ("A grenade attack killed 17 people. Rashid Mbaraka, a shop owner who is accused of hiding the grenades in his "
     "storeroom, denies it.", ["accused"]),
    ("The nail bomb killed two people. Jonas Hartwig has confessed to planting the device. Brandt has admitted "
     "driving Hartwig to Leipzig.", ["confessed", "admitted"]),
])
def test_a_part_in_the_attack_as_a_legal_object(pre: Preannotator, text: str, claims: list[str]) -> None:
    assert spans(pre, text, "CLAIM") == claims


@pytest.mark.parametrize(("text", "claims"), [
    ("A car bomb killed 14 people. Officials said they believed the Front was to blame.", ["was to blame"]),
    ("A car bomb killed 14 people. The interior minister pinned the blame on the Front.", ["pinned the blame"]),
    ("A car bomb killed 14 people. Suspicion fell on the Front, which has carried out similar attacks.",
     ["Suspicion fell"]),
    ("A car bomb killed 14 people. Prosecutors allege that Karim Dahl planted the bomb.", ["allege"]),
    # an active legal verb with a perpetrator as its object
    ("A car bomb killed 14 people. Karim Dahl was charged with the bombing. A court convicted Karim Dahl on all "
     "counts.", ["charged", "convicted"]),
])
def test_attributions_in_other_words(pre: Preannotator, text: str, claims: list[str]) -> None:
    assert spans(pre, text, "CLAIM") == claims


@pytest.mark.parametrize("text", [
    "Opposition leaders allege corruption in the ministry.",
    "Prices rose again. Economists allege the bank was to blame.",
])
def test_attributions_with_no_attack_are_no_claims(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize(("text", "perps"), [
    # the fighters' role walk passes the group they are loyal to (which stays background)
    ("Fighters loyal to the Islamic State attacked a checkpoint, killing three soldiers.", ["Fighters"]),
    # a person noun's means between it and the act
    ("Men on motorbikes opened fire on the market, killing nine people.", ["Men"]),
    ("Two men armed with machetes attacked worshippers, wounding five.", ["Two men"]),
])
def test_attackers_past_their_affiliation_or_means(pre: Preannotator, text: str, perps: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == perps


def test_a_person_in_a_jacket_who_was_shot_is_no_attacker(pre: Preannotator) -> None:
    assert spans(pre, "A man in a red jacket was shot dead in the attack.", "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "attacks"), [
    ("Insurgents overran an army outpost, killing 17 soldiers.", ["overran"]),
    ("Militants stormed the hotel and took hostage more than 100 guests.", ["stormed", "took hostage"]),
])
def test_more_attack_verbs_after_an_attacker(pre: Preannotator, text: str, attacks: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == attacks


def test_an_attack_ruled_out_is_none(pre: Preannotator) -> None:
    text = "A gas cylinder explosion in a restaurant kitchen injured four employees. Police ruled out an attack."
    assert spans(pre, text, "ATTACK") == [] and spans(pre, text, "CASUALTY") == []


@pytest.mark.parametrize(("text", "attacks"), [
    ("A gunman killed five people at the mosque. He fired into the crowd of worshippers from the doorway.",
     ["fired into"]),
    ("A gunman killed five people at the mosque. The rampage lasted six minutes.", ["rampage"]),
])
def test_shooting_acts_in_other_words(pre: Preannotator, text: str, attacks: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == attacks


def test_the_main_clause_claim_after_a_relative_denial(pre: Preannotator) -> None:
    text = ("The bombing at the station killed 12 people. Dahl, who denies the charges, is accused of building the "
            "bomb.")
    assert spans(pre, text, "CLAIM") == ["denies the charges", "accused"]
