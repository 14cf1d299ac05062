"""The stages of the pipeline benchmark, each ours against the baseline a user would otherwise run.

A stage is a function of the shared `Bench` (work folder, launcher, server, rows so far) and the
requested stage names; `STAGES` lists them in run order with the names that trigger each. The pull
stage runs whenever an export stage is asked for too: the export input and the CoNLL baseline's
raw snapshot are what it leaves behind.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import ROOT, neardup
from benchmarks.launch import Launcher, Run, annotate_cmd, best, child_cmd
from benchmarks.report import Row, row
from benchmarks.server import Server
from benchmarks.synthetic import write_records


@dataclass
class Bench:
    """What the stages share: sizes, the work folder, the launcher, the server and the results."""

    n: int
    seed: int
    repeat: int
    scale: list[int]
    workdir: Path
    tag: str
    launcher: Launcher
    keep: bool = False
    started: float = field(default_factory=time.perf_counter)
    rows: list[Row] = field(default_factory=list)
    scaling: list[dict[str, Any]] = field(default_factory=list)
    neardup_index: dict[str, Any] = field(default_factory=dict)  # benchmarks.neardup.index
    _server: Server | None = None

    @property
    def articles_path(self) -> Path:
        return self.workdir / "articles.jsonl"

    @property
    def raw_path(self) -> Path:
        return self.workdir / "raw_export.json"

    @property
    def records_path(self) -> Path:
        return self.workdir / "pull" / "annotations.jsonl"

    @property
    def server(self) -> Server:
        """The Label Studio, started (or found in the environment) on first use."""
        if self._server is None:
            self._server = Server(self.workdir)
        return self._server

    def say(self, msg: str) -> None:
        print(f"bench [{time.perf_counter() - self.started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    def run(self, cmd: list[str], *, env: dict[str, str] | None = None) -> Run:
        return self.launcher.run(cmd, env=env)

    def add(self, r: Row) -> None:
        """Record a row at once, so partial results survive a failed later stage."""
        self.rows.append(r)
        self.say(f"{r.stage}: ours {r.ours_s:.2f} s / baseline {r.base_s} s = {r.ratio}x; "
                 f"RSS {r.ours_rss_mb:.0f} MB / {r.base_rss_mb} MB")

    def close(self) -> None:
        self.launcher.close()
        if self._server is not None:
            self._server.close(keep=self.keep, prefix=f"bench {self.tag} ")


def push(b: Bench, stages: set[str]) -> None:
    """push (new articles) and re-push (nothing new) against one import call."""
    server, env, n = b.server, b.server.env, b.n
    base_pid = server.create_project(f"bench {b.tag} baseline import")
    b.say("push: baseline (one import call)")
    base = b.run(child_cmd("import", str(b.articles_path), server.url, str(base_pid)), env=env)
    title = f"bench {b.tag} push"
    b.say("push: ours")
    ours = b.run(annotate_cmd("push", str(b.articles_path), "--project", title, "--no-pre-annotate", "--quiet"),
                 env=env)
    server.project_id(title)
    b.add(row("push", f"push, {n} new articles, no pre-annotation", n, ours, base,
              "annotate push --no-pre-annotate", "one projects.import_tasks call"))
    if "repush" in stages:
        base2_pid = server.create_project(f"bench {b.tag} baseline import 2")
        b.say("re-push: baseline (the same single import call, fresh project)")
        base2 = b.run(child_cmd("import", str(b.articles_path), server.url, str(base2_pid)), env=env)
        b.say("re-push: ours")
        ours2 = b.run(annotate_cmd("push", str(b.articles_path), "--project", title, "--no-pre-annotate",
                                   "--quiet"), env=env)
        b.add(row("repush", f"re-push of the same {n} (nothing new)", n, ours2, base2,
                  "annotate push (again)", "the same single import call"))


def preannotate(b: Bench, stages: set[str]) -> None:
    """The rule pre-annotator against spaCy's blank tokenizer alone."""
    bases: list[Run] = []
    ourses: list[Run] = []
    for k in range(b.repeat):  # alternating, so a neighbour's burst of load hits both sides alike
        b.say(f"pre-annotation round {k + 1}: tokenizer alone, then ours")
        bases.append(b.run(child_cmd("tokenize", str(b.articles_path))))
        ourses.append(b.run(child_cmd("preannotate", str(b.articles_path))))
        b.say(f"  wall {ourses[-1].seconds:.2f} / {bases[-1].seconds:.2f} s = "
              f"{ourses[-1].seconds / bases[-1].seconds:.2f}x, CPU {ourses[-1].cpu_s:.2f} / "
              f"{bases[-1].cpu_s:.2f} s = {ourses[-1].cpu_s / max(bases[-1].cpu_s, 1e-9):.2f}x, "
              f"load {os.getloadavg()[0]:.2f}")
    base = min(bases, key=lambda r: r.seconds)
    ours = min(ourses, key=lambda r: r.seconds)
    b.add(row("preannotate", f"pre-annotation of {b.n} articles", b.n, ours, base,
              "Preannotator.annotate_many", "spacy.blank('en').pipe"))


