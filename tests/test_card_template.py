"""The dataset card has every section of the Hugging Face dataset card template (the template file
huggingface_hub ships, read at test time), at the template's heading level, and the sections that
matter to a reviewer say what the pipeline knows (sensitive information, uses, biases, citation)."""

from __future__ import annotations

import re
from pathlib import Path

import huggingface_hub

from incident_corpus.export.build import export

TEMPLATE = Path(huggingface_hub.__file__).parent / "templates" / "datasetcard_template.md"
FIXTURE = Path(__file__).parent / "data" / "records" / "annotations.jsonl"
HEADING = re.compile(r"^(#{2,5}) (.+?)\s*$", re.MULTILINE)


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, title) of every heading below the title, "[optional]" marks dropped, code blocks skipped."""
    outside = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    return [(len(h), t.replace("[optional]", "").strip()) for h, t in HEADING.findall(outside)]


def test_the_template_is_read_and_lists_the_known_sections() -> None:
    found = headings(TEMPLATE.read_text(encoding="utf-8"))
    assert (4, "Personal and Sensitive Information") in found and (2, "Bias, Risks, and Limitations") in found
    assert len(found) >= 20


def test_card_has_every_template_section(tmp_path: Path) -> None:
    export(input_path=FIXTURE, out_dir=tmp_path / "ds", formats=("hf",))
    card = (tmp_path / "ds" / "README.md").read_text(encoding="utf-8")
    ours = set(headings(card))
    missing = [f"{'#' * level} {title}" for level, title in headings(TEMPLATE.read_text(encoding="utf-8"))
               if (level, title) not in ours]
    assert not missing, "dataset card lacks the template's sections: " + "; ".join(missing)
    section = card.split("#### Personal and Sensitive Information", 1)[1].split("\n## ", 1)[0]
    assert "suspects" in section and "victims" in section and "`annotator`" in section
    assert "### Out-of-Scope Use" in card and "guilt" in card.split("### Out-of-Scope Use", 1)[1]
    assert "```bibtex\n@misc{incident_corpus," in card
    assert "### Near-duplicate groups" in card and "Splits are made by group" in card
