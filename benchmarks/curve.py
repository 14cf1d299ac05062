"""`annotate train` benchmarks: training time and predict speed on synthetic articles, and the learning curve
(rules alone / model alone / rules+model against the number of annotated articles) on real annotated text.

Usage: python scripts/bench_curve.py (or python -m benchmarks.curve) [--part speed,sizes,curve] [--n-train 500]
       [--steps N] [--curve-steps 150] [--folds 3] [--sizes 5,10,20,0] [--model-size W,D,H]
       [--predict-sizes "96,4,64;48,2,64"] [--rounds 3] [--json]

speed: `annotate export` turns ~n-train/0.8 synthetic ~3 KB records (benchmarks/synthetic.py, with gold
spans) into a spaCy corpus; `annotate train` (default step count) runs as its own process beside the
baseline `python -m spacy train` on the config.cfg it wrote (same steps), each timed with its peak RSS;
then predict throughput (articles/s) of the trained pipeline: greedy `nlp.pipe`, what push runs (the
greedy parse with probabilities, predict_docs) and the rules as the baseline, warm, in this process
(wall and CPU time: the machine is shared).

sizes: predict speed of tok2vec/NER sizes (WIDTH,DEPTH,NER_HIDDEN; 96,4,64 is spaCy's efficiency config,
`annotate train`'s default until 2026-12-02) on the same articles, alternated; their accuracy is the curve
part's `--model-size`.

curve: a simulated annotator draws articles from the largest annotated real text at hand — WikiEvents
dev (../shared/real-news/, mapped onto our labels: no CLAIM, head words), benchmarks/data/real-news.gold.jsonl
when it exists, and tests/data/gold (self-written: an upper bound for the rules) — k-fold: each fold is the
test set once, a fifth of the rest picks the checkpoint and the merge policy, and the model trains on the
first N of a shuffle of the remainder (0 = all of it). F1 per label on the test folds, summed over folds,
and whether the model's probabilities mean uncertainty (AUROC of a span's probability for "the span is right").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.launch import Launcher, annotate_cmd
from benchmarks.synthetic import articles, write_records
from incident_corpus.core.labels import LABELS
from incident_corpus.core.scoring import Span, score_spans
from incident_corpus.train.config import ModelSize

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


def real_news_gold() -> list[dict[str, Any]] | None:
    """The real-news gold set (benchmarks/data: our guideline's spans on the WikiEvents dev texts + Quetta)."""
    if not RULES_GOLD.exists():
        return None
    from benchmarks.realnews import load_texts, read_gold

    texts = load_texts()
    if texts is None:
        return None
    docs = []
    for r in read_gold(RULES_GOLD):
        text = texts.get(r["doc_id"])
        if text is None or r.get("skip"):
            continue
        assert all(text[s["start"]:s["end"]] == s["text"] for s in r["spans"]), r["doc_id"]
        docs.append({"id": r["doc_id"], "text": text, "source": "real-news-gold",
                     "spans": _no_overlaps([(s["start"], s["end"], s["label"]) for s in r["spans"]])})
    return docs


def real_docs(*, wikievents_mapping: bool = False) -> tuple[list[dict[str, Any]], list[str]]:
    """The real-news gold set when it is there (our guideline on real text); else WikiEvents' own
    annotations mapped onto our labels (heads, no CLAIM). Plus the team's gold and dev sets."""
    docs, notes = [], []
    gold = None if wikievents_mapping else real_news_gold()
    if gold is not None:
        docs += gold
    elif REAL_NEWS.exists():
        docs += wikievents(REAL_NEWS)
        notes.append("real-news gold set not available: WikiEvents annotations mapped onto our labels instead")
    else:
        notes.append(f"{REAL_NEWS} missing: the real-news part skipped")
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


def _gold_docs(docs: list[dict[str, Any]]) -> list[Any]:
    """spaCy Docs with the gold spans as doc.ents (what `annotate export --format spacy` writes)."""
    from spacy.tokens import DocBin

    from incident_corpus.core.nlp import blank_nlp

    with tempfile.TemporaryDirectory() as tmp:
        _docbin(docs, Path(tmp) / "d.spacy")
        return list(DocBin().from_disk(Path(tmp) / "d.spacy").get_docs(blank_nlp().vocab))


def _train_and_merge(pool: list[dict[str, Any]], dev: list[dict[str, Any]], tmp: Path, tag: str, *, steps: int,
                     seed: int, size: Any, base: str | None, inner_folds: int) -> tuple[Any, dict[str, Any], float]:
    """What `annotate train` does on pool (train) + dev (validation): the model (best checkpoint on dev) and
    the merge policy from inner k-fold cross-validation over pool + dev."""
    from incident_corpus.train import config as train_config
    from incident_corpus.train.crossval import merge_from_docs
    from incident_corpus.train.trainer import fit

    train_path, dev_path = tmp / f"train-{tag}.spacy", tmp / f"dev-{tag}.spacy"
    _docbin(pool, train_path)
    _docbin(dev, dev_path)
    cfg = train_config.build_config(train=train_path, dev=dev_path, max_steps=steps, seed=seed, size=size, base=base)
    fitted = fit(cfg, tmp / f"run-{tag}")

    def build(path: Path) -> Any:
        return train_config.build_config(train=path, dev=path, max_steps=steps, seed=seed, size=size, base=base,
                                         fixed_budget=True)

    def fit_fold(config: Any, run_dir: Path, *, stage: str, keep: str) -> Any:
        return fit(config, tmp / f"cv-{tag}-{run_dir.name}", stage=stage, keep=keep)

    policy = merge_from_docs(_gold_docs(pool + dev), folds=inner_folds, seed=seed, build=build, fit=fit_fold)
    return fitted, policy, fitted.seconds


def curve(*, folds: int, sizes: list[int], steps: int, seed: int, model_size: Any = None, base: str | None = None,
          inner_folds: int = 3) -> dict[str, Any]:
    """Outer k-fold over the real articles: per training size, rules / model / rules+model on the test fold
    (never trained on), each model with its merge chosen as `annotate train` chooses it (inner k-fold over its
    own training articles); with `base`, the same again from that pretrained pipeline."""
    from incident_corpus.preannotate import model as model_pre
    from incident_corpus.preannotate.runner import Preannotator
    from incident_corpus.train import config as train_config

    model_size = model_size or train_config.DEFAULT_SIZE
    docs, notes = real_docs()
    rng = random.Random(seed)
    rng.shuffle(docs)
    rules_all = {d["id"] + d["source"]: r["spans"] for d, r in zip(
        docs, Preannotator().annotate_many(d["text"] for d in docs), strict=True)}
    starts = {"blank": None, **({"base": base} if base else {})}
    pairs: dict[tuple[int, str], list[tuple[list[Span], list[Span]]]] = {}
    policies: dict[str, list[dict[str, Any]]] = {}
    seconds: dict[str, list[float]] = {}
    predict: dict[str, list[float]] = {}  # start -> [seconds, characters] of predict_docs on test folds
    n_pool: list[int] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-curve-") as tmp:
        for k in range(folds):
            test = docs[k::folds]
            rest = [d for i, d in enumerate(docs) if i % folds != k]
            n_dev = max(1, len(rest) // 5)
            dev, pool = rest[:n_dev], rest[n_dev:]
            n_pool.append(len(pool))
            for n in sizes:
                n_eff = len(pool) if n == 0 or n > len(pool) else n
                for start_name, start in starts.items():
                    tag = f"{k}-{n_eff}-{start_name}"
                    fitted, policy, secs = _train_and_merge(pool[:n_eff], dev, Path(tmp), tag, steps=steps,
                                                            seed=seed, size=model_size, base=start,
                                                            inner_folds=inner_folds)
                    seconds.setdefault(f"{n}:{start_name}", []).append(secs)
                    policies.setdefault(f"{n}:{start_name}", []).append({
                        lab: (v["source"], v["threshold"], v.get("support")) for lab, v in policy["labels"].items()})
                    model_pre.use_matmul_ops(fitted.nlp)
                    t0 = time.process_time()
                    test_model = [p.spans for p in model_pre.predict_docs(fitted.nlp, [d["text"] for d in test])]
                    spent = predict.setdefault(start_name, [0.0, 0.0])
                    spent[0] += time.process_time() - t0
                    spent[1] += sum(len(d["text"]) for d in test)
                    suffix = "" if start is None else " (base)"
                    for d, m in zip(test, test_model, strict=True):
                        r = rules_all[d["id"] + d["source"]]
                        merged = model_pre.merge(r, m, policy)
                        systems = [("model" + suffix, [(x.start, x.end, x.label) for x in m]),
                                   ("rules+model" + suffix, [(s["start"], s["end"], s["label"]) for s in merged])]
                        if start is None:
                            systems.append(("rules", [(s["start"], s["end"], s["label"]) for s in r]))
                        for name, spans in systems:
                            pairs.setdefault((n, name), []).append((d["spans"], spans))
                    print(f"fold {k + 1}/{folds}, {n_eff} articles, {start_name}: {secs:.0f} s + cross-validation",
                          file=sys.stderr, flush=True)
    names = ["rules", "model", "rules+model"] + (["model (base)", "rules+model (base)"] if base else [])
    rows = []
    for n in sizes:
        for name in names:
            scores = score_spans(pairs[(n, name)])
            row: dict[str, Any] = {"articles": n if n else f"all ({min(n_pool)}-{max(n_pool)})", "system": name}
            for mode in ("exact", "overlap"):
                for label in (*LABELS, "micro"):
                    sc = scores[mode][label]
                    row.update({f"{mode}:{label}": round(sc.f1, 3), f"{mode}:{label}:p": round(sc.precision, 3),
                                f"{mode}:{label}:r": round(sc.recall, 3)})
            rows.append(row)
    sources: dict[str, int] = {}
    for d in docs:
        sources[d["source"]] = sources.get(d["source"], 0) + 1
    return {"docs": len(docs), "sources": sources, "folds": folds, "inner_folds": inner_folds, "steps": steps,
            "base": base, "notes": notes, "rows": rows, "model_size": asdict(model_size), "policies": policies,
            "train_seconds": seconds,
            "predict_chars_per_cpu_s": {k: round(v[1] / v[0]) if v[0] else None for k, v in predict.items()},
            "wall_seconds": round(time.perf_counter() - started, 1)}


def auroc(pairs: list[tuple[float, bool]]) -> float | None:
    """P(a right span's probability > a wrong one's), ties half."""
    right = [p for p, ok in pairs if ok]
    wrong = [p for p, ok in pairs if not ok]
    if not right or not wrong:
        return None
    wins = sum((a > b) + 0.5 * (a == b) for a in right for b in wrong)
    return round(wins / (len(right) * len(wrong)), 3)


def spearman(pairs: list[tuple[float, float]]) -> float | None:
    def ranks(xs: list[float]) -> list[float]:
        order = sorted(range(len(xs)), key=lambda i: xs[i])
        out = [0.0] * len(xs)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out

    if len(pairs) < 3:
        return None
    a, b = ranks([x for x, _ in pairs]), ranks([y for _, y in pairs])
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    var = (sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) ** 0.5
    return round(cov / var, 3) if var else None


# ---------------------------------------------------------------------------------------------
# Speed

def speed(*, n_train: int, steps: int | None, seed: int) -> dict[str, Any]:
    import spacy

    from incident_corpus.preannotate.model import TrainedModel

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
                        "training_loop_cpu_s": meta["training_cpu_seconds"],
                        "validation_micro_f1": meta["scores"]["validation"]["exact"]["micro"]["f1"],
                        "launcher_children_cpu_s": round((cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime +
                                                                                           cpu0.ru_stime), 1)}
        texts = [a["text"] for a in articles(1024, seed + 1, offset=10_000)]
        stock = spacy.load(work / "model")  # thinc's NumpyOps: blis
        trained = TrainedModel(str(work / "model"))  # what push and serve load: numpy's matmul
        out["predict"] = predict_speed(trained.nlp, texts[:400], rules=True, stock=stock)
        out["predict_workers"] = predict_workers(trained.nlp, texts)
    return out


def predict_workers(nlp: Any, texts: list[str]) -> dict[str, Any]:
    """What `push --model` runs on a large push: predict_batches in min(usable CPUs, 4) worker processes,
    against one process; wall and CPU (this process and its children), articles/s."""
    from incident_corpus.core.batches import batches
    from incident_corpus.core.cpu import usable_cpus
    from incident_corpus.preannotate.model import PREDICT_BATCH, PROCESSES_MAX, predict_batches

    in_batches = list(batches(iter(texts), PREDICT_BATCH))
    out: dict[str, Any] = {"articles": len(texts)}
    for n in sorted({1, min(usable_cpus(), PROCESSES_MAX)}):
        c0, p0, w = resource.getrusage(resource.RUSAGE_CHILDREN), time.process_time(), time.perf_counter()
        for _ in predict_batches(nlp, in_batches, n_process=n):
            pass
        w, c1 = time.perf_counter() - w, resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time() - p0 + (c1.ru_utime + c1.ru_stime) - (c0.ru_utime + c0.ru_stime)
        out[f"{n} process{'es' if n > 1 else ''}"] = {"articles_per_s_wall": round(len(texts) / w, 1),
                                                       "articles_per_s_cpu": round(len(texts) / cpu, 1),
                                                       "load": round(os.getloadavg()[0], 2)}
    return out


def predict_speed(nlp: Any, texts: list[str], *, rules: bool = False, rounds: int = 1,
                  stock: Any = None) -> dict[str, Any]:
    """Articles/s (wall and per CPU-second of this process) of the rules, greedy `nlp.pipe`, and what push runs:
    the greedy parse with probabilities (predict_batches in one process, in ModelPreannotator's batches); with
    `stock`, the same pipeline on thinc's own NumpyOps (blis) beside it. Best of `rounds`."""
    from incident_corpus.core.batches import batches
    from incident_corpus.preannotate.model import PREDICT_BATCH, predict_batches
    from incident_corpus.preannotate.runner import Preannotator

    runs: dict[str, Any] = {}
    if rules:
        pre = Preannotator()
        runs["rules (baseline)"] = lambda: list(pre.annotate_many(texts))
    runs["model greedy nlp.pipe"] = lambda: list(nlp.pipe(texts, batch_size=PREDICT_BATCH))
    runs["model + probabilities (push)"] = lambda: list(predict_batches(nlp, batches(iter(texts), PREDICT_BATCH)))
    if stock is not None:
        runs["same, thinc's blis gemm"] = lambda: list(predict_batches(stock, batches(iter(texts), PREDICT_BATCH)))
    list(nlp.pipe(texts[:20]))  # warm
    timings: dict[str, Any] = {}
    for _ in range(rounds):
        for name, run in runs.items():  # alternated, so the machine's load falls on each alike
            w, c = time.perf_counter(), time.process_time()
            run()
            w, c = time.perf_counter() - w, time.process_time() - c
            best = timings.get(name)
            if best is None or len(texts) / c > best["articles_per_s_cpu"]:
                timings[name] = {"articles_per_s_wall": round(len(texts) / w, 1),
                                 "articles_per_s_cpu": round(len(texts) / c, 1)}
    return {"articles": len(texts), **timings,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def model_sizes(*, sizes: list[Any], n: int, seed: int, rounds: int) -> dict[str, Any]:
    """Predict speed of each model size on the same articles: pipelines built from `annotate train`'s config,
    initialised and updated a few times on synthetic articles (speed does not depend on the weights' values;
    accuracy is the curve part's business: `--part curve --model-size W,D,H`)."""
    import spacy
    from spacy.training import Example

    from incident_corpus.preannotate.model import use_matmul_ops
    from incident_corpus.train import config as train_config

    train = list(articles(40, seed))
    texts = [a["text"] for a in articles(n, seed + 1, offset=10_000)]
    nlps = {}
    for size in sizes:
        cfg = train_config.build_config(train=Path("unused"), dev=Path("unused"), max_steps=1, seed=seed, size=size)
        nlp = spacy.util.load_model_from_config(cfg, auto_fill=True)
        examples = [Example.from_dict(nlp.make_doc(a["text"]), {"entities": [(s["start"], s["end"], s["label"])
                                                                             for s in a["spans"]]}) for a in train]
        optimizer = nlp.initialize(lambda examples=examples: examples)
        for _ in range(5):
            nlp.update(examples, sgd=optimizer)
        use_matmul_ops(nlp)  # as push and serve run it
        nlps[f"{size.width},{size.depth},{size.ner_hidden}"] = nlp
    out: dict[str, Any] = {}
    for _ in range(rounds):
        for name, nlp in nlps.items():
            r = predict_speed(nlp, texts)
            best = out.get(name)
            key = "model + probabilities (push)"
            if best is None or r[key]["articles_per_s_cpu"] > best[key]["articles_per_s_cpu"]:
                out[name] = r
    return {"articles": n, "sizes": out}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", default="speed,curve")
    ap.add_argument("--n-train", type=int, default=500)
    ap.add_argument("--steps", type=int, default=None, help="annotate train --max-steps (default: its default)")
    ap.add_argument("--curve-steps", type=int, default=150)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--sizes", default="5,10,20,0")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--model-size", default=None, help="curve: WIDTH,DEPTH,NER_HIDDEN (default: annotate train's)")
    ap.add_argument("--predict-sizes", default="96,4,64;48,2,64",
                    help="sizes part: WIDTH,DEPTH,NER_HIDDEN;... to compare predict speed of")
    ap.add_argument("--rounds", type=int, default=3, help="sizes part: alternated rounds, best kept")
    ap.add_argument("--base", default=None, help="curve: also train from this pipeline (e.g. the folder of "
                                                 "en_core_web_sm)")
    ap.add_argument("--inner-folds", type=int, default=3, help="curve: the merge's cross-validation folds")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    parts = args.part.split(",")
    report: dict[str, Any] = {}
    if "speed" in parts:
        report["speed"] = speed(n_train=args.n_train, steps=args.steps, seed=args.seed)
    if "sizes" in parts:
        report["sizes"] = model_sizes(sizes=[ModelSize.parse(x) for x in args.predict_sizes.split(";")], n=200,
                                      seed=args.seed, rounds=args.rounds)
    if "curve" in parts:
        report["curve"] = curve(folds=args.folds, sizes=[int(s) for s in args.sizes.split(",")],
                                steps=args.curve_steps, seed=args.seed,
                                model_size=ModelSize.parse(args.model_size) if args.model_size else None,
                                base=args.base, inner_folds=args.inner_folds)
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
        w = report["speed"]["predict_workers"]
        for name, v in w.items():
            if isinstance(v, dict):
                print(f"predict (push) in {name}, {w['articles']} articles: {v['articles_per_s_wall']} articles/s "
                      f"wall, {v['articles_per_s_cpu']} per CPU-second, load {v['load']}")
    if "sizes" in report:
        print(f"\npredict speed by model size (WIDTH,DEPTH,NER_HIDDEN), {report['sizes']['articles']} articles:")
        for size, r in report["sizes"]["sizes"].items():
            print(f"  {size}: " + "; ".join(f"{name} {v['articles_per_s_cpu']}/s CPU "
                                            f"({v['articles_per_s_wall']}/s wall)"
                                            for name, v in r.items() if isinstance(v, dict)))
    if "curve" in report:
        c = report["curve"]
        print(f"\ncurve: {c['docs']} articles {c['sources']}, {c['folds']} folds, {c['steps']} steps, model size "
              f"{c['model_size']}; {c['notes']}")
        print(f"predict speed (characters per CPU-second): {c['predict_chars_per_cpu_s']}")
        print(f"merge per size and start (source, threshold, support per label): {c['policies']}")
        labels = [*LABELS, "micro"]
        for mode in ("exact", "overlap"):
            print(f"\n{mode} F1 (P/R) | articles | system | " + " | ".join(labels))
            for r in c["rows"]:
                print(f"| {r['articles']!s} | {r['system']} | " + " | ".join(
                    f"{r[f'{mode}:{label}']:.2f} ({r[f'{mode}:{label}:p']:.2f}/{r[f'{mode}:{label}:r']:.2f})"
                    for label in labels) + " |")


if __name__ == "__main__":
    raise SystemExit(main())
