"""Check that pre-annotations are identical at an old revision and in the working tree.

Usage: python scripts/compare_preannotations.py [REV] [--n 10000] [--seed 13]     (REV defaults to main)

For speed work on the pre-annotation path, which must not change a single prediction. The texts
are the benchmark's synthetic articles (`--n`, `--seed`), the real-news texts (../shared, when
present) and the test fixtures (tests/data/gold/gold.jsonl, dev.jsonl). REV's `src/` comes from
`git archive` into a temp folder; each side runs `Preannotator().annotate_many` over all texts
in its own interpreter with PYTHONPATH pointing at its own src/ and writes one JSON line per
text. The working tree runs three times: its default path (a worker process on a large input when
a CPU is idle), in one process (`workers=0`) and with a worker forced (`workers=1`). Exit 0 when
every line matches, 1 with the first differences.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Run in the child: read texts (JSON list), annotate, write JSON lines. argv: texts, out, mode.
_CHILD = """
import inspect, json, sys
from incident_corpus.preannotate import Preannotator
texts = json.load(open(sys.argv[1], encoding="utf-8"))
pre = Preannotator()
kwargs = {}
if sys.argv[3] != "default" and "workers" in inspect.signature(pre.annotate_many).parameters:
    kwargs["workers"] = {"serial": 0, "worker": 1}[sys.argv[3]]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for res in pre.annotate_many(texts, **kwargs):
        out.write(json.dumps(res, sort_keys=True, ensure_ascii=False) + "\\n")
"""


def all_texts(n: int, seed: int) -> list[str]:
    from benchmarks.realnews import load_texts
    from benchmarks.synthetic import articles

    texts = [a["text"] for a in articles(n, seed)]
    real = load_texts()
    if real is None:
        print("note: ../shared/real-news is missing; synthetic and fixture texts only", file=sys.stderr)
    else:
        texts += [real[k] for k in sorted(real)]
    for name in ("gold.jsonl", "dev.jsonl"):
        with (ROOT / "tests" / "data" / "gold" / name).open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def run_side(src: Path, texts_path: Path, out: Path, mode: str) -> list[str]:
    subprocess.run([sys.executable, "-c", _CHILD, str(texts_path), str(out), mode], check=True,
                   env={**os.environ, "PYTHONPATH": str(src)}, cwd=str(src.parent))
    return out.read_text(encoding="utf-8").splitlines()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", nargs="?", default="main")
    ap.add_argument("--n", type=int, default=10_000, help="synthetic articles (seeded as in scripts/bench.py)")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-pre-") as tmp_name:
        tmp = Path(tmp_name)
        archive = subprocess.run(["git", "archive", args.rev, "src"], cwd=ROOT, check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp / "old", filter="data")
        texts = all_texts(args.n, args.seed)
        texts_path = tmp / "texts.json"
        texts_path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        old = run_side(tmp / "old" / "src", texts_path, tmp / "old.jsonl", "default")
        sides = {"new": run_side(ROOT / "src", texts_path, tmp / "new.jsonl", "default"),
                 "new (one process)": run_side(ROOT / "src", texts_path, tmp / "serial.jsonl", "serial"),
                 "new (with a worker)": run_side(ROOT / "src", texts_path, tmp / "worker.jsonl", "worker")}
    failed = False
    for name, lines in sides.items():
        diffs = [i for i, (a, b) in enumerate(zip(old, lines, strict=False)) if a != b]
        if len(lines) != len(old) or diffs:
            failed = True
            print(f"{name}: {len(lines)} lines against {len(old)}; {len(diffs)} differ, first: {diffs[:5]}")
            for i in diffs[:2]:
                print(f"  text {i}\n  old: {old[i][:400]}\n  new: {lines[i][:400]}")
        else:
            spans = sum(len(json.loads(line)["spans"]) for line in lines)
            print(f"{name}: identical to {args.rev} on {len(lines)} texts ({spans} spans)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
