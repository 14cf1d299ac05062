"""`annotate export`: records → datasets."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import click

from incident_corpus.cli.options import (
    Progress,
    emit_json,
)
from incident_corpus.cli.params import OutputPath, RegistryChoice, SplitRatios
from incident_corpus.core.labels import ARGUMENT_ROLES
from incident_corpus.export.formats import ALL, EXPORTERS

# -- export ----------------------------------------------------------------------------------

@click.command("export")
@click.option("--in", "input_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("export/annotations.jsonl"), show_default=True, help="Records written by `annotate pull`.")
@click.option("--out", "out_dir", type=OutputPath(file_okay=False), default=Path("export/dataset"),
              show_default=True, help="Dataset folder (replaced as a whole).")
@click.option("--split", type=SplitRatios(), default="0.8/0.1/0.1", show_default=True,
              help="train/validation/test ratios.")
@click.option("--seed", type=int, default=13, show_default=True, help="Seed of the deterministic split.")
@click.option("--resolve", "resolve_policy", type=click.Choice(["ground-truth", "latest", "majority", "reviewed"]),
              default="ground-truth", show_default=True, help="Which annotation of an article to keep.")
@click.option("--reviewed", "reviewed_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --resolve reviewed: the review project's annotations.jsonl; its curator versions win.")
@click.option("--format", "fmt", type=RegistryChoice(lambda: (*EXPORTERS, ALL)), default="hf", show_default=True,
              help="The format to write (each one registered in export/formats/), or all of them.")
@click.option("--license", "license_", default="other", show_default=True, help="License field of the dataset card.")
@click.option("--push-to-hub", "push_to_hub", default=None, metavar="REPO",
              help="Upload the folder as a Hugging Face dataset (token from HF_TOKEN).")
@click.option("--near-duplicate-threshold", type=click.FloatRange(min=0, max=1, min_open=True), default=0.8,
              show_default=True, help="Articles this similar (word-shingle Jaccard or containment) form one "
              "near-duplicate group, and a group is never split across train/validation/test.")
@click.option("--near-duplicate-groups/--no-near-duplicate-groups", "near_groups", default=True, show_default=True,
              help="--no-near-duplicate-groups: split by article alone (near-duplicates may then leak across splits).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary.")
def export_cmd(input_path: Path, out_dir: Path, split: tuple[float, float, float], seed: int, resolve_policy: str,
               fmt: str, license_: str, push_to_hub: str | None, reviewed_path: Path | None,
               near_duplicate_threshold: float, near_groups: bool, as_json: bool, quiet: bool) -> None:
    """Build a Hugging Face dataset (spans, tokens, events, incidents), a spaCy corpus and/or TextEE JSONL."""
    from incident_corpus.export.build import export as do_export

    command = "annotate " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    with Progress(quiet or as_json) as progress:
        result = do_export(input_path=input_path, out_dir=out_dir, split=split, seed=seed,
                           resolve_policy=resolve_policy, formats=(fmt,), license=license_, command=command,
                           push_to_hub=push_to_hub, progress=progress,
                           reviewed_path=reviewed_path,
                           near_duplicate_threshold=near_duplicate_threshold if near_groups else None)
    if as_json:
        emit_json(result.as_dict())
    elif not quiet:
        _render_export(result)


def _render_export(r: Any) -> None:
    splits = ", ".join(f"{name} {n}" for name, n in r.articles.items())
    click.echo(f"{r.input_records} records → {sum(r.articles.values())} articles ({splits}); "
               f"{r.annotators} annotators")
    a = r.alignment
    click.echo(f"tokens view: {a.get('kept', 0)} of {a.get('spans', 0)} spans kept, "
               f"{a.get('dropped_overlap', 0)} dropped by the overlap policy, {a.get('dropped_empty', 0)} empty, "
               f"{a.get('expanded', 0)} expanded to token boundaries")
    ev = {k: sum(split[k] for split in r.events.values()) for k in ("events", *ARGUMENT_ROLES, "unattached")}
    args = [f"{ev[role]} {role}" for role in ARGUMENT_ROLES]
    click.echo(f"events: {ev['events']} attacks with {', '.join(args[:-1])} and {args[-1]} arguments; "
               f"{ev['unattached']} spans tied to no attack (kept as unattached)")
    near = r.near_duplicates
    if near and near["near_duplicate_groups"]:
        click.echo(f"near-duplicates: {near['near_duplicate_groups']} groups of "
                   f"{near['articles_in_near_duplicate_groups']} articles, each kept in one split")
    click.echo(f"written to {r.out_dir}" + (f" and uploaded to {r.hub_url}" if r.hub_url else ""))
