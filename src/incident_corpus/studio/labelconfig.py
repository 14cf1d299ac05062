"""Reading Label Studio label configs: what labels, attributes and relations a config defines.

Used to compare a project's config with ours before touching it (Label Studio accepts a new
config that orphans labels existing annotations use) and by the schema contract test.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from incident_corpus.core.errors import InputError


@dataclass
class ConfigSummary:
    labels: dict[str, list[str]] = field(default_factory=dict)  # Labels name -> label values
    choices: dict[str, list[str]] = field(default_factory=dict)  # per-region Choices name -> values
    relations: list[str] = field(default_factory=list)
    text_names: list[str] = field(default_factory=list)
    hotkeys: dict[str, str] = field(default_factory=dict)


def summarize(xml: str, *, source: str = "label config") -> ConfigSummary:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise InputError(f"{source}: not valid XML ({exc}); fix the config") from None
    s = ConfigSummary()
    for el in root.iter():
        if el.tag == "Labels":
            values = [c.get("value", "") for c in el if c.tag == "Label"]
            s.labels[el.get("name", "")] = values
            for c in el:
                if c.tag == "Label" and c.get("hotkey"):
                    s.hotkeys[c.get("value", "")] = c.get("hotkey", "")
        elif el.tag == "Choices":
            s.choices[el.get("name", "")] = [c.get("value", "") for c in el if c.tag == "Choice"]
        elif el.tag == "Relations":
            s.relations = [c.get("value", "") for c in el if c.tag == "Relation"]
        elif el.tag == "Text":
            s.text_names.append(el.get("name", ""))
    return s


def diff(ours: str, theirs: str) -> list[str]:
    """Human-readable differences that matter to annotations (labels, choices, relations)."""
    a, b = summarize(ours, source="our label config"), summarize(theirs, source="the project's label config")
    out: list[str] = []

    def cmp(kind: str, mine: list[str], other: list[str]) -> None:
        missing = [v for v in mine if v not in other]
        extra = [v for v in other if v not in mine]
        if missing:
            out.append(f"{kind}: the project lacks {', '.join(missing)}")
        if extra:
            out.append(f"{kind}: the project has {', '.join(extra)} which ours does not")

    for name in sorted(set(a.labels) | set(b.labels)):
        cmp(f"labels '{name}'", a.labels.get(name, []), b.labels.get(name, []))
    for name in sorted(set(a.choices) | set(b.choices)):
        cmp(f"choices '{name}'", a.choices.get(name, []), b.choices.get(name, []))
    cmp("relations", a.relations, b.relations)
    cmp("text fields", a.text_names, b.text_names)
    if not out and _canon(ours) != _canon(theirs):
        out.append("layout: same labels, choices and relations, but the XML differs (colours, hotkeys or layout)")
    return out


def _canon(xml: str) -> str:
    return ET.tostring(ET.fromstring(xml), encoding="unicode").replace("\n", "").replace(" ", "")
