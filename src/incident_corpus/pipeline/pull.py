"""`annotate pull`: completed annotations out of Label Studio, kept raw, then checked.

Order matters for "nothing lost": the raw snapshot export is written to disk (atomically)
before anything parses it, and the outputs replace the previous ones only once complete.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_corpus.core import fileio
from incident_corpus.core.errors import LabelStudioError
from incident_corpus.quality.result import ValidationResult
from incident_corpus.studio.connection import Connection


@dataclass
class PullResult:
    """What one pull fetched (kept raw at raw_path), found (validation, agreement) and wrote (outputs)."""

    project: str
    project_id: int
    raw_path: Path
    outputs: dict[str, Path]
    validation: ValidationResult
    agreement: dict[str, Any] | None
    tasks: int = 0


def raw_export_path(out_dir: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = out_dir / "raw" / f"{stamp}.json"
    n = 1
    while path.exists():
        n += 1
        path = out_dir / "raw" / f"{stamp}-{n}.json"
    return path


def pull(*, connection: Connection, project: str, out_dir: Path, with_emails: bool = False) -> PullResult:
    from incident_corpus.quality.checks import check_export
    from incident_corpus.quality.outputs import write_outputs
    from incident_corpus.studio.client import Client

    with Client(connection) as client:
        client.check()
        proj = client.get_project(project)
        # Predictions inlined: the pre-annotation audit compares them with what annotators submitted.
        raw = client.export_snapshot(proj.id, tasks=proj.task_count, with_predictions=True)
        raw_path = raw_export_path(out_dir)
        fileio.write_bytes(raw_path, raw)
        users = client.users()
    try:
        tasks = json.loads(raw)
    except ValueError as exc:
        raise LabelStudioError(
            f"the export of project {project!r} is not valid JSON ({exc}); it is kept verbatim at {raw_path}; "
            "pull again, and report it if it repeats"
        ) from None
    from incident_corpus.export.align import annotators_bio
    from incident_corpus.quality.audit import audit_export

    validation, agreement = check_export(tasks=tasks, users=users, with_emails=with_emails, tagger=annotators_bio)
    outputs = write_outputs(validation, out_dir=out_dir, agreement=agreement, audit=audit_export(tasks, users=users))
    return PullResult(project=project, project_id=proj.id, raw_path=raw_path, outputs=outputs,
                      validation=validation, agreement=agreement, tasks=len(tasks))
