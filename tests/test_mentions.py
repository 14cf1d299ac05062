"""Label one mention, get them all (preannotate/mentions.py): the other mentions of a marked entity."""

from __future__ import annotations

from incident_corpus.preannotate.mentions import acronym_of, other_mentions, surname_of

TEXT = ("Police named the bomber as Dzhokhar Tsarnaev, 19. His brother Tamerlan Tsarnaev died on Friday. "
        "Tsarnaev had planned the attack for weeks, prosecutors said. The Islamic State of Iraq and Syria "
        "claimed it; ISIS said Dzhokhar Tsarnaev was a soldier. The Northern Front denied any role, and the "
        "front's leaders said ISIS lied. A Tsarnaevian myth grew.")


def _texts(spans: list[tuple[int, int]]) -> list[str]:
    return [TEXT[s:e] for s, e in spans]


def _at(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def test_a_full_name_brings_its_repeats_and_its_surname_alone_not_a_relatives_name() -> None:
    got = other_mentions(TEXT, *_at("Dzhokhar Tsarnaev"))
    assert _texts(got) == ["Tsarnaev", "Dzhokhar Tsarnaev"]
    assert got[0] == (_at("Tsarnaev had")[0], _at("Tsarnaev had")[0] + len("Tsarnaev"))
    # "Tamerlan Tsarnaev" is another person; "Tsarnaevian" is another word.
    assert all(TEXT[s - 9:s] != "Tamerlan " for s, _ in got)


def test_a_long_name_brings_its_acronym_and_an_acronym_its_long_name() -> None:
    name = _at("Islamic State of Iraq and Syria")
    assert _texts(other_mentions(TEXT, *name)) == ["ISIS", "ISIS"]
    assert _texts(other_mentions(TEXT, *_at("ISIS"))) == ["Islamic State of Iraq and Syria", "ISIS"]


def test_an_organisation_is_not_cut_to_its_last_word_and_nothing_overlaps_what_is_taken() -> None:
    assert surname_of("Northern Front") is None and surname_of("Dzhokhar Tsarnaev") == "Tsarnaev"
    assert acronym_of("Islamic State of Iraq and Syria") == "ISIS" and acronym_of("bomber") is None
    assert other_mentions(TEXT, *_at("Northern Front")) == []  # "front's" is lower case, "NF" absent
    second = _at("Dzhokhar Tsarnaev", 1)
    got = other_mentions(TEXT, *_at("Dzhokhar Tsarnaev"), taken=[second])
    assert _texts(got) == ["Tsarnaev"]
    assert other_mentions(TEXT, 0, 0) == [] and other_mentions(TEXT, *_at(" ")) == []
