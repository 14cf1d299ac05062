"""Our span records ↔ Label Studio result JSON (the `result` list of a prediction/annotation).

A span record is `{"id", "start", "end", "label", "text", "attributes": {name: value}}`, and a
pre-annotation's span may carry a `score` (rule confidence, shown and filterable in Label Studio);
a relation is `{"from_id", "to_id", "type"}`. In Label Studio a span is one `labels` item
plus one `choices` item per attribute, all sharing the region `id`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from incident_corpus.core.labels import LABELS_NAME, TEXT_NAME


def spans_to_result(
    spans: Iterable[dict[str, Any]], relations: Iterable[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for span in spans:
        offsets = {"start": span["start"], "end": span["end"], "text": span["text"]}
        item: dict[str, Any] = {
            "id": span["id"], "from_name": LABELS_NAME, "to_name": TEXT_NAME, "type": "labels",
            "value": {**offsets, "labels": [span["label"]]},
        }
        if "score" in span:
            item["score"] = span["score"]
        result.append(item)
        for name, value in sorted(span.get("attributes", {}).items()):
            result.append({
                "id": span["id"], "from_name": name, "to_name": TEXT_NAME, "type": "choices",
                "value": {**offsets, "choices": [value]},
            })
    for rel in relations:
        result.append({
            "from_id": rel["from_id"], "to_id": rel["to_id"], "type": "relation",
            "direction": "right", "labels": [rel["type"]],
        })
    return result
