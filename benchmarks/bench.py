"""Speed and memory of each stage against the baseline a user would otherwise run, in one table.

Usage: python scripts/bench.py [--n 10000] [--seed 13] [--stages push,repush,preannotate,pull,hf,conll,all,scale,
       neardup-push,neardup-push-pre,neardup-export,neardup-index]
       [--scale 10000,30000,100000] [--repeat 1] [--workdir DIR] [--keep] [--json]

Every side runs as its own process (interpreter start and imports included), as a user would run
it; wall time is measured around the process and peak RSS comes from `os.wait4` (that child only).
The machine is shared, so only ratios against a baseline measured in the same run mean anything.
Uses LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY when both are set, otherwise starts a throwaway
Label Studio on a free loopback port with a temp data folder and stops it whatever happens.
The synthetic articles (~3 KB, varied templates and vocabulary, deterministic from --seed) come
with gold spans, so the same generator seeds the annotated project and the 100k export input.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.launch import Launcher
from benchmarks.report import print_table
from benchmarks.stages import ALL_STAGES, STAGES, Bench
from benchmarks.synthetic import write_articles


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="articles per stage (10k is the reference size)")
    ap.add_argument("--seed", type=int, default=13, help="seed of the synthetic articles")
    ap.add_argument("--stages", default=",".join(ALL_STAGES), help=f"comma-separated, from {','.join(ALL_STAGES)}")
    ap.add_argument("--scale", default="10000,30000,100000", help="article counts of the export scaling stage")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per side of the offline stages and of pull (alternated there); the best counts")
    ap.add_argument("--workdir", type=Path, default=None, help="keep inputs and outputs here (default: temp)")
    ap.add_argument("--keep", action="store_true", help="keep the benchmark projects on a given server")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    stages = [s.strip() for s in args.stages.split(",") if s.strip()]
    unknown = [s for s in stages if s not in ALL_STAGES]
    if unknown:
        ap.error(f"unknown stage(s) {unknown}; choose from {','.join(ALL_STAGES)}")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="incident-corpus-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(n=args.n, seed=args.seed, repeat=max(1, args.repeat),
                  scale=[int(x) for x in args.scale.split(",") if x], workdir=workdir,
                  tag=f"{args.seed}-{random.Random().getrandbits(32):08x}", launcher=Launcher(workdir / "bench.log"),
                  keep=args.keep)
    bench.say(f"generating {bench.n} articles (seed {bench.seed}) in {workdir}")
    write_articles(bench.articles_path, bench.n, bench.seed)
    try:
        for stage in STAGES:
            if stage.triggers & set(stages):
                stage.run(bench, set(stages))
    finally:
        bench.close()
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)

    report = {"date": time.strftime("%Y-%m-%d %H:%M", time.localtime()), "n": bench.n, "seed": bench.seed,
              "cpus": os.cpu_count(), "python": sys.version.split()[0], "rows": [r.as_dict() for r in bench.rows],
              "export_scaling": bench.scaling, "neardup_index": bench.neardup_index,
              "total_seconds": round(time.perf_counter() - bench.started, 1)}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print_table(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
