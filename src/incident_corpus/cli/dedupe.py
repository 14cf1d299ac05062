"""`annotate dedupe`: near-duplicate groups of articles before they are pushed."""

from __future__ import annotations

import sys
from typing import Any

import click

from incident_corpus.cli.options import Progress, emit_json


@click.command("dedupe")
@click.argument("paths", nargs=-1, required=True)
@click.option("--near-duplicate-threshold", "threshold", type=click.FloatRange(min=0, max=1, min_open=True),
              default=0.8, show_default=True,
              help="Word-shingle Jaccard (or containment of the shorter text) at which two articles are grouped.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5_000_000, show_default=True,
              help="Largest article accepted, as for push.")
@click.option("--json", "as_json", is_flag=True, help="Print the groups as one JSON object on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no report; the exit code tells.")
def dedupe_cmd(paths: tuple[str, ...], threshold: float, max_bytes: int, as_json: bool, quiet: bool) -> None:
    """Report near-duplicate groups (reprints, updates, print views, briefs) in PATHS, as push would find them.

    Exit code 0 when every input was readable (near-duplicates are a finding, not an error).
    """
    from incident_corpus.pipeline.dedupe import dedupe

    with Progress(quiet or as_json) as progress:
        result = dedupe(paths=paths, threshold=threshold, max_bytes=max_bytes, stdin=sys.stdin, progress=progress)
    if as_json:
        emit_json(result.as_dict())
    elif not quiet:
        _render(result)
    sys.exit(1 if result.invalid else 0)


def _render(r: Any) -> None:
    for problem in r.invalid:
        click.echo(f"invalid: {problem['source']}: {problem['reason']}", err=True)
    for g in r.groups:
        click.echo(f"group {g['group']} ({len(g['members'])} articles):")
        for m in g["members"]:
            click.echo(f"  {m['article_id']}  {m['source']}" + (f"  {m['title']!r}" if m["title"] else ""))
        for p in g["pairs"]:
            click.echo(f"    {p['article_id']} ~ {p['duplicate_of']}: {p['similarity']:.2f} {p['kind']}")
    n = sum(len(g["members"]) for g in r.groups)
    click.echo(f"{r.articles} articles, {r.exact_duplicates} exact duplicates, {len(r.groups)} near-duplicate "
               f"group(s) of {n} articles (threshold {r.threshold:g})")
