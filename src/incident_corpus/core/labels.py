"""The label set: the one place in code that says what labels mean: their names, definitions,
hotkeys and colours, their attributes and relations, each label's role in an event and its TextEE name.

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

# Events (export/formats/events.py): each span of TRIGGER_LABEL is one attack event, and a span of every
# other label is an argument of the events its relations tie it to, in the role named here. The order of
# the argument roles is the ClassLabel order of the exported `role` column: never reorder, only append.
TRIGGER_LABEL = "ATTACK"
TRIGGER_ROLE = "trigger"
LABEL_ROLES: dict[str, str] = {
    "ATTACK": TRIGGER_ROLE,
    "PERPETRATOR": "perpetrator",
    "CASUALTY": "casualty",
    "CLAIM": "claim",
}
ARGUMENT_ROLES: tuple[str, ...] = tuple(r for r in LABEL_ROLES.values() if r != TRIGGER_ROLE)
# The relation between two arguments (not with the trigger): a CLAIM's `claimed_by` PERPETRATOR is its claimant.
CLAIMANT_ROLE = "claimant"

# TextEE/OneIE names (export/formats/textee.py): the trigger label's event type, the other labels' argument roles.
TEXTEE_NAMES: dict[str, str] = {
    "ATTACK": "Conflict:Attack",
    "PERPETRATOR": "Attacker",
    "CASUALTY": "Victim",
    "CLAIM": "Claim",
}

# Tie-break for the one-label-per-token views (BIO tags, doc.ents): the longer span wins,
# then the label that comes first here.
OVERLAP_PRIORITY: tuple[str, ...] = ("CASUALTY", "PERPETRATOR", "ATTACK", "CLAIM")

BIO_TAGS: tuple[str, ...] = ("O", *tuple(f"{p}-{label}" for label in LABELS for p in ("B", "I")))
