"""The worked examples of schema/guideline.md, run through the rules: what the guideline draws, the
pre-annotator proposes, except the few spans listed below with the reason the rules leave them out.

The examples are read from the guideline itself, so an edited example is checked as written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from incident_corpus.preannotate.runner import Preannotator

GUIDELINE = Path(__file__).resolve().parents[1] / "schema" / "guideline.md"

# (example number, label, span text) the rules do not propose today, and why
NOT_PROPOSED = {
    # a blast with no device, attacker or claim in the text may be an accident (a gas explosion): the rules
    # hold it back, and with it the casualties (the real-news gold drops when they do not)
    (7, "ATTACK", "blast"), (7, "CASUALTY", "two soldiers"), (7, "CASUALTY", "dozens of shoppers"),
    # the target noun before the act is not taken into its span (only the kind: suicide, car, knife)
    (8, "ATTACK", "market bombing"),
    # a confession counts in a text with a word of terror or a listed group; the PRF is known only by the shape
    # of its name (letting such names count dropped the sealed CLAIM figure)
    (10, "CLAIM", "confessed"),
}


def examples() -> list[tuple[int, str, list[tuple[str, str]]]]:
    text = GUIDELINE.read_text(encoding="utf-8")
    text = text[text.index("## Worked examples"):]
    out = []
    for number, block in re.findall(r"\*\*Example (\d+)[^*]*\*\*[^\n]*\n(.*?)(?=\*\*Example \d+|\Z)", text, re.S):
        quote = [line[1:].strip() for line in block.splitlines() if line.startswith(">")]
        paragraphs = " ".join(line if line else "\n" for line in quote).replace(" \n ", "\n").strip()
        spans = []
        for first, second, label in re.findall(r"^- `([^`]+)`(?: and `([^`]+)`)?[^→\n]*→ ([A-Z]+)", block, re.M):
            spans += [(label, first)] + ([(label, second)] if second else [])
        out.append((int(number), paragraphs, spans))
    return out


@pytest.fixture(scope="module")
def pre() -> Preannotator:
    return Preannotator()


def test_the_guideline_has_its_worked_examples() -> None:
    found = examples()
    assert [n for n, _t, _s in found] == list(range(1, 11))
    assert all(spans for _n, _t, spans in found)


@pytest.mark.parametrize(("number", "text", "expected"), examples(), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_a_worked_example_is_proposed(pre: Preannotator, number: int, text: str,
                                      expected: list[tuple[str, str]]) -> None:
    got = {(s["label"], s["text"]) for s in pre.annotate(text)["spans"]}
    missing = [(label, span) for label, span in expected if (label, span) not in got]
    assert missing == [(label, span) for label, span in expected if (number, label, span) in NOT_PROPOSED]
