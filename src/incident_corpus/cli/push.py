"""`annotate push`: articles in, tasks out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from incident_corpus.cli.options import (
    ConnectionSettings,
    Progress,
    connection_options,
    emit_json,
    project_option,
)
from incident_corpus.cli.params import OutputPath

# -- push ------------------------------------------------------------------------------------

@click.command()
@click.argument("paths", nargs=-1, required=True)
@project_option
@connection_options
@click.option("--pre-annotate/--no-pre-annotate", default=True, show_default=True,
              help="Add rule-based predictions the annotators correct.")
@click.option("--model", default=None, metavar="DIR|NAME",
              help="A pipeline `annotate train` wrote (merged with the rules by its policy), or an installed "
                   "general spaCy pipeline with NER whose PERSON/ORG entities in a perpetrator role help the rules.")
@click.option("--rules/--no-rules", default=True, show_default=True,
              help="--no-rules: pre-annotate with the --model pipeline alone (to measure it).")
@click.option("--dry-run", is_flag=True, help="Only write the task file (default tasks/<project>.json); no server.")
@click.option("--out", type=OutputPath(dir_okay=False), default=None,
              help="Also write the tasks to this JSON file (importable in the Label Studio UI).")
@click.option("--batch-size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Tasks per import request.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5_000_000, show_default=True,
              help="Largest article accepted: a .txt/.html file, or one item of a .json/.jsonl batch.")
@click.option("--overlap", type=click.IntRange(min=1), default=None,
              help="Annotators who label each task (sets the project's overlap; see `annotate project set`).")
@click.option("--overlap-share", type=click.FloatRange(min=0, max=1, min_open=True), default=None,
              help="With --overlap: share of the tasks labelled that many times (default 1: all).")
@click.option("--blind-share", type=click.FloatRange(min=0, max=1), default=0.0, show_default=True,
              help="Share of the articles pushed without pre-annotation (the same ones every run), so the "
                   "audit in `annotate status` compares work with and without suggestions.")
@click.option("--near-duplicates", "near_duplicates", type=click.Choice(["skip", "keep", "off"]), default="skip",
              show_default=True, help="An article that is a near-duplicate of one in the project or earlier in the "
              "input (a reprint, an update, a print view, a brief of a full story): skip reports it and does not "
              "push it; keep pushes it with meta.near_duplicate_of; off does not look.")
@click.option("--near-duplicate-threshold", type=click.FloatRange(min=0, max=1, min_open=True), default=0.8,
              show_default=True, help="Word-shingle Jaccard (or containment of the shorter text) at which two "
              "articles are near-duplicates.")
@click.option("--update-config", is_flag=True, help="Replace an existing project's different label config with ours.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary; the exit code tells.")
def push(paths: tuple[str, ...], project: str, settings: ConnectionSettings, pre_annotate: bool,
         model: str | None, rules: bool, dry_run: bool, out: Path | None,
         batch_size: int, max_bytes: int, overlap: int | None, overlap_share: float | None, blind_share: float,
         near_duplicates: str, near_duplicate_threshold: float, update_config: bool, as_json: bool,
         quiet: bool) -> None:
    """Send articles (.txt, .json, .jsonl, .html, folders, - for JSONL on stdin) to PROJECT as tasks.

    Exactly one task per distinct article: running it again creates nothing new.
    Exit code 0 only when every input was valid.
    """
    from incident_corpus.pipeline.push import push as do_push

    connection = None if dry_run else settings.connect()
    with Progress(quiet or as_json) as progress:
        result = do_push(
            paths=paths, project=project, connection=connection, pre_annotate=pre_annotate, model=model,
            rules=rules, dry_run=dry_run, out=out, batch_size=batch_size, max_bytes=max_bytes,
            update_config=update_config, stdin=sys.stdin, progress=progress, overlap=overlap,
            overlap_share=overlap_share, blind_share=blind_share, near_duplicates=near_duplicates,
            near_duplicate_threshold=near_duplicate_threshold,
        )
    if as_json:
        emit_json(result.as_dict())
    elif not quiet:
        _render_push(result)
    sys.exit(0 if result.ok else 1)


def _render_push(r: Any) -> None:
    if r.merge:
        from incident_corpus.preannotate.policy import describe

        click.echo("merge of the model with the rules, per label:", err=True)
        for line in describe(r.merge):
            click.echo(f"  {line}", err=True)
    for problem in r.invalid:
        click.echo(f"invalid: {problem['source']}: {problem['reason']}", err=True)
    for dup in r.duplicates:
        others = ", ".join(str(s) for s in dup["also_in"])
        click.echo(f"duplicate: {others} hold the same article as {dup['kept']} (article_id {dup['article_id']}); "
                   "pushed once", err=True)
    for near in r.near_duplicates:
        what = {"jaccard": "is a near-duplicate of", "contained": "is contained in",
                "contains": "contains"}[near["kind"]]
        fate = ("pushed with meta.near_duplicate_of" if near["pushed"]
                else "not pushed (--near-duplicates keep pushes it)")
        click.echo(f"near-duplicate: {near['source']} (article_id {near['article_id']}) {what} article_id "
                   f"{near['duplicate_of']} (similarity {near['similarity']:.2f}, {near['kind']}); {fate}", err=True)
    if r.tasks_file:
        click.echo(f"tasks file: {r.tasks_file}")
    if r.dry_run:
        held = sum(not n["pushed"] for n in r.near_duplicates)
        click.echo(f"dry run: {r.articles - held} tasks built ({r.predictions} with pre-annotations), "
                   f"{len(r.invalid)} invalid inputs; nothing sent")
        return
    made = " (project created)" if r.project_created else ""
    held = sum(not n["pushed"] for n in r.near_duplicates)
    near = f"{held} near-duplicates held back, " if held else ""
    click.echo(f"project {r.project!r} (id {r.project_id}){made}: {r.created} created, "
               f"{r.already_present} already present, {len(r.duplicates)} duplicates in input, {near}"
               f"{len(r.invalid)} invalid inputs")
    if r.blind:
        click.echo(f"blind share: {r.blind} article(s) built without pre-annotation")
    if r.overlap:
        click.echo(f"overlap: {r.overlap['annotators']} annotator(s) per task on {r.overlap['percent']} % of the tasks")
    if r.duplicate_tasks_removed:
        click.echo(f"removed {r.duplicate_tasks_removed} duplicate unannotated tasks")
