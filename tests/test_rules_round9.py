"""incident-rules-11 (issue 28, ninth round): shapes the rules missed in invented reports and general news.

The victims a possessive ties to a named one, partitives of a victim's own people, a group named "Army of X",
and perpetrators only in a text that reports an attack (D1: "an attack it reports"). Every text is made up.
"""

from __future__ import annotations

import pytest

from incident_corpus.preannotate.runner import Preannotator
from tests.test_rules_generalise import spans  # checks every offset (check_result)


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


@pytest.mark.parametrize(("text", "victims"), [
    ("Two of her bodyguards were killed when gunmen opened fire on her car.", ["Two of her bodyguards"]),
    ("Maria Perez and two of her bodyguards were killed when gunmen opened fire on her car.",
     ["Maria Perez", "two of her bodyguards"]),
    ("Her driver was killed when gunmen opened fire on her car.", ["driver"]),
    ("Maria Perez and her driver were killed when gunmen opened fire on her car.", ["Maria Perez", "driver"]),
    ("Gunmen opened fire on the car, killing Maria Perez and her driver.", ["Maria Perez", "driver"]),
    ("Gunmen opened fire on the car, killing Maria Perez and two of her bodyguards.",
     ["Maria Perez", "two of her bodyguards"]),
])
def test_a_victims_own_people(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize("text", [
    "Two of her brothers were arrested after gunmen opened fire on the car.",  # no hurt verb
    "Her driver was questioned after gunmen opened fire on the car.",
])
def test_a_possessive_without_a_hurt_person_is_no_victim(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CASUALTY") == []


def test_a_possessive_conjunct_that_names_no_person_is_no_victim(pre: Preannotator) -> None:
    assert spans(pre, "Gunmen opened fire on the car, killing Maria Perez and her dog.", "CASUALTY") == ["Maria Perez"]


def test_the_names_of_the_counted_between_dashes(pre: Preannotator) -> None:
    text = ("Two missionaries were shot dead by gunmen on Wednesday. The missionaries -- Todd Ray Burdenson and "
            "Jeffrey Brent Ball -- belonged to the Mormon church.")
    assert spans(pre, text, "CASUALTY") == ["Two missionaries", "Todd Ray Burdenson", "Jeffrey Brent Ball"]


@pytest.mark.parametrize("group", ["Army of National Liberation", "Army of God"])
def test_an_army_of_x_is_a_groups_name_not_a_states_force(pre: Preannotator, group: str) -> None:
    text = f"The bombing was carried out by the {group}, police said."
    assert spans(pre, text, "ATTACK") == ["bombing"]
    assert spans(pre, text, "PERPETRATOR") == [group]


def test_a_states_army_by_name_stays_the_states(pre: Preannotator) -> None:
    assert spans(pre, "The bombing was carried out by the Army of Nigeria, the rebels said.", "ATTACK") == []


@pytest.mark.parametrize("text", [
    "The interior ministry blamed the Muslim Brotherhood for the unrest after protesters clashed with police.",
    "Ukraine's president said rebels had seized government buildings in Donetsk.",
])
def test_no_perpetrator_in_a_text_that_reports_no_attack(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "PERPETRATOR") == []


def test_a_perpetrator_in_a_text_that_reports_an_attack(pre: Preannotator) -> None:
    text = "Rebels seized government buildings in Donetsk on Friday and bombed a police station."
    assert spans(pre, text, "PERPETRATOR") == ["Rebels"]


@pytest.mark.parametrize("text", [
    "Security forces have stormed the hideout, killing four militants.",  # the guideline's own example, perfect
    "Turkey said its jets had bombed PKK camps in northern Iraq.",
])
def test_a_state_force_before_a_perfect_auxiliary_owns_the_act(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "ATTACK") == []


@pytest.mark.parametrize(("text", "act"), [
    ("Officials condemned the attack on the embassy by Iran-backed militias.", ["attack"]),
    ("The checkpoint came under attack by Russia-backed separatists on Sunday.", ["attack"]),
    ("Residents fled the bombing by Saudi-led coalition jets.", []),  # the coalition is the states'
])
def test_a_states_proxies_are_another_party(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


def test_the_killed_are_no_attacker_of_an_unnamed_act(pre: Preannotator) -> None:
    text = "The Pentagon said a US airstrike in Somalia killed 60 al-Shabab fighters at a training camp."
    assert spans(pre, text, "PERPETRATOR") == []


@pytest.mark.parametrize(("text", "who"), [
    ("Gunmen killed five people in Kano on Sunday.", ["Gunmen"]),
    ("The judge was murdered by two paid assassins in 1987.", ["two paid assassins"]),
])
def test_an_attacker_before_the_outcome_or_after_by_reports_an_attack(pre: Preannotator, text: str,
                                                                      who: list[str]) -> None:
    assert spans(pre, text, "PERPETRATOR") == who


@pytest.mark.parametrize("text", [
    "The opposition accused government forces of shelling the town, killing 15 civilians.",
    "Rebels accused the security forces of the bombing of the market.",
])
def test_blame_on_a_states_forces_is_out_of_scope(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == []


def test_blame_on_a_group_named_army_is_a_claim(pre: Preannotator) -> None:
    text = "Officials blamed the Army of National Liberation for the bombing of the market."
    assert spans(pre, text, "CLAIM") == ["blamed"]


@pytest.mark.parametrize(("text", "victims"), [
    ("A bomb exploded at the market. Police named the dead as Eleanor Price, 68, a retired nurse; her husband, "
     "Geoffrey Price, 70; 34-year-old bus driver Samir Haddad; and eight-year-old Lily Morgan.",
     ["Eleanor Price", "Geoffrey Price", "34-year-old bus driver Samir Haddad", "eight-year-old Lily Morgan"]),
    ("Gunmen opened fire on the bar. Police named the wounded as officer Jana Vogt, 34, officer Felix Brandt, 29, "
     "and delivery driver Omar Khalil, 38.",
     ["officer Jana Vogt", "officer Felix Brandt", "delivery driver Omar Khalil"]),
    ("An IED blast hit the convoy. The martyred jawans have been identified as head constable Rakesh Yadav of Uttar "
     "Pradesh, constable Manpreet Singh of Punjab and constable Sunil Oraon of Jharkhand.",
     ["head constable Rakesh Yadav", "constable Manpreet Singh", "constable Sunil Oraon"]),
    ("A car bomb exploded outside the bank. Among the dead were police Lt. Jorge Ivan Salcedo and patrolman Ruben "
     "Ortiz, who were guarding the bank, and a 9-year-old girl.",
     ["police Lt. Jorge Ivan Salcedo", "patrolman Ruben Ortiz", "a 9-year-old girl"]),
    ("A bomb exploded at the mosque. Among the dead were three children and Sheikh Karim al-Saadi, the mosque's imam.",
     ["three children", "Sheikh Karim al-Saadi"]),
    ("A van bomb exploded at the market. The names of the dead were read aloud: florist Agnes Morrow, 61; her "
     "grandson Tobias, 9; bus driver Samuel Okafor, 44.",
     ["florist Agnes Morrow", "grandson Tobias", "bus driver Samuel Okafor"]),
    ("A bomb exploded at the station. Among those killed were retired teacher Margaret Ellis, 71, and 19-year-old "
     "student Tomas Varga.", ["retired teacher Margaret Ellis", "19-year-old student Tomas Varga"]),
])
def test_lists_of_the_dead_and_wounded(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize("text", [
    "A bomb exploded at the station. Police named the suspect as Marek Lind, 24.",  # not the dead
    "A bomb exploded at the station. Among the dead were many of the town's shopkeepers.",  # no name
])
def test_a_list_that_names_no_victim(pre: Preannotator, text: str) -> None:
    assert [s for s in spans(pre, text, "CASUALTY") if s[:1].isupper()] == []


def test_an_abbreviated_title_opens_no_sentence(pre: Preannotator) -> None:
    text = "A bomb exploded at the base. Sgt. Luis Pineda was killed and Lt. Ana Ruiz was wounded."
    assert spans(pre, text, "CASUALTY") == ["Sgt. Luis Pineda", "Lt. Ana Ruiz"]


def test_the_agent_of_a_perfect_legal_verb_is_no_suspect(pre: Preannotator) -> None:
    text = ("Militants attacked the barracks in 2019. Prosecutors have accused Orin Halder of ordering the mortar "
            "attack on the barracks.")
    assert "Prosecutors" not in spans(pre, text, "PERPETRATOR")
    assert spans(pre, text, "CLAIM") == ["accused"]  # "accused X of ordering": a part in the attack


def test_counted_people_convicted_past_an_adverb(pre: Preannotator) -> None:
    text = "A van bomb killed seven people at the market in 2014. Two men were later convicted of the attack."
    assert spans(pre, text, "PERPETRATOR") == ["Two men"]


@pytest.mark.parametrize("text", [
    "A bomb killed 31 people at the mosque, an attack claimed by Islamic State.",
    "A bomb killed 31 people at the mosque, an attack also claimed by Islamic State.",
])
def test_an_attack_claimed_by_a_group_in_a_reduced_relative(pre: Preannotator, text: str) -> None:
    assert spans(pre, text, "CLAIM") == ["claimed"]


def test_something_else_claimed_by_a_party_is_no_claim(pre: Preannotator) -> None:
    text = "A bomb exploded at the market on Monday, a week after the land claimed by the militia was seized."
    assert spans(pre, text, "CLAIM") == []


def test_a_blamed_name_with_a_hyphenated_particle(pre: Preannotator) -> None:
    text = "A bomb killed 31 people. The governor blamed Jaish al-Tahrir for the attack."
    assert spans(pre, text, "PERPETRATOR") == ["Jaish al-Tahrir"]


def test_guards_who_open_fire_make_no_attack(pre: Preannotator) -> None:
    text = 'A gunman tried to enter the mosque. "He was shouting, and the guards opened fire," said a witness.'
    assert spans(pre, text, "ATTACK") == []


def test_a_second_legal_predicate_is_a_second_claim(pre: Preannotator) -> None:
    text = ("A van bomb killed seven people at the market in 2014. Martin Shaw denied the charges but was found "
            "guilty of the bombing.")
    assert spans(pre, text, "CLAIM") == ["denied the charges", "found guilty"]


def test_an_accomplice_named_in_apposition(pre: Preannotator) -> None:
    text = "A van bomb killed seven people. Callum Reid built the device; his accomplice, Martin Shaw, drove the van."
    assert "Martin Shaw" in spans(pre, text, "PERPETRATOR")


def test_the_source_of_a_list_of_the_dead_is_no_victim(pre: Preannotator) -> None:
    text = ("A bomb exploded at the market. Among the dead were three police officers and a 10-year-old boy, "
            "hospital officials said.")
    assert spans(pre, text, "CASUALTY") == ["three police officers", "a 10-year-old boy"]


def test_a_hate_crime_is_no_crime_news(pre: Preannotator) -> None:
    text = ("A gunman killed four people at a grocery store on Saturday in what police called a hate crime. Darnell "
            "Odom, 22, was charged with four counts of murder.")
    assert spans(pre, text, "CLAIM") == ["charged"]


@pytest.mark.parametrize(("text", "victims"), [
    ("A bomb exploded at the terminal. Anna Berg was among the dead.", ["Anna Berg"]),  # the guideline's example
    ("A bomb exploded at the terminal. Local journalist Samir Haddad was among the wounded.",
     ["Local journalist Samir Haddad"]),
    ("A bomb exploded at the terminal. His two sons were among the dead.", ["two sons"]),
    ("A bomb exploded at the terminal, killing 12. Eleven people were wounded, among them British journalist Tom "
     "Hadley.", ["12", "Eleven people", "British journalist Tom Hadley"]),
])
def test_among_the_dead(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


@pytest.mark.parametrize(("text", "victims"), [
    ("Gunmen stormed the hotel. Among the dead were Canadian aid worker Marie-Claude Fortin, 46; Japanese engineer "
     "Kenji Watanabe, 58; and Norwegian businessman Lars Eide, 61, who had been attending a conference.",
     ["Canadian aid worker Marie-Claude Fortin", "Japanese engineer Kenji Watanabe",
      "Norwegian businessman Lars Eide"]),
    ("A suicide bomber blew himself up at the station. Those buried included Sgt. Viktor Anand, 41, a railway police "
     "officer who tried to stop the bomber at the ticket barrier; Maria Kostic, 29, a teacher on her way to work; and "
     "retired postman Goran Milic, 72.", ["Sgt. Viktor Anand", "Maria Kostic", "retired postman Goran Milic"]),
    ("A man stabbed people near the station. The dead were a 64-year-old woman and a 35-year-old tram driver who had "
     "tried to intervene.", ["a 64-year-old woman", "a 35-year-old tram driver"]),
])
def test_lists_with_origins_long_descriptions_and_relative_clauses(pre: Preannotator, text: str,
                                                                  victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_a_number_after_a_month_is_a_date(pre: Preannotator) -> None:
    text = "Militants bombed the number 14 bus on April 3, and the blast on April 3 killed five passengers."
    assert "3" not in spans(pre, text, "CASUALTY")


@pytest.mark.parametrize(("text", "act", "who"), [
    ("Four jawans were killed on Thursday when terrorists triggered an improvised explosive device.", ["triggered"],
     ["terrorists"]),
    ("Seven CRPF jawans were killed when Maoists triggered an IED and opened fire on a patrol.",
     ["triggered", "opened fire"], ["Maoists"]),
])
def test_a_triggered_device_and_maoists(pre: Preannotator, text: str, act: list[str], who: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act
    assert spans(pre, text, "PERPETRATOR") == who


def test_triggered_without_a_device_is_no_attack(pre: Preannotator) -> None:
    assert spans(pre, "The bombing triggered protests across the country.", "ATTACK") == ["bombing"]


def test_shot_dead_then_a_described_name_and_his_counted_bodyguards(pre: Preannotator) -> None:
    text = ("Gunmen on a motorcycle shot dead opposition politician Samuel Mwangi and his two bodyguards outside his "
            "home.")
    assert spans(pre, text, "CASUALTY") == ["opposition politician Samuel Mwangi", "two bodyguards"]


@pytest.mark.parametrize(("text", "act"), [
    ("Gunmen shot dead a man on Friday. Police said it was a political assassination.", ["assassination"]),
    ("The senator launched a political attack on his rival.", []),  # speech
])
def test_a_political_kind_of_attack_is_one(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


def test_plotting_to_attack_a_place_is_a_planned_attack(pre: Preannotator) -> None:
    text = "Police arrested four men who had been plotting to attack the parliament."
    assert spans(pre, text, "ATTACK") == ["attack"]
    assert spans(pre, "The virus is hard to attack the way we treat others.", "ATTACK") == []


def test_the_subject_of_a_passive_blame_for_the_attack(pre: Preannotator) -> None:
    text = "Two suicide bombers struck a church on Sunday. JAD has been blamed for the attack."
    assert "JAD" in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "group"), [
    ("Two suicide bombers struck a church on Sunday. Police said the bombers, a married couple, belonged to Jamaah "
     "Ansharut Daulah.", "Jamaah Ansharut Daulah"),
    ("A gunman killed five people at the bar. The gunman was a member of the Red Hand, police said.", "Red Hand"),
])
def test_the_group_the_attackers_belong_to(pre: Preannotator, text: str, group: str) -> None:
    assert group in spans(pre, text, "PERPETRATOR")


def test_a_group_a_victim_belongs_to_is_no_perpetrator(pre: Preannotator) -> None:
    text = "A gunman killed five people at the bar. One of the victims was a member of the Rotary Club."
    assert "Rotary Club" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "act"), [
    ("Militants fired the rockets at dawn.", ["fired"]),
    ("The company fired 200 workers on Monday.", []),
])
def test_fired_with_a_projectile_is_an_attack(pre: Preannotator, text: str, act: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act


def test_he_was_identified_as_after_the_attackers_sentence(pre: Preannotator) -> None:
    text = ("The assailant stabbed three people in the old town in what prosecutors called a terrorist attack. He was "
            "identified by prosecutors as Abdullahi Hassan, 29.")
    assert "Abdullahi Hassan" in spans(pre, text, "PERPETRATOR")


def test_he_was_identified_as_after_a_victims_sentence(pre: Preannotator) -> None:
    text = "The victim was stabbed by a man in a terrorist attack. He was identified by police as Peter Brandt, 61."
    assert "Peter Brandt" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "act", "who"), [
    ("Gunman Stabs Three At Station", ["Stabs"], ["Gunman"]),  # a headline's present tense after an attacker
    ("Militants Storm Hotel, Kill 12", ["Storm"], ["Militants"]),
])
def test_a_headlines_present_tense_after_an_attacker(pre: Preannotator, text: str, act: list[str],
                                                     who: list[str]) -> None:
    assert spans(pre, text, "ATTACK") == act
    assert spans(pre, text, "PERPETRATOR") == who


def test_twin_bombs_are_no_attackers_verb(pre: Preannotator) -> None:
    assert spans(pre, "Twin bombs exploded near the finish line.", "PERPETRATOR") == []


def test_counted_suspects_in_a_headline_and_a_plot_infinitive(pre: Preannotator) -> None:
    text = "Three men charged over foiled plot to bomb concert hall"
    assert spans(pre, text, "PERPETRATOR") == ["Three men"]
    assert spans(pre, text, "CLAIM") == ["charged"]


def test_a_headline_figure_killed(pre: Preannotator) -> None:
    assert spans(pre, "Five Killed as Gunmen Storm Market", "CASUALTY") == ["Five"]


@pytest.mark.parametrize(("text", "victims"), [
    ("Raipur: Nine jawans of the Central Reserve Police Force (CRPF) were killed when an IED went off.",
     ["Nine jawans"]),
    ("A bomb exploded at the market. Among the deceased were constable Biju Thomas of Kerala and head constable "
     "Ramesh Yadav.", ["constable Biju Thomas", "head constable Ramesh Yadav"]),
])
def test_a_count_before_of_a_force_and_the_deceased(pre: Preannotator, text: str, victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_a_list_of_the_found_guilty_with_ages(pre: Preannotator) -> None:
    text = "A nail bomb killed four people. Tariq Mansour, 31, and Samir Mansour, 26, were found guilty of the bombing."
    assert spans(pre, text, "PERPETRATOR") == ["Tariq Mansour", "Samir Mansour"]


def test_found_guilty_of_another_offence_names_no_attacker(pre: Preannotator) -> None:
    text = ("A bomb killed three people at the marathon. His friend Azamat Tazhayakov was found guilty of "
            "obstruction of justice.")
    assert "Azamat Tazhayakov" not in spans(pre, text, "PERPETRATOR")


@pytest.mark.parametrize(("text", "group"), [
    ("Gunmen attacked the church, killing 14 worshippers. Jaysh al-Tawhid (JAT), a jihadist group that operates on "
     "both sides of the border, claimed the attack.", "Jaysh al-Tawhid"),
    ("Gunmen attacked the air base, killing two soldiers. A militia calling itself Saraya Dir al-Watan (Homeland "
     "Shield Brigades) claimed responsibility in a statement.", "Saraya Dir al-Watan"),
    ("Nine jawans were killed in an IED blast. In a press note, the South Bastar Divisional Committee of the CPI "
     "(Maoist) claimed responsibility for the attack.", "South Bastar Divisional Committee of the CPI"),
    ("Nine jawans were killed in an IED blast. Police said nearly 150 cadres of the People's Liberation Guerrilla "
     "Army (PLGA) were involved in the attack.", "People's Liberation Guerrilla Army"),
])
def test_a_claimant_past_a_long_apposition_a_gloss_or_a_long_name(pre: Preannotator, text: str, group: str) -> None:
    assert group in spans(pre, text, "PERPETRATOR")


def test_rockets_that_kill_stand_for_the_act(pre: Preannotator) -> None:
    assert spans(pre, "Two rockets killed three soldiers at the base.", "ATTACK") == ["rockets"]
    assert spans(pre, "Several rockets struck near the Green Zone, lightly injuring a child.", "ATTACK") == []


def test_attackers_killed_by_security_forces_are_no_casualty(pre: Preannotator) -> None:
    text = ("Gunmen attacked the church on Sunday. Police said the attackers escaped into the forest and that "
            "security forces had killed two of them on Monday.")
    assert spans(pre, text, "CASUALTY") == []


@pytest.mark.parametrize(("text", "victims"), [
    ("Militants opened fire on the congregation. Father Daniel Kiprono, 61, the parish priest, was among the dead.",
     ["Father Daniel Kiprono"]),
    ("Gunmen stormed the hotel. Kenyan receptionist Grace Wanjiru, 24, was also killed, her employer said.",
     ["Kenyan receptionist Grace Wanjiru"]),  # rules-12: the origin too, as a list element reads it (D6)
    ("Maoists kill 9 CRPF jawans in IED blast", ["9 CRPF jawans"]),
])
def test_named_and_counted_victims_past_appositions_adverbs_and_acronyms(pre: Preannotator, text: str,
                                                                         victims: list[str]) -> None:
    assert spans(pre, text, "CASUALTY") == victims


def test_the_scene_of_an_attack_is_no_film(pre: Preannotator) -> None:
    text = "A man drove a van into the crowd. Krohn, who visited the scene on Sunday, called the attack cruel."
    assert spans(pre, text, "ATTACK") == ["drove", "attack"]


@pytest.mark.parametrize(("text", "claim"), [
    ("A bomb killed 12 people at the market. The Northern Wolves denied any connection to the bombing.",
     "denied any connection"),
    ("Gunmen stormed the church, killing eight. The Red Hand, which has fought the army since 2011, said it had "
     "nothing to do with the massacre.", "said it had nothing to do with"),
])
def test_denials_in_other_words(pre: Preannotator, text: str, claim: str) -> None:
    assert spans(pre, text, "CLAIM") == [claim]


def test_a_denial_of_something_else_is_no_claim(pre: Preannotator) -> None:
    text = "The government had nothing to do with the crisis, the minister said after the bombing."
    assert spans(pre, text, "CLAIM") == []


@pytest.mark.parametrize(("text", "who"), [
    ("Gunmen Storm Church In Eastern Valdera, Killing 8; Army Blames Red Hand Brigade", "Red Hand Brigade"),
    ("A bomb killed nine jawans. Police said the banned Jan Mukti Sena (JMS) is suspected to be behind the attack.",
     "Jan Mukti Sena"),
    ("A man stabbed three people. Callum Reeve, of Hartfield Road, Bradwell, was convicted of the knife attack.",
     "Callum Reeve"),
    ("A 26-year-old man has been found guilty of murdering three people in a knife attack.", "26-year-old man"),
])
def test_parties_of_headlines_passive_attributions_addresses_and_verdicts(pre: Preannotator, text: str,
                                                                           who: str) -> None:
    found = spans(pre, text, "PERPETRATOR")
    assert who in found
    assert not {"Hartfield Road", "Bradwell", "Army Blames Red Hand Brigade"} & set(found)


def test_the_convicted_aged_description_is_no_victim(pre: Preannotator) -> None:
    text = "A 26-year-old man has been found guilty of murdering three people in a knife attack."
    assert spans(pre, text, "CASUALTY") == ["three people"]


def test_a_magistrate_who_remands_all_five_is_no_suspect(pre: Preannotator) -> None:
    text = ("Gunmen attacked the hotel. Five men accused of helping to plan the attack appeared before a magistrate. "
            "Magistrate Grace Wanjiru remanded all five in custody.")
    assert "Grace Wanjiru" not in spans(pre, text, "PERPETRATOR")


def test_ages_in_parentheses_in_a_list_of_the_dead(pre: Preannotator) -> None:
    text = ("An IED blast hit the convoy. The deceased have been identified as head constable Ramesh Kumar (42), "
            "constable Sanjay Tirkey (29) and constable Abdul Rehman (31).")
    assert spans(pre, text, "CASUALTY") == ["head constable Ramesh Kumar", "constable Sanjay Tirkey",
                                            "constable Abdul Rehman"]
