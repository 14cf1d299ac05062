"""`annotate status`: progress and pre-annotation quality."""

from __future__ import annotations

from pathlib import Path

import click

from incident_corpus.cli.options import (
    ConnectionSettings,
    connection_options,
    emit_json,
    project_option,
)

# -- status ----------------------------------------------------------------------------------

@click.command("status")
@project_option
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.option("--model", "model", type=click.Path(file_okay=False, path_type=Path), default=Path("export/serve"),
              show_default=True, help="A model folder `annotate train` wrote, or the --workdir of `annotate serve`: "
                                      "shows its merge with the rules per label and why.")
def status_cmd(project: str, settings: ConnectionSettings, as_json: bool, model: Path) -> None:
    """Progress of PROJECT: tasks done/skipped/left, work per annotator, labels, pre-annotation F1."""
    from incident_corpus.pipeline.status import project_status, render_text

    result = project_status(connection=settings.connect(), project=project, model=model)
    if as_json:
        emit_json(result.as_dict())
    else:
        click.echo(render_text(result))
