"""`annotate project`: settings for working as a team (overlap, annotator signup link)."""

from __future__ import annotations

import click

from incident_corpus.cli.options import (
    ConnectionSettings,
    connection_options,
    emit_json,
    handle_errors,
    project_option,
)


@click.group("project")
def project() -> None:
    """Team settings of a Label Studio project."""


@project.command("set")
@project_option
@connection_options
@click.option("--overlap", "annotators", type=click.IntRange(min=1), required=True,
              help="Annotators who label each task (Label Studio's maximum_annotations).")
@click.option("--overlap-share", "share", type=click.FloatRange(min=0, max=1, min_open=True), default=1.0,
              show_default=True, help="Share of the tasks labelled that many times; the rest once.")
@click.option("--json", "as_json", is_flag=True, help="Print the stored settings as JSON.")
@handle_errors
def set_cmd(project: str, settings: ConnectionSettings, annotators: int, share: float, as_json: bool) -> None:
    """Set how many annotators label each task of PROJECT (the next-task stream serves each task to that many)."""
    from incident_corpus.pipeline.project import set_overlap

    result = set_overlap(connection=settings.connect(), project=project, annotators=annotators, share=share)
    if as_json:
        emit_json(result.as_dict())
    else:
        click.echo(f"project {result.project!r} (id {result.project_id}): {result.annotators} annotator(s) per task "
                   f"on {result.percent} % of the tasks")


@project.command("invite")
@connection_options
@handle_errors
def invite_cmd(settings: ConnectionSettings) -> None:
    """Print the signup link annotators open to make an account that can log in."""
    from incident_corpus.pipeline.project import invite_link

    click.echo(invite_link(connection=settings.connect()))
