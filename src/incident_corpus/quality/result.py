"""The outcome of checking annotations: valid (possibly repaired) records, the quarantine, and the
counts behind report.json. `checks` fills it, `reporter` renders it, `outputs` writes it.
Imports only core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from incident_corpus.core.labels import LABELS

# Stable check names (they appear in reasons, report.json and the text report).
CHECKS: tuple[str, ...] = (
    "conversion", "label", "offsets", "attribute", "duplicate_span", "span_text",
    "relation_ends", "relation_type", "duplicate_record", "schema",
)
REPAIR_KINDS: tuple[str, ...] = (
    "utf16_offsets", "span_text_rebuilt", "span_whitespace_trimmed", "relation_type_inferred", "relation_reversed",
)


@dataclass
class ValidationResult:
    """Everything `annotate pull`/`validate` found: records, quarantine and the counts behind the report."""

    records: list[dict[str, Any]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    checks: dict[str, dict[str, int]] = field(
        default_factory=lambda: {c: {"passed": 0, "failed": 0, "reasons": 0} for c in CHECKS})
    repairs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPAIR_KINDS, 0))
    labels: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    annotators: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=lambda: {"cancelled": 0, "drafts": 0})
    empty: int = 0
    tasks: int | None = None

    @property
    def ok(self) -> bool:
        return not self.quarantine

    @property
    def totals(self) -> dict[str, int | None]:
        return {
            "tasks": self.tasks,
            "candidates": len(self.records) + len(self.quarantine),
            "valid": len(self.records),
            "quarantined": len(self.quarantine),
            "repaired_records": sum(1 for r in self.records if r.get("repairs")),
            "spans": sum(self.labels.values()),
            "relations": sum(len(r["relations"]) for r in self.records),
            "empty": self.empty,
            "skipped": sum(self.skipped.values()),
        }