def pull(b: Bench, stages: set[str]) -> None:
    """pull + validate of an annotated project against the snapshot export + json.loads."""
    server, env, n = b.server, b.server.env, b.n
    pid = server.create_project(f"bench {b.tag} annotated")
    b.say(f"seeding {n} annotated tasks (one import call with annotations inline)")
    server.import_annotated(pid, b.articles_path, n, b.seed)
    bases, ourss = [], []
    for k in range(b.repeat):  # alternated, so a busy spell on the shared machine hits both sides
        b.say(f"pull: baseline (snapshot export + json.loads), round {k + 1}")
        bases.append(b.run(child_cmd("snapshot", server.url, str(pid), str(b.raw_path)), env=env))
        b.say(f"pull: ours, round {k + 1}")
        # Default options, as a user runs it (pull scales the snapshot request's timeout to the project).
        ourss.append(b.run(annotate_cmd("pull", "--project", f"bench {b.tag} annotated", "--out",
                                        str(b.workdir / "pull"), "--quiet"), env=env))
        b.say(f"pull round {k + 1}: ours {ourss[-1].seconds:.2f} s ({ourss[-1].cpu_s:.2f} s CPU, "
              f"{ourss[-1].peak_rss_mb:.0f} MB) / baseline {bases[-1].seconds:.2f} s ({bases[-1].cpu_s:.2f} s CPU, "
              f"{bases[-1].peak_rss_mb:.0f} MB)")
    base = min(bases, key=lambda r: r.seconds)
    ours = min(ourss, key=lambda r: r.seconds)
    b.add(row("pull", f"pull + validate, {n} annotated tasks", n, ours, base,
              "annotate pull", "snapshot export + json.loads"))


def export(b: Bench, stages: set[str]) -> None:
    """The HF export against tokenizer + Dataset.from_list; the same run against the SDK's CoNLL converter."""
    n = b.n
    if not b.records_path.exists():
        write_records(b.records_path, n, b.seed)
    out = b.workdir / "hf"
    base_out = b.workdir / "hf-baseline"
    base_out.mkdir(exist_ok=True)
    every_out = b.workdir / "all"
    bases: list[Run] = []
    ourses: list[Run] = []
    everys: list[Run] = []
    for k in range(max(1, b.repeat)):  # alternated, so a busy spell on the shared machine hits every side
        b.say(f"export round {k + 1}: baseline, then ours (hf" + (", then all)" if "all" in stages else ")"))
        bases.append(b.run(child_cmd("hf", str(b.records_path), str(base_out))))
        ourses.append(b.run(annotate_cmd("export", "--in", str(b.records_path), "--out", str(out),
                                         "--format", "hf", "--quiet")))
        if "all" in stages:
            everys.append(b.run(annotate_cmd("export", "--in", str(b.records_path), "--out", str(every_out),
                                             "--format", "all", "--quiet")))
        b.say(f"  baseline {bases[-1].seconds:.2f} s, hf {ourses[-1].seconds:.2f} s "
              f"({ourses[-1].seconds / bases[-1].seconds:.2f}x)" + (
                  f", all {everys[-1].seconds:.2f} s ({everys[-1].seconds / bases[-1].seconds:.2f}x)"
                  if everys else "") + f", load {os.getloadavg()[0]:.2f}")
    base = min(bases, key=lambda r: r.seconds)
    ours = min(ourses, key=lambda r: r.seconds)
    if "hf" in stages:
        b.add(row("hf", f"export to HF (spans, tokens, events, incidents) + card, {n}", n, ours, base,
                  "annotate export --format hf", "tokenizer + Dataset.from_list + to_parquet"))
    if "all" in stages:
        every = min(everys, key=lambda r: r.seconds)
        b.add(row("all", f"export to HF + spaCy + TextEE + card, {n}", n, every, base,
                  "annotate export --format all", "tokenizer + Dataset.from_list + to_parquet"))
    if "conll" in stages:
        config = ROOT / "schema" / "label_config.xml"
        conll_out = b.workdir / "conll-baseline"
        conll_out.mkdir(exist_ok=True)
        b.say("CoNLL: label-studio-sdk converter (CONLL2003) on the raw export")
        base_c = best(lambda: b.run(child_cmd("conll", str(b.raw_path), str(config), str(conll_out))), b.repeat)
        b.add(row("conll", f"export to CoNLL-style tags, {n}", n, ours, base_c,
                  "annotate export --format hf (tokens config + spans config + card)",
                  "Converter(...).convert(format='CONLL2003')"))


def scale(b: Bench, stages: set[str]) -> None:
    """Export time and peak RSS as the corpus grows (no baseline; the RSS limit is 2 GB)."""
    for size in b.scale:
        path = b.workdir / f"records-{size}.jsonl"
        b.say(f"export scaling: generating {size} records")
        write_records(path, size, b.seed)
        b.say(f"export scaling: annotate export of {size}")
        r = b.run(annotate_cmd("export", "--in", str(path), "--out", str(b.workdir / f"scale-{size}"),
                               "--format", "hf", "--quiet"))
        b.scaling.append({"articles": size, "seconds": round(r.seconds, 2),
                          "ms_per_article": round(1000 * r.seconds / size, 3),
                          "peak_rss_mb": round(r.peak_rss_mb, 1), "met": r.peak_rss_mb <= 2048})
        path.unlink()
        shutil.rmtree(b.workdir / f"scale-{size}", ignore_errors=True)


@dataclass(frozen=True)
class Stage:
    run: Callable[[Bench, set[str]], None]
    triggers: frozenset[str]  # the --stages names that make it run


# In run order: later stages reuse what earlier ones left in the work folder.
STAGES: tuple[Stage, ...] = (
    Stage(push, frozenset({"push", "repush"})),
    Stage(preannotate, frozenset({"preannotate"})),
    Stage(pull, frozenset({"pull", "hf", "conll", "all"})),
    Stage(export, frozenset({"hf", "conll", "all"})),
    Stage(scale, frozenset({"scale"})),
    Stage(neardup.push, frozenset({"neardup-push", "neardup-push-pre"})),
    Stage(neardup.export, frozenset({"neardup-export"})),
    Stage(neardup.index, frozenset({"neardup-index"})),
)
ALL_STAGES = ("push", "repush", "preannotate", "pull", "hf", "conll", "all", "scale", "neardup-push",
              "neardup-push-pre", "neardup-export", "neardup-index")
