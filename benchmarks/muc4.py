"""MUC-4 dev through a mapping: older wire reports in capitals, scored by entity recall.

MUC-4 (1992) is the older-wire corpus the guideline's PERPETRATOR and CASUALTY descend from: Latin
American reports of political violence, in capitals, with answer keys (templates) naming each incident's
perpetrators and victims. Its dev part (TST1 and TST2, 200 reports) in the processed form that Du et al.'s
GTT/GRIT work made public (a JSON list of `{"docid", "doctext", "templates"}`, the text lower-cased there) is
read from the path in `$INCIDENT_MUC4_DEV`; nothing of it is kept in the project, and without the variable
the set is skipped with a note. Its test parts (TST3, TST4) are not read.

The mapping: `PerpInd` and `PerpOrg` fillers are PERPETRATOR entities, `Victim` fillers of attack and
bombing templates are CASUALTY entities. An entity counts as found when a proposed span of its label
overlaps any occurrence of any of its listed mentions. Only recall is meaningful: a key lists one template
per incident and names no mention the guideline marks beyond it, and it lists state forces as perpetrators,
which the guideline does not (so recall cannot reach 1). The text is upper-cased, as the wire sent it.

This set became a development set in issue 28's fourth round (its errors were read): an upper bound for
older wire, not a sealed figure.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ENV = "INCIDENT_MUC4_DEV"
ROLES = {"PerpInd": "PERPETRATOR", "PerpOrg": "PERPETRATOR", "Victim": "CASUALTY"}
VICTIM_INCIDENTS = frozenset({"attack", "bombing"})  # not kidnapping, arson, robbery: no one killed or hurt by them


def dev_set(path: str | None = None) -> tuple[list[str], list[list[tuple[str, tuple[str, ...]]]]] | None:
    """(texts in capitals, per text its entities as (label, mentions)), or None when no path is given."""
    where = path or os.environ.get(ENV)
    if not where or not Path(where).is_file():
        return None
    docs = json.loads(Path(where).read_text(encoding="utf-8"))
    return [d["doctext"].upper() for d in docs], [entities(d) for d in docs]


def entities(doc: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """The document's distinct (label, mentions) entities from its templates, by the mapping above."""
    out: dict[tuple[str, tuple[str, ...]], None] = {}
    for template in doc["templates"]:
        for role, label in ROLES.items():
            if role == "Victim" and template["incident_type"] not in VICTIM_INCIDENTS:
                continue
            for entity in template[role]:
                out[(label, tuple(sorted(m.upper() for m, _offset in entity)))] = None
    return list(out)


def entity_recall(texts: list[str], gold: list[list[tuple[str, tuple[str, ...]]]],
                  pred: list[list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per label: entities found (a proposed span of the label over any occurrence of a mention) / all."""
    counts = {label: [0, 0] for label in sorted(set(ROLES.values()))}
    for text, ents, spans in zip(texts, gold, pred, strict=True):
        for label, mentions in ents:
            counts[label][1] += 1
            counts[label][0] += any(_overlaps(text, m, spans, label) for m in mentions)
    return {label: {"found": f, "entities": n, "recall": f / n if n else 0.0} for label, (f, n) in counts.items()}


def _overlaps(text: str, mention: str, spans: list[dict[str, Any]], label: str) -> bool:
    start = text.find(mention)
    while start >= 0:
        end = start + len(mention)
        if any(s["label"] == label and s["start"] < end and start < s["end"] for s in spans):
            return True
        start = text.find(mention, start + 1)
    return False
