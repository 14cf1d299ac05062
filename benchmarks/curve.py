"""`annotate train` benchmarks: training time and predict speed on synthetic articles, and the learning curve
(rules alone / model alone / rules+model against the number of annotated articles) on real annotated text.

Usage: python scripts/bench_curve.py (or python -m benchmarks.curve) [--part speed,curve] [--n-train 500]
       [--steps N] [--curve-steps 150]
       [--folds 3] [--sizes 5,10,20,0] [--json]

speed: `annotate export` turns ~n-train/0.8 synthetic ~3 KB records (benchmarks/synthetic.py, with gold
spans) into a spaCy corpus; `annotate train` (default step count) runs as its own process beside the
baseline `python -m spacy train` on the config.cfg it wrote (same steps), each timed with its peak RSS;
then predict throughput (articles/s) of the trained pipeline: greedy `nlp.pipe`, the beam parse push uses
for probabilities, and the rules as the baseline, warm, in this process (wall and CPU time: the machine
is shared).

curve: a simulated annotator draws articles from the largest annotated real text at hand — WikiEvents
dev (../shared/real-news/, mapped onto our labels: no CLAIM, head words), benchmarks/data/real-news.gold.jsonl
when it exists, and tests/data/gold (self-written: an upper bound for the rules) — k-fold: each fold is the
test set once, a fifth of the rest picks the checkpoint and the merge policy, and the model trains on the
first N of a shuffle of the remainder (0 = all of it). F1 per label on the test folds, summed over folds.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.launch import Launcher, annotate_cmd
from benchmarks.synthetic import articles, write_records
from incident_corpus.core.labels import LABELS
from incident_corpus.core.scoring import Span, score_spans

ROOT = Path(__file__).resolve().parents[1]

REAL_NEWS = ROOT.parent.parent / "shared" / "real-news" / "wikievents_dev.jsonl"
if not REAL_NEWS.exists():  # a worktree under /work/wt: the shared folder is two levels up from /work/wt/X
    REAL_NEWS = Path("/work/shared/real-news/wikievents_dev.jsonl")
RULES_GOLD = ROOT / "benchmarks" / "data" / "real-news.gold.jsonl"
TEAM_GOLD = (ROOT / "tests" / "data" / "gold" / "gold.jsonl", ROOT / "tests" / "data" / "gold" / "dev.jsonl")
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "them", "who", "we", "i", "you", "his", "their"})


# ---------------------------------------------------------------------------------------------
# Real annotated text

def wikievents(path: Path) -> list[dict[str, Any]]:
    """WikiEvents dev mapped onto our labels (see ../shared/real-news/README.md for the mapping)."""
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        text, pos, offsets = d["text"], 0, []
        for tok in d["tokens"]:
            i = text.find(tok, pos)
            if i < 0:
                raise SystemExit(f"{path}: token {tok!r} of {d['doc_id']} not found in the text")
            offsets.append((i, i + len(tok)))
            pos = i + len(tok)
        ents = {e["id"]: e for e in d["entity_mentions"]}
        raw: list[tuple[int, int, str]] = []
        add = _adder(text, offsets, raw)
        for ev in d["event_mentions"]:
            etype = ev["event_type"]
            if etype.startswith("Conflict.Attack"):
                add(ev["trigger"]["start"], ev["trigger"]["end"], "ATTACK")
            for arg in ev["arguments"]:
                ent = ents.get(arg["entity_id"])
                if ent is None:
                    continue
                role = arg["role"]
                if (etype.startswith("Conflict.Attack") and role == "Attacker") or (
                        etype.startswith("Life.Die") and role == "Killer") or (
                        etype.startswith("Life.Injure") and role == "Injurer"):
                    add(ent["start"], ent["end"], "PERPETRATOR")
                elif etype.startswith(("Life.Die", "Life.Injure")) and role == "Victim":
                    add(ent["start"], ent["end"], "CASUALTY")
        docs.append({"id": d["doc_id"], "text": text, "spans": _no_overlaps(raw), "source": "wikievents"})
    return docs


def _adder(text: str, offsets: list[tuple[int, int]], raw: list[tuple[int, int, str]]) -> Any:
    """Token range → character span, pronouns left out (the guideline does not mark them)."""
    def add(start: int, end: int, label: str) -> None:
        s, e = offsets[start][0], offsets[end - 1][1]
        if text[s:e].lower() not in PRONOUNS:
            raw.append((s, e, label))
    return add


def _no_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for s in sorted(set(spans), key=lambda x: (-(x[1] - x[0]), x[0])):
        if all(s[1] <= k[0] or k[1] <= s[0] for k in kept):
            kept.append(s)
    return sorted(kept)


def jsonl_gold(path: Path, source: str) -> list[dict[str, Any]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out.append({"id": r.get("id"), "text": r["text"], "source": source,
                        "spans": _no_overlaps([(s["start"], s["end"], s["label"]) for s in r["spans"]])})
    return out


def real_docs() -> tuple[list[dict[str, Any]], list[str]]:
    docs, notes = [], []
    if REAL_NEWS.exists():
        docs += wikievents(REAL_NEWS)
    else:
        notes.append(f"{REAL_NEWS} missing: WikiEvents part skipped")
    if RULES_GOLD.exists():
        docs += jsonl_gold(RULES_GOLD, "real-news-gold")
    else:
        notes.append(f"{RULES_GOLD.relative_to(ROOT)} not in this tree yet: skipped")
    for path in TEAM_GOLD:
        docs += jsonl_gold(path, f"team-{path.stem}")
    return docs, notes


# ---------------------------------------------------------------------------------------------
# The curve

def _docbin(docs: list[dict[str, Any]], path: Path) -> None:
    from spacy.tokens import DocBin

    from incident_corpus.core.nlp import blank_nlp

    nlp = blank_nlp()
    db = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE"])
    for d in docs:
        doc = nlp.make_doc(d["text"])
        ents, used = [], set()
        for s, e, label in d["spans"]:
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is not None and not used & set(range(span.start, span.end)):
                used.update(range(span.start, span.end))
                ents.append(span)
        doc.ents = sorted(ents, key=lambda x: x.start)
        db.add(doc)
    db.to_disk(path)


def curve(*, folds: int, sizes: list[int], steps: int, seed: int) -> dict[str, Any]:
    from incident_corpus.preannotate import model as model_pre
    from incident_corpus.preannotate.rules import Preannotator
    from incident_corpus.train import config as train_config
    from incident_corpus.train.trainer import fit

    docs, notes = real_docs()
    rng = random.Random(seed)
    rng.shuffle(docs)
    rules_all = {d["id"] + d["source"]: r["spans"] for d, r in zip(
        docs, Preannotator().annotate_many(d["text"] for d in docs), strict=True)}
    pairs: dict[tuple[int, str], list[tuple[list[Span], list[Span]]]] = {}
    policies: dict[int, list[dict[str, Any]]] = {}
    seconds: dict[int, list[float]] = {}
    n_pool: list[int] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-curve-") as tmp:
        for k in range(folds):
            test = docs[k::folds]
            rest = [d for i, d in enumerate(docs) if i % folds != k]
            n_dev = max(1, len(rest) // 5)
            dev, pool = rest[:n_dev], rest[n_dev:]
            n_pool.append(len(pool))
            _docbin(dev, Path(tmp) / f"dev-{k}.spacy")
            for n in sizes:
                n_eff = len(pool) if n == 0 or n > len(pool) else n
                train_path = Path(tmp) / f"train-{k}-{n_eff}.spacy"
                _docbin(pool[:n_eff], train_path)
                cfg = train_config.build_config(train=train_path, dev=Path(tmp) / f"dev-{k}.spacy", max_steps=steps,
                                                seed=seed)
                fitted = fit(cfg, Path(tmp) / f"run-{k}-{n_eff}")
                seconds.setdefault(n, []).append(fitted.seconds)
                dev_model = [p.spans for p in model_pre.predict_docs(fitted.nlp, [d["text"] for d in dev])]
                dev_rules = [rules_all[d["id"] + d["source"]] for d in dev]
                policy = model_pre.choose_policy([d["spans"] for d in dev], dev_rules, dev_model)
                policies.setdefault(n, []).append(policy)
                test_model = [p.spans for p in model_pre.predict_docs(fitted.nlp, [d["text"] for d in test])]
                for d, m in zip(test, test_model, strict=True):
                    r = rules_all[d["id"] + d["source"]]
                    merged = model_pre.merge(r, m, policy)
                    for name, spans in (("rules", [(s["start"], s["end"], s["label"]) for s in r]),
                                        ("model", [(x.start, x.end, x.label) for x in m]),
                                        ("rules+model", [(s["start"], s["end"], s["label"]) for s in merged])):
                        pairs.setdefault((n, name), []).append((d["spans"], spans))
                print(f"fold {k + 1}/{folds}, {n_eff} articles: {fitted.seconds:.0f} s", file=sys.stderr, flush=True)
    rows = []
    for n in sizes:
        for name in ("rules", "model", "rules+model"):
            scores = score_spans(pairs[(n, name)])
            rows.append({"articles": n if n else f"all ({min(n_pool)}-{max(n_pool)})", "system": name,
                         **{f"{mode}:{label}": round(scores[mode][label].f1, 3) for mode in ("exact", "overlap")
                            for label in (*LABELS, "micro")}})
    sources: dict[str, int] = {}
    for d in docs:
        sources[d["source"]] = sources.get(d["source"], 0) + 1
    return {"docs": len(docs), "sources": sources, "folds": folds, "steps": steps, "notes": notes, "rows": rows,
            "policies": {str(n): [p["labels"] for p in ps] for n, ps in policies.items()},
            "train_seconds": {str(n): s for n, s in seconds.items()},
            "wall_seconds": round(time.perf_counter() - started, 1)}


# ---------------------------------------------------------------------------------------------
# Speed

def speed(*, n_train: int, steps: int | None, seed: int) -> dict[str, Any]:
    import spacy

    from incident_corpus.preannotate.model import predict_docs
    from incident_corpus.preannotate.rules import Preannotator

    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-train-") as tmp:
        work = Path(tmp)
        n_records = round(n_train / 0.8)
        write_records(work / "annotations.jsonl", n_records, seed)
        launcher = Launcher(work / "log.txt")
        try:
            launcher.run(annotate_cmd("export", "--in", str(work / "annotations.jsonl"), "--out", str(work / "ds"),
                                      "--format", "spacy", "-q"))
            args = ["train", "--in", str(work / "ds"), "--out", str(work / "model"), "--json", "-q"]
            if steps:
                args += ["--max-steps", str(steps)]
            cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            ours = launcher.run(annotate_cmd(*args))
            cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            meta = json.loads((work / "model" / "meta.json").read_text())["incident_corpus"]
            config = str(work / "model" / "training" / "config.cfg")
            base = launcher.run([sys.executable, "-m", "spacy", "train", config, "--output", str(work / "baseline")])
        finally:
            launcher.close()
        out["train"] = {"articles": meta["articles"], "steps": meta["max_steps"],
                        "chars_per_article": round(sum(len(a["text"]) for a in articles(50, seed)) / 50),
                        "annotate_train_s": round(ours.seconds, 1), "annotate_train_rss_mb": round(ours.peak_rss_mb),
                        "spacy_train_s": round(base.seconds, 1), "spacy_train_rss_mb": round(base.peak_rss_mb),
                        "ratio": round(ours.seconds / base.seconds, 2),
                        "training_loop_s": meta["training_seconds"],
                        "validation_micro_f1": meta["scores"]["validation"]["exact"]["micro"]["f1"],
                        "launcher_children_cpu_s": round((cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime +
                                                                                           cpu0.ru_stime), 1)}
        texts = [a["text"] for a in articles(400, seed + 1, offset=10_000)]
        nlp = spacy.load(work / "model")
        rules = Preannotator()
        list(nlp.pipe(texts[:20]))  # warm
        timings = {}
        for name, run in (("rules (baseline)", lambda: list(rules.annotate_many(texts))),
                          ("model greedy nlp.pipe", lambda: list(nlp.pipe(texts, batch_size=64))),
                          ("model beam (push --no-rules)", lambda: [p for i in range(0, len(texts), 32)
                                                                   for p in predict_docs(nlp, texts[i:i + 32])])):
            w, c = time.perf_counter(), time.process_time()
            run()
            w, c = time.perf_counter() - w, time.process_time() - c
            timings[name] = {"articles_per_s_wall": round(len(texts) / w, 1),
                             "articles_per_s_cpu": round(len(texts) / c, 1)}
        out["predict"] = {"articles": len(texts), **timings,
                          "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", default="speed,curve")
    ap.add_argument("--n-train", type=int, default=500)
    ap.add_argument("--steps", type=int, default=None, help="annotate train --max-steps (default: its default)")
    ap.add_argument("--curve-steps", type=int, default=150)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--sizes", default="5,10,20,0")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    parts = args.part.split(",")
    report: dict[str, Any] = {}
    if "speed" in parts:
        report["speed"] = speed(n_train=args.n_train, steps=args.steps, seed=args.seed)
    if "curve" in parts:
        report["curve"] = curve(folds=args.folds, sizes=[int(s) for s in args.sizes.split(",")],
                                steps=args.curve_steps, seed=args.seed)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


def print_report(report: dict[str, Any]) -> None:
    if "speed" in report:
        t, p = report["speed"]["train"], report["speed"]["predict"]
        print(f"train: {t['articles']} articles (~{t['chars_per_article']} chars), {t['steps']} steps: annotate train "
              f"{t['annotate_train_s']} s ({t['annotate_train_rss_mb']} MB) vs spacy train {t['spacy_train_s']} s "
              f"({t['spacy_train_rss_mb']} MB) = {t['ratio']}x; validation micro F1 {t['validation_micro_f1']}")
        for name, v in p.items():
            if isinstance(v, dict):
                print(f"predict {name}: {v['articles_per_s_wall']} articles/s wall, {v['articles_per_s_cpu']} CPU")
    if "curve" in report:
        c = report["curve"]
        print(f"\ncurve: {c['docs']} articles {c['sources']}, {c['folds']} folds, {c['steps']} steps; {c['notes']}")
        labels = [*LABELS, "micro"]
        for mode in ("exact", "overlap"):
            print(f"\n{mode} F1  | articles | system      | " + " | ".join(labels))
            for r in c["rows"]:
                print(f"{'':10}| {r['articles']!s:>8} | {r['system']:<11} | "
                      + " | ".join(f"{r[f'{mode}:{label}']:.3f}" for label in labels))


if __name__ == "__main__":
    raise SystemExit(main())
