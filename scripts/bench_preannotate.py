"""Score rules-1 and rules-2 on real news, WikiEvents dev and the team's gold set; time rules-2 against the tokenizer.

Usage: python scripts/bench_preannotate.py [--n 10000] [--size 3000] [--repeat 3] [--model PIPELINE]
       [--errors real-news|wikievents|team] [--json]
       (--n 0 skips the timing; the logic lives in benchmarks/preannotate.py)

Real-news figures come first; the team's own gold set is an upper bound (the rules were tuned on it).
Speed is measured warm, in this process, best of --repeat alternating rounds: the same N synthetic
~SIZE-character articles go through `spacy.blank("en").pipe` alone and through
`Preannotator.annotate_many`; the ratio is pre-annotator time / tokenizer time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import preannotate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="synthetic articles for timing (0: no timing)")
    ap.add_argument("--size", type=int, default=3000, help="characters per synthetic article")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3, help="timing rounds; the best round counts")
    ap.add_argument("--model", help="also score rules-2 with this spaCy NER pipeline (name or path)")
    ap.add_argument("--errors", choices=("real-news", "wikievents", "team"),
                    help="list rules-2's misses and false alarms on one set instead (development)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)
    if args.errors:
        print(preannotate.errors("rules-2+model" if args.model else "rules-2", set_name=args.errors, model=args.model))
        return 0
    report = preannotate.quality(model=args.model)
    if args.n > 0:
        report["speed"] = preannotate.speed(n=args.n, size=args.size, batch_size=args.batch_size, repeat=args.repeat)
    print(json.dumps(report, indent=2) if args.json else preannotate.render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
