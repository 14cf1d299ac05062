"""`annotate train`: the exported spaCy corpus → an NER pipeline (and `--curve`: is more annotation worth it?)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from incident_corpus.cli.options import Progress, emit_json
from incident_corpus.cli.params import OutputPath
from incident_corpus.train.config import DEFAULT_MAX_STEPS


@click.command("train")
@click.option("--in", "in_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("export/dataset"),
              show_default=True, help="Dataset folder of `annotate export --format spacy|all` (or its spacy/ folder).")
@click.option("--out", type=OutputPath(file_okay=False), default=Path("export/model"),
              show_default=True, help="Model folder (spacy.load opens it); replaced as a whole.")
@click.option("--base", default=None, metavar="PIPELINE",
              help="Start from this installed pipeline's tok2vec (e.g. en_core_web_md). Default: blank English.")
@click.option("--max-steps", type=click.IntRange(min=1), default=DEFAULT_MAX_STEPS, show_default=True,
              help="Training steps (spaCy's training.max_steps).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed of training (and of --curve).")
@click.option("--gpu-id", type=int, default=-1, show_default=True, help="GPU for spaCy (-1: CPU).")
@click.option("--folds", type=click.IntRange(min=0), default=5, show_default=True,
              help="Cross-validation folds (over train + validation) that choose, per label, whether the model's "
                   "spans join the rules' (each fold trains one more model); below 2 the rules are kept as they are.")
@click.option("--curve", is_flag=True,
              help="Train on 25/50/75/100 %% of the train split and print validation F1 per label; writes no model.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress and no summary; the exit code tells.")
def train_cmd(in_dir: Path, out: Path, base: str | None, max_steps: int, seed: int, gpu_id: int, folds: int,
              curve: bool, as_json: bool, quiet: bool) -> None:
    """Train a spaCy NER pipeline for the four labels on the train split, choosing on validation.

    The generated training/config.cfg in the model folder re-runs with `python -m spacy train`.
    """
    from incident_corpus.train import trainer

    if curve:
        with Progress(quiet or as_json) as progress:
            result = trainer.curve(in_dir=in_dir, base=base, max_steps=max_steps, seed=seed, gpu_id=gpu_id,
                                   progress=progress)
        if as_json:
            emit_json(result.as_dict())
        elif not quiet:
            click.echo(render_curve(result))
        return
    with Progress(quiet or as_json) as progress:
        trained = trainer.train(in_dir=in_dir, out=out, base=base, max_steps=max_steps, seed=seed, gpu_id=gpu_id,
                                folds=folds, progress=progress)
    if as_json:
        emit_json(trained.as_dict())
    elif not quiet:
        click.echo(render_train(trained))


def _f1_row(name: str, per: dict[str, Any], labels: list[str]) -> str:
    return f"{name:<20}" + "".join(f"{per[label]['f1']:>13.3f}" for label in labels)


def render_train(r: Any) -> str:
    labels = [*r.labels, "micro"]
    lines = [f"model {r.model_version} → {r.out} ({r.steps} steps, {r.seconds:.0f} s; articles "
             + ", ".join(f"{k} {v}" for k, v in r.articles.items()) + ")",
             f"config: {r.config}", "",
             f"{'F1':<20}" + "".join(f"{label:>13}" for label in labels)]
    for split in ("validation", "test"):
        scores = r.scores.get(split)
        if scores:
            lines.append(_f1_row(f"{split} exact", scores["exact"], labels))
            lines.append(_f1_row(f"{split} overlap", scores["overlap"], labels))
    from incident_corpus.preannotate.policy import describe

    m = r.merge
    lines += ["", f"merge with the rules (chosen on {m['chosen_on']}):", *("  " + x for x in describe(m))]
    if m.get("cross_validation"):
        lines.append(f"{'cross-validated F1':<20}" + "".join(f"{label:>13}" for label in labels))
        for name in ("rules", "model", "merged"):
            lines.append(_f1_row(f"{name}", m["cross_validation"][name]["exact"], labels))
    return "\n".join(lines)


def render_curve(r: Any) -> str:
    from incident_corpus.core.labels import LABELS

    labels = [*LABELS, "micro"]
    lines = [f"validation F1 (exact) by share of the train split ({r.articles['train']} articles, "
             f"{r.max_steps} steps each)",
             f"{'share':<6}{'articles':>9}" + "".join(f"{label:>13}" for label in labels)]
    for p in r.points:
        lines.append(f"{round(p.fraction * 100):>4}% {p.articles:>9}"
                     + "".join(f"{p.scores['exact'][label]['f1']:>13.3f}" for label in labels))
    if len(r.points) >= 2:
        gain = r.points[-1].scores["exact"]["micro"]["f1"] - r.points[-2].scores["exact"]["micro"]["f1"]
        lines.append(f"last step {gain:+.3f} micro F1: " + (
            "more annotation is still paying off" if gain > 0.01 else "the curve is flat; more of the same data "
            "may not help much"))
    return "\n".join(lines)
