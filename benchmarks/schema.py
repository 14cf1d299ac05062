"""The "certainly valid?" schema predicate: jsonschema-rs against the hand-written fastschema, same run.

Usage: python scripts/bench_schema.py [--n 10000] [--seed 13] [--repeat 3] [--sides ...] [--json]
       (or python -m benchmarks.schema)

push checks every task against schema/task.schema.json and pull every record against
schema/annotation.schema.json; both ask a fast predicate first (`resources.fast_check`) and run
jsonschema only for the messages of what it rejects. This measures that predicate on n synthetic
tasks (with pre-annotation predictions, ~27 spans each) and n records, for these sides:

- fastschema: the compiled closures push and pull used before (core/fastschema.py, removed once
  jsonschema-rs won; read back from git at FASTSCHEMA_REV, so the comparison stays repeatable);
- jsonschema-rs: `resources.fast_check`, i.e. `jsonschema_rs.Draft202012Validator(schema).is_valid`;
- jsonschema: `Draft202012Validator(schema).is_valid`, the pure-Python judge (slow: ~10-60 ms an
  item; not in the default sides).

Each side runs in its own process through `launch.Launcher` (imports and schema compilation
timed apart from the check; peak RSS is that child's own). The data are written by a child too.
Only ratios measured in the same run mean anything on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import ROOT
from benchmarks.launch import Launcher

SIDES = ("fastschema", "jsonschema-rs", "jsonschema")
FASTSCHEMA_REV = "a5cc70c"  # the last commit with src/incident_corpus/core/fastschema.py
# tasks: with pre-annotation predictions (~27 spans, ~110 result items); bare-tasks: without
# (`push --no-pre-annotate`, the pipeline benchmark's push row); records: as pull writes them.
KINDS = {"tasks": "task.schema.json", "bare-tasks": "task.schema.json", "records": "annotation.schema.json"}


def prepare(workdir: str, n: str, seed: str) -> None:
    """Child: write n tasks (as push builds them) and n records (as pull writes them) as JSONL."""
    from benchmarks.synthetic import articles, write_records
    from incident_corpus.ingest.articles import Article
    from incident_corpus.preannotate.runner import RULESET_VERSION
    from incident_corpus.studio.tasks import build_task

    with open(Path(workdir) / "tasks.jsonl", "w", encoding="utf-8") as fh, \
            open(Path(workdir) / "bare-tasks.jsonl", "w", encoding="utf-8") as bare:
        for a in articles(int(n), int(seed)):
            article = Article(text=a["text"], title=a["title"], url=a["url"], published=a["published"],
                              source=a["source"], author=a["author"], language=a["language"])
            task = build_task(article.task_data(), model_version=RULESET_VERSION,
                              prediction={"spans": a["spans"], "relations": a["relations"], "score": 0.5})
            fh.write(json.dumps(task, ensure_ascii=False) + "\n")
            bare.write(json.dumps(build_task(article.task_data()), ensure_ascii=False) + "\n")
    write_records(Path(workdir) / "records.jsonl", int(n), int(seed))


def check(side: str, kind: str, path: str, repeat: str, out: str) -> None:
    """Child: load the items, build the side's predicate, time it over all items (best of `repeat`)."""
    with open(path, encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh]
    schema = json.loads((ROOT / "schema" / KINDS[kind]).read_text(encoding="utf-8"))
    start = time.perf_counter()  # setup: compiling the predicate (and importing its library), not the data
    if side == "fastschema":
        where = f"{FASTSCHEMA_REV}:src/incident_corpus/core/fastschema.py"
        source = subprocess.run(["git", "-C", str(ROOT), "show", where], capture_output=True, text=True,
                                check=True).stdout
        start = time.perf_counter()
        namespace: dict[str, Any] = {"__name__": "fastschema"}
        exec(compile(source, "fastschema.py", "exec"), namespace)
        predicate = namespace["compile_schema"](schema)
    elif side == "jsonschema-rs":
        from incident_corpus.core import resources  # imports jsonschema, which push and pull load anyway

        start = time.perf_counter()
        predicate = resources.fast_check(KINDS[kind])
    else:
        from jsonschema import Draft202012Validator

        start = time.perf_counter()
        predicate = Draft202012Validator(schema).is_valid
    setup = time.perf_counter() - start
    best, valid = float("inf"), 0
    for _ in range(int(repeat)):
        start = time.perf_counter()
        valid = sum(1 for item in items if predicate(item))
        best = min(best, time.perf_counter() - start)
    Path(out).write_text(json.dumps({"setup_s": setup, "check_s": best, "valid": valid, "items": len(items)}))


def child_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.schema", "_child", *args]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sides", default="fastschema,jsonschema-rs", help=f"comma-separated, of {', '.join(SIDES)}")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-schema-") as work:
        launcher = Launcher(Path(work) / "children.log")
        try:
            launcher.run(child_cmd("prepare", work, str(args.n), str(args.seed)))
            for kind in KINDS:
                base: dict[str, Any] | None = None
                for side in args.sides.split(","):
                    result = Path(work) / f"{kind}-{side}.json"
                    run = launcher.run(child_cmd("check", side, kind, str(Path(work) / f"{kind}.jsonl"),
                                                 str(args.repeat), str(result)))
                    got = json.loads(result.read_text())
                    base = base or got
                    rows.append({"kind": kind, "side": side, **got, "peak_rss_mb": round(run.peak_rss_mb),
                                 "ratio": got["check_s"] / base["check_s"]})
                    if got["valid"] != base["valid"]:
                        raise SystemExit(f"{side} accepts {got['valid']} {kind}, the first side {base['valid']}")
        finally:
            launcher.close()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"| items ({args.n}) | side | check s | µs / item | ratio to the first | setup s | peak RSS | valid |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['kind']} | {r['side']} | {r['check_s']:.3f} | {1e6 * r['check_s'] / r['items']:.1f} | "
              f"{r['ratio']:.2f}× | {r['setup_s']:.3f} | {r['peak_rss_mb']} MB | {r['valid']} |")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "_child":
        {"prepare": prepare, "check": check}[sys.argv[2]](*sys.argv[3:])
    else:
        raise SystemExit(main())
