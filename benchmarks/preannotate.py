"""Score the rule pre-annotator on the gold set and time it against the bare tokenizer.

Usage: python scripts/bench_preannotate.py [--gold tests/data/gold/gold.jsonl] [--n 10000]
       [--size 3000] [--json]

Speed is measured warm, in this process, best of --repeat alternating rounds: the same N
synthetic ~SIZE-character articles (gold and dev texts joined in shuffled orders) go through
`spacy.blank("en").pipe` alone and
through `Preannotator.annotate_many`; the ratio is pre-annotator time / tokenizer time.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

import spacy

from benchmarks import ROOT
from incident_corpus.core.labels import LABELS
from incident_corpus.core.nlp import LANG
from incident_corpus.preannotate.rules import RULESET_VERSION, Preannotator, score_spans

GOLD = ROOT / "tests" / "data" / "gold" / "gold.jsonl"
DEV = ROOT / "tests" / "data" / "gold" / "dev.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def synthetic_texts(pool: list[str], *, n: int, size: int, seed: int = 13) -> list[str]:
    """N articles of about SIZE characters each, made of the pool's paragraphs in random order."""
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts: list[str] = []
        length = 0
        while length < size:
            part = rng.choice(pool)
            parts.append(part)
            length += len(part) + 2
        texts.append("\n\n".join(parts))
    return texts


def best_times(fns: list, texts: list[str], *, repeat: int) -> list[float]:
    """Best wall time of each function over `repeat` rounds, run alternately (fair on a busy machine)."""
    for fn in fns:
        fn(texts[: min(len(texts), 200)])  # warm up
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            fn(texts)
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--n", type=int, default=10_000, help="number of synthetic articles for timing")
    ap.add_argument("--size", type=int, default=3000, help="characters per synthetic article")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3, help="timing rounds; the best round counts")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)

    gold = read_jsonl(args.gold)
    pre = Preannotator()
    preds = list(pre.annotate_many([g["text"] for g in gold]))
    scores = score_spans([g["spans"] for g in gold], [p["spans"] for p in preds])

    pool = [g["text"] for g in gold] + ([d["text"] for d in read_jsonl(DEV)] if DEV.exists() else [])
    texts = synthetic_texts(pool, n=args.n, size=args.size)
    blank = spacy.blank(LANG)

    def run_tokenizer(batch: list[str]) -> None:
        for _doc in blank.pipe(batch, batch_size=args.batch_size):
            pass

    def run_rules(batch: list[str]) -> None:
        for _res in pre.annotate_many(batch, batch_size=args.batch_size):
            pass

    t_tok, t_rules = best_times([run_tokenizer, run_rules], texts, repeat=max(1, args.repeat))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "ruleset": RULESET_VERSION,
        "gold_file": str(args.gold),
        "gold_articles": len(gold),
        "scores": scores,
        "speed": {
            "articles": len(texts),
            "mean_chars": round(sum(map(len, texts)) / max(1, len(texts))),
            "tokenizer_seconds": round(t_tok, 3),
            "preannotator_seconds": round(t_rules, 3),
            "tokenizer_articles_per_second": round(len(texts) / t_tok, 1),
            "preannotator_articles_per_second": round(len(texts) / t_rules, 1),
            "ratio_vs_tokenizer": round(t_rules / t_tok, 3),
        },
        "peak_rss_mb": round(peak_kb / 1024, 1) if sys.platform != "darwin" else round(peak_kb / 2**20, 1),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"ruleset {RULESET_VERSION}; gold {args.gold.name}: {len(gold)} articles")
    header = f"{'label':<12} {'mode':<8} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'pred':>5} {'gold':>5}"
    print(header)
    for label in (*LABELS, "micro"):
        for mode in ("exact", "overlap"):
            s = scores[mode][label]
            print(f"{label:<12} {mode:<8} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
                  f"{s['tp']:>4} {s['n_pred']:>5} {s['n_gold']:>5}")
    sp = report["speed"]
    print(f"speed: {sp['articles']} articles of ~{sp['mean_chars']} chars")
    print(f"  tokenizer alone : {sp['tokenizer_seconds']:.2f} s "
          f"({sp['tokenizer_articles_per_second']:.0f}/s)")
    print(f"  pre-annotator   : {sp['preannotator_seconds']:.2f} s "
          f"({sp['preannotator_articles_per_second']:.0f}/s)")
    print(f"  ratio           : {sp['ratio_vs_tokenizer']:.2f}x")
    print(f"peak RSS: {report['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
