"""`annotate review`: disagreements between annotators → tasks for a curator."""

from __future__ import annotations

from typing import Any

import click

from incident_corpus.cli.options import (
    ConnectionSettings,
    Progress,
    connection_options,
    emit_json,
    handle_errors,
    project_option,
)


@click.command("review")
@project_option
@connection_options
@click.option("--review-project", default=None,
              help="Title of the review project (created with our label config). Default: '<PROJECT> review'.")
@click.option("--min-agreement", type=click.FloatRange(min=0, max=1), default=0.8, show_default=True,
              help="Articles whose span overlap F1 between two annotators is below this go to review "
                   "(as do any attribute or relation conflict).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary.")
@handle_errors
def review_cmd(project: str, settings: ConnectionSettings, review_project: str | None, min_agreement: float,
               as_json: bool, quiet: bool) -> None:
    """Push every article of PROJECT whose annotators disagree to a review project, each annotator's version
    as a prediction named by pseudonym ("Compare All" shows them side by side). Running it again adds
    only new disagreements."""
    from incident_corpus.pipeline.review import review

    with Progress(quiet or as_json) as progress:
        result = review(connection=settings.connect(), project=project, review_project=review_project,
                        min_agreement=min_agreement, progress=progress)
    if as_json:
        emit_json(result.as_dict())
    elif not quiet:
        _render(result)


def _render(r: Any) -> None:
    click.echo(f"project {r.project!r}: {r.records} valid annotations, {r.articles_multi} article(s) with two or "
               f"more annotators, {len(r.disagreements)} disagree")
    for d in r.disagreements[:20]:
        click.echo(f"  {d['article_id']}: " + "; ".join(d["reasons"][:3])
                   + (f" (+{len(d['reasons']) - 3} more)" if len(d["reasons"]) > 3 else ""))
    for problem in r.invalid:
        click.echo(f"invalid: {problem['source']}: {problem['reason']}", err=True)
    if r.review_project_id is not None:
        made = " (created)" if r.review_project_created else ""
        click.echo(f"review project {r.review_project!r} (id {r.review_project_id}){made}: {r.created} task(s) "
                   f"created, {r.already_present} already there")
