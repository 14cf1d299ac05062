"""The label set: the one place in code that names labels, attributes and relations.

`schema/label_config.xml`, `schema/*.schema.json` and the guideline are checked against
these constants by `tests/test_schema_contract.py`; change them together.
The order of LABELS is the ClassLabel order of the exported datasets: never reorder,
only append.
"""

from __future__ import annotations

from dataclasses import dataclass

# Names of the Label Studio control tags in schema/label_config.xml.
TEXT_NAME = "text"
LABELS_NAME = "label"

LABELS: tuple[str, ...] = ("ATTACK", "PERPETRATOR", "CASUALTY", "CLAIM")

# One-line definitions; the dataset card and the guideline's summary table use these.
LABEL_DEFINITIONS: dict[str, str] = {
    "ATTACK": "The word or phrase that names the violent act itself (bombing, stormed, shooting).",
    "PERPETRATOR": (
        "Who carried out or is held responsible for the attack: a named group or a described person or people."
    ),
    "CASUALTY": "A noun phrase naming people killed or injured by the attack, with its number and hedge.",
    "CLAIM": "The statement that someone claims, denies or is said to bear responsibility for an attack.",
}

# Hotkeys shown in the UI: digits, which Label Studio does not use for its own shortcuts.
LABEL_HOTKEYS: dict[str, str] = {"ATTACK": "1", "PERPETRATOR": "2", "CASUALTY": "3", "CLAIM": "4"}
LABEL_COLOURS: dict[str, str] = {
    "ATTACK": "#d62728",
    "PERPETRATOR": "#1f77b4",
    "CASUALTY": "#ff7f0e",
    "CLAIM": "#2ca02c",
}


@dataclass(frozen=True)
class Attribute:
    """A per-region single-choice attribute (a `<Choices perRegion="true">` in the config)."""

    name: str
    label: str
    values: tuple[str, ...]
    required: bool


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("attack_type", "ATTACK", (
        "bombing", "armed_assault", "assassination", "kidnapping", "arson", "vehicle_ramming",
        "stabbing", "other",
    ), required=False),
    Attribute("attack_stage", "ATTACK", ("accomplished", "attempted", "threatened"), required=False),
    Attribute("perpetrator_kind", "PERPETRATOR", ("organisation", "individual"), required=False),
    Attribute("outcome", "CASUALTY", ("killed", "injured", "unknown"), required=False),
    Attribute("claim_status", "CLAIM", ("claimed", "denied", "attributed"), required=False),
)
ATTRIBUTES_BY_NAME: dict[str, Attribute] = {a.name: a for a in ATTRIBUTES}

# Relation types: name -> (label of the `from` span, label of the `to` span).
# Each label pair has exactly one type, so an untyped relation can be typed unambiguously.
RELATIONS: dict[str, tuple[str, str]] = {
    "perpetrator_of": ("PERPETRATOR", "ATTACK"),
    "casualty_of": ("CASUALTY", "ATTACK"),
    "claimed_by": ("CLAIM", "PERPETRATOR"),
    "claim_for": ("CLAIM", "ATTACK"),
}
RELATION_BY_PAIR: dict[tuple[str, str], str] = {pair: name for name, pair in RELATIONS.items()}
RELATION_TYPES: tuple[str, ...] = tuple(RELATIONS)

# Tie-break for the one-label-per-token views (BIO tags, doc.ents): the longer span wins,
# then the label that comes first here.
OVERLAP_PRIORITY: tuple[str, ...] = ("CASUALTY", "PERPETRATOR", "ATTACK", "CLAIM")

BIO_TAGS: tuple[str, ...] = ("O", *tuple(f"{p}-{label}" for label in LABELS for p in ("B", "I")))
