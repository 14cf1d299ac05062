"""The files `annotate pull` and `annotate validate` leave: annotations.jsonl, quarantine.jsonl,
report.json, agreement.json and audit.json, renamed into place together (core.fileio) or not at all.
Imports core, studio.convert and the quality modules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from incident_corpus.core import fileio
from incident_corpus.quality.checks import check_export
from incident_corpus.quality.reporter import to_json
from incident_corpus.quality.result import ValidationResult
from incident_corpus.studio.convert import load_annotations


def write_outputs(
    result: ValidationResult, *, out_dir: Path, agreement: dict[str, Any] | None,
    audit: dict[str, Any] | None = None,
) -> dict[str, Path]:
    """Write annotations.jsonl, quarantine.jsonl, report.json (+ agreement.json, audit.json), atomically as a set."""
    out_dir = Path(out_dir)
    paths = {
        "annotations": out_dir / "annotations.jsonl",
        "quarantine": out_dir / "quarantine.jsonl",
        "report": out_dir / "report.json",
    }
    from incident_corpus.quality.neargroups import assign

    assign(result.records)  # each record's near_duplicate_group
    # All or nothing: the files are renamed into place together, only once every one is complete.
    with fileio.replace_together() as staged:
        staged.write_jsonl(paths["annotations"], result.records)
        staged.write_jsonl(paths["quarantine"], result.quarantine)
        staged.write_json(paths["report"], to_json(result, agreement=agreement))
        if agreement is not None:
            paths["agreement"] = out_dir / "agreement.json"
            staged.write_json(paths["agreement"], agreement)
        if audit is not None:
            paths["audit"] = out_dir / "audit.json"
            staged.write_json(paths["audit"], audit)
    return paths


def validate_file(*, path: Path, out_dir: Path, tagger: Any = None
                  ) -> tuple[ValidationResult, dict[str, Any], dict[str, Path]]:
    """`annotate validate FILE`: load an export or annotations.jsonl, check it, write the outputs
    (`tagger`: see check_export)."""
    result, agreement = check_export(tasks=load_annotations(path), tagger=tagger)
    return result, agreement, write_outputs(result, out_dir=out_dir, agreement=agreement)
