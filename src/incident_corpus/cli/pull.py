"""`annotate pull` and `annotate validate`: annotations back, checked."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from incident_corpus.cli.options import (
    ConnectionSettings,
    connection_options,
    emit_json,
    handle_errors,
    project_option,
)

# -- pull / validate -------------------------------------------------------------------------

def _render_validation(validation: Any, agreement: Any, outputs: dict[str, Path], *, as_json: bool,
                       quiet: bool, extra: dict[str, Any]) -> None:
    from incident_corpus.quality import reporter as report

    if as_json:
        emit_json(report.to_json(validation, agreement=agreement) | {"files": {k: str(v) for k, v in outputs.items()}}
                   | extra)
        return
    if not quiet:
        click.echo(report.render_text(validation, agreement=agreement), err=True)
        for name, path in outputs.items():
            click.echo(f"{name}: {path}")


@click.command()
@project_option
@connection_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export"),
              show_default=True, help="Folder for raw/, annotations.jsonl, quarantine.jsonl, report.json.")
@click.option("--with-emails", is_flag=True, help="Keep annotators' e-mail addresses (personal data) in the records.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything was quarantined.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No report on stderr.")
@handle_errors
def pull(project: str, settings: ConnectionSettings, out_dir: Path, with_emails: bool, strict: bool,
         as_json: bool, quiet: bool) -> None:
    """Fetch PROJECT's completed annotations as validated records; quarantine what fails."""
    from incident_corpus.pipeline.pull import pull as do_pull

    result = do_pull(connection=settings.connect(), project=project,
                     out_dir=out_dir, with_emails=with_emails)
    outputs = {"raw": result.raw_path, **result.outputs}
    _render_validation(result.validation, result.agreement, outputs, as_json=as_json, quiet=quiet,
                       extra={"project": project, "project_id": result.project_id})
    sys.exit(1 if strict and not result.validation.ok else 0)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export/validate"),
              show_default=True, help="Folder for annotations.jsonl, quarantine.jsonl, report.json.")
@click.option("--strict", is_flag=True, help="Exit 1 when anything was quarantined.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No report on stderr.")
@handle_errors
def validate(file: Path, out_dir: Path, strict: bool, as_json: bool, quiet: bool) -> None:
    """Run pull's checks offline on a Label Studio JSON export or an annotations.jsonl."""
    from incident_corpus.export.align import annotators_bio
    from incident_corpus.quality.outputs import validate_file

    validation, agreement, outputs = validate_file(path=file, out_dir=out_dir, tagger=annotators_bio)
    _render_validation(validation, agreement, outputs, as_json=as_json, quiet=quiet, extra={"input": str(file)})
    sys.exit(1 if strict and not validation.ok else 0)
