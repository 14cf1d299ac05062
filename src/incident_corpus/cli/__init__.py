"""The `annotate` command line: one module per command; each parses options, calls one library function and renders.

The group runs every command inside the one error contract of cli/errors.py."""

from __future__ import annotations

import click

from incident_corpus import __version__
from incident_corpus.cli import dedupe, export, project, pull, push, review, serve, status, studio, train
from incident_corpus.cli.errors import DEBUG_ENV, AnnotateGroup


@click.group(cls=AnnotateGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="annotate")
@click.option("--debug", is_flag=True, envvar=DEBUG_ENV, show_envvar=True,
              help="On an error, print the full traceback (for a bug report) before the `Error:` line.")
def cli(debug: bool) -> None:
    """incident-corpus: news articles about attacks → Label Studio → a labelled NLP corpus.

    \b
    annotate studio start        local Label Studio (embedded default)
    annotate dedupe PATH...      near-duplicate groups of articles, before pushing them
    annotate push PATH...        articles → tasks with pre-annotations
    annotate pull                completed annotations → validated records (export/)
    annotate validate FILE       the same checks offline on a Label Studio export
    annotate export              records → Hugging Face dataset / spaCy corpus
    annotate status              progress and pre-annotation quality of a project
    annotate project set         overlap: how many annotators label each task
    annotate review              disagreements → a review project for a curator
    annotate train               exported corpus → spaCy NER pipeline (pre-annotates with --model)
    annotate serve               the ML backend Label Studio calls: live predictions, retraining

    Exit codes: 0 done, 1 failed (bad data, server, files), 2 usage mistake, 3 `studio status`: not running.
    """


@cli.command("samples")
def samples() -> None:
    """Print the folder of the bundled sample articles (for `annotate push "$(annotate samples)"`)."""
    from incident_corpus.core.resources import samples_dir

    click.echo(str(samples_dir()))


cli.add_command(studio.studio)
cli.add_command(push.push)
cli.add_command(dedupe.dedupe_cmd)
cli.add_command(pull.pull)
cli.add_command(pull.validate)
cli.add_command(export.export_cmd)
cli.add_command(status.status_cmd)
cli.add_command(project.project)
cli.add_command(review.review_cmd)
cli.add_command(train.train_cmd)
cli.add_command(serve.serve_cmd)


def main() -> None:  # pragma: no cover
    cli(prog_name="annotate")
