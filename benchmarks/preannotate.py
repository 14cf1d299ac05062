"""Pre-annotation quality on six sets, rules-1 and the current rules side by side, and speed against the tokenizer.

Usage: python scripts/bench_preannotate.py [--n 10000] [--size 3000] [--repeat 3] [--model PIPELINE]
       [--errors real-news|wikievents|team] [--json]      (--n 0 skips the timing)

1. Real-news gold (benchmarks/data/real-news.gold.jsonl and rams*.gold.jsonl): 20 WikiEvents dev texts,
   the Quetta article and the RAMS windows, annotated by schema/guideline.md by someone who did not write
   the rules, in two parts: **sealed** first, then **dev**. Exact and overlap P/R/F1 per label, and
   attribute accuracy on overlap-matched spans. Sealed texts are only ever scored in aggregate: nothing
   here prints or returns one of their spans or errors (`--errors` refuses them), and a rule change stays
   only if the sealed score does not drop (benchmarks/data/README.md). The figure that counts.
2. WikiEvents dev through the mapping in ../shared/real-news/README.md: overlap recall and precision
   per label (its precision undercounts: WikiEvents marks event arguments, not every mention).
   Pronouns are dropped from its PERPETRATOR spans, since our guideline excludes them.
3. The team's own gold set (tests/data/gold/gold.jsonl): an UPPER BOUND, the rules were tuned on it.
4. Invented reports (benchmarks/invented.py): written and annotated by fresh readers of the guideline who never
   saw the rules, held-out first (scored in aggregate only), then dev (read while writing rules-11 to rules-14).
5. Surface check: the real-news texts upper-cased (old wire copy comes in capitals; the offsets do not
   move), scored against the same gold, sealed and dev.
6. MUC-4 dev (benchmarks/muc4.py): 200 older wire reports in capitals, entity recall of PERPETRATOR and
   CASUALTY through its answer keys; only where $INCIDENT_MUC4_DEV names the file, else skipped.

rules-1 is the frozen copy in benchmarks/rules1.py; the current rules (CURRENT, named after
RULESET_VERSION: rules-4 for incident-rules-4) are the package's preannotate.Preannotator.
Sets 1 and 2 need ../shared (a fresh clone lacks it): they are skipped with a note when it is missing.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from benchmarks import ROOT, invented, muc4, realnews
from incident_corpus.core import scoring
from incident_corpus.core.labels import ATTRIBUTES, LABELS
from incident_corpus.preannotate.runner import RULESET_VERSION

TEAM_GOLD = ROOT / "tests" / "data" / "gold" / "gold.jsonl"
TEAM_DEV = ROOT / "tests" / "data" / "gold" / "dev.jsonl"
PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them", "who", "we", "i", "you", "his", "their", "its",
                      "himself", "themselves", "whom", "those", "one"})
WIKIEVENTS_LABELS = ("ATTACK", "PERPETRATOR", "CASUALTY")
MUC4 = "MUC-4 dev (mapped, capitals; a development set)"

Annotate = Callable[[list[str]], list[list[dict[str, Any]]]]


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def rulesets(model: str | None = None) -> dict[str, Annotate]:
    """name -> function from texts to span lists: rules-1 (frozen), rules-4 (the package), and rules-4
    with a spaCy NER pipeline (`--model`) when one is given."""
    from benchmarks import rules1
    from incident_corpus.preannotate import Preannotator

    pres: list[tuple[str, Any]] = [("rules-1", rules1.Preannotator()), (CURRENT, Preannotator())]
    if model:
        pres.append((f"{CURRENT}+model", Preannotator(model=model)))
    out: dict[str, Annotate] = {}
    for name, pre in pres:
        out[name] = lambda texts, pre=pre: [r["spans"] for r in pre.annotate_many(texts)]
    return out


# ------------------------------------------------------------------------------------------ scoring

def attribute_accuracy(gold: list[list[dict]], pred: list[list[dict]]) -> dict[str, dict[str, Any]]:
    """Per attribute: of the overlap-matched span pairs whose gold span sets it, how many the prediction got right."""
    hits: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for g_spans, p_spans in zip(gold, pred, strict=True):
        used: set[int] = set()
        for p in p_spans:
            for k, g in enumerate(g_spans):
                if k in used or g["label"] != p["label"] or not (p["start"] < g["end"] and g["start"] < p["end"]):
                    continue
                used.add(k)
                for attr in ATTRIBUTES:
                    if attr.label == g["label"] and attr.name in g["attributes"]:
                        seen[attr.name] += 1
                        hits[attr.name] += p["attributes"].get(attr.name) == g["attributes"][attr.name]
                break
    return {a.name: {"matched": seen[a.name], "correct": hits[a.name],
                     "accuracy": round(hits[a.name] / seen[a.name], 4) if seen[a.name] else None} for a in ATTRIBUTES}


def edits(scores: dict[str, dict[str, dict[str, Any]]]) -> dict[str, int]:
    """What an annotator must do to turn the predictions into the gold spans: delete the false ones,
    draw the missing ones, fix the boundaries of the ones that only overlap (attributes not counted)."""
    exact, overlap = scores["exact"]["micro"], scores["overlap"]["micro"]
    out = {"delete": overlap["n_pred"] - overlap["tp"], "draw": overlap["n_gold"] - overlap["tp"],
           "fix_extent": overlap["tp"] - exact["tp"]}
    out["total"] = sum(out.values())
    return out


def span_scores(gold: list[list[dict]], pred: list[list[dict]]) -> dict[str, dict[str, dict[str, Any]]]:
    pairs = (([(g["start"], g["end"], g["label"]) for g in gs], [(p["start"], p["end"], p["label"]) for p in ps])
             for gs, ps in zip(gold, pred, strict=True))
    return {mode: {label: s.as_dict() for label, s in per.items()} for mode, per in scoring.score_spans(pairs).items()}


# ------------------------------------------------------------------------------------------ the sets

SPLITS = ("sealed", "dev")  # report order: sealed first
CURRENT = RULESET_VERSION.removeprefix("incident-")  # the package's rules, as the report names them


def realnews_set() -> dict[str, tuple[list[str], list[list[dict]], list[str]]] | None:
    """split -> (texts, gold spans, doc ids) of the real-news gold, offsets checked; None without ../shared."""
    texts = realnews.all_texts()
    if texts is None:
        return None
    out: dict[str, tuple[list[str], list[list[dict]], list[str]]] = {s: ([], [], []) for s in SPLITS}
    for row in realnews.read_all_gold():
        text = texts[row["doc_id"]]
        bad = [s for s in row["spans"] if text[s["start"]:s["end"]] != s["text"]]
        if bad:  # a sealed row's spans are not shown, only where to look
            raise ValueError(f"{row['file']}: {row['doc_id']}: {len(bad)} gold span(s) do not match the text "
                             "(text[start:end] != span text); the texts changed?")
        part = out[row["split"]]
        part[0].append(text)
        part[1].append(row["spans"])
        part[2].append(row["doc_id"])
    return out


def _token_offsets(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Char offsets of WikiEvents tokens in the normalised text (its stored offsets assume extra spaces)."""
    out, pos = [], 0
    for tok in tokens:
        at = text.find(tok, pos)
        if at < 0:
            raise ValueError(f"token {tok!r} not found after {pos}")
        out.append((at, at + len(tok)))
        pos = at + len(tok)
    return out


def wikievents_set() -> tuple[list[str], list[list[dict]]] | None:
    """Texts and mapped spans: Attack triggers, Attacker/Killer/Injurer (no pronouns), Die/Injure Victims."""
    records = realnews.wikievents_records()
    if records is None:
        return None
    from incident_corpus.ingest.articles import normalize_text

    texts, golds = [], []
    for rec in records:
        text = normalize_text(rec["text"])
        offs = _token_offsets(text, rec["tokens"])
        ents = {e["id"]: e for e in rec["entity_mentions"]}
        spans: set[tuple[int, int, str]] = set()

        def add(start_tok: int, end_tok: int, label: str, *, spans: set = spans, offs: list = offs) -> None:
            spans.add((offs[start_tok][0], offs[end_tok - 1][1], label))

        for ev in rec["event_mentions"]:
            etype = ev["event_type"]
            if etype.startswith("Conflict.Attack"):
                add(ev["trigger"]["start"], ev["trigger"]["end"], "ATTACK")
            for arg in ev["arguments"]:
                ent = ents.get(arg["entity_id"])
                if ent is None:
                    continue
                role = arg["role"]
                if (role == "Attacker" and etype.startswith("Conflict.Attack")) or (
                        role == "Killer" and etype.startswith("Life.Die")) or (
                        role == "Injurer" and etype.startswith("Life.Injure")):
                    if ent["text"].lower() not in PRONOUNS:
                        add(ent["start"], ent["end"], "PERPETRATOR")
                elif role == "Victim" and etype.startswith(("Life.Die", "Life.Injure")):
                    add(ent["start"], ent["end"], "CASUALTY")
        texts.append(text)
        golds.append([{"start": s, "end": e, "label": lab, "attributes": {}} for s, e, lab in sorted(spans)])
    return texts, golds


def team_set() -> tuple[list[str], list[list[dict]]]:
    rows = read_jsonl(TEAM_GOLD)
    return [r["text"] for r in rows], [r["spans"] for r in rows]


def quality(names: Iterable[str] | None = None, *, model: str | None = None) -> dict[str, Any]:
    """All three sets scored by each ruleset."""
    runs = rulesets(model)
    if names is not None:
        runs = {k: v for k, v in runs.items() if k in set(names)}
    report: dict[str, Any] = {"sets": {}}
    rn = realnews_set()
    we = wikievents_set()
    team = team_set()
    for split in SPLITS:
        set_name = f"real-news {split}"
        if rn is None:
            report["sets"][set_name] = {"skipped": "../shared/real-news is missing"}
            continue
        texts, gold, _ids = rn[split]
        report["sets"][set_name] = {"articles": len(texts), "spans": sum(map(len, gold)), "by_ruleset": {}}
        for name, fn in runs.items():
            pred = fn(texts)  # aggregates only leave this loop: scores and attribute accuracy
            report["sets"][set_name]["by_ruleset"][name] = {
                "scores": span_scores(gold, pred), "attributes": attribute_accuracy(gold, pred)}
    for split in SPLITS if rn is not None else ():
        texts, gold, _ids = rn[split]
        caps = [upper_cased(t) for t in texts]
        set_name = f"real-news {split}, upper-cased (surface check)"
        report["sets"][set_name] = {"articles": len(caps), "spans": sum(map(len, gold)), "by_ruleset": {
            name: {"scores": span_scores(gold, fn(caps))} for name, fn in runs.items()}}
    for split, (texts, gold) in invented.invented_set().items():
        read = " (read while writing rules-11 to rules-14)" if split == "dev" else ""
        set_name = f"invented reports {split}{read}"
        report["sets"][set_name] = {"articles": len(texts), "spans": sum(map(len, gold)), "by_ruleset": {}}
        for name, fn in runs.items():
            pred = fn(texts)  # held-out: aggregates only, as for sealed
            report["sets"][set_name]["by_ruleset"][name] = {
                "scores": span_scores(gold, pred), "attributes": attribute_accuracy(gold, pred)}
    if we is None:
        report["sets"]["WikiEvents dev (mapped)"] = {"skipped": "../shared/real-news is missing"}
    else:
        texts, gold = we
        report["sets"]["WikiEvents dev (mapped)"] = {"articles": len(texts), "spans": sum(map(len, gold)),
                                                    "by_ruleset": {}}
        for name, fn in runs.items():
            pred = [[p for p in ps if p["label"] in WIKIEVENTS_LABELS] for ps in fn(texts)]
            report["sets"]["WikiEvents dev (mapped)"]["by_ruleset"][name] = {"scores": span_scores(gold, pred)}
    muc = muc4.dev_set()
    if muc is None:
        report["sets"][MUC4] = {"skipped": f"${muc4.ENV} does not name the MUC-4 dev file (benchmarks/muc4.py)"}
    else:
        texts, ents = muc
        report["sets"][MUC4] = {"articles": len(texts), "entities": sum(map(len, ents)), "by_ruleset": {
            name: {"entity_recall": muc4.entity_recall(texts, ents, fn(texts))} for name, fn in runs.items()}}
    texts, gold = team
    report["sets"]["team gold (upper bound)"] = {"articles": len(texts), "spans": sum(map(len, gold)), "by_ruleset": {}}
    for name, fn in runs.items():
        pred = fn(texts)
        report["sets"]["team gold (upper bound)"]["by_ruleset"][name] = {
            "scores": span_scores(gold, pred), "attributes": attribute_accuracy(gold, pred)}
    return report


def upper_cased(text: str) -> str:
    """The text in capitals, character for character (a letter whose capital is longer stays as it is)."""
    caps = text.upper()
    if len(caps) == len(text):
        return caps
    return "".join(c if len(c.upper()) != 1 else c.upper() for c in text)


# ------------------------------------------------------------------------------------------ speed

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


def speed(*, n: int, size: int, batch_size: int, repeat: int) -> dict[str, Any]:
    """Warm, in-process: rules-4 time / blank tokenizer time on the same texts, best of `repeat` alternating rounds."""
    import spacy

    from incident_corpus.core.nlp import LANG
    from incident_corpus.preannotate import Preannotator

    pool = [r["text"] for r in read_jsonl(TEAM_GOLD)] + [r["text"] for r in read_jsonl(TEAM_DEV)]
    texts = synthetic_texts(pool, n=n, size=size)
    blank = spacy.blank(LANG)
    pre = Preannotator()

    def run_tokenizer(batch: list[str]) -> None:
        for _doc in blank.pipe(batch, batch_size=batch_size):
            pass

    def run_rules(batch: list[str]) -> None:
        for _res in pre.annotate_many(batch, batch_size=batch_size):
            pass

    fns = [run_tokenizer, run_rules]
    for fn in fns:
        fn(texts[:200])
    best = [float("inf")] * 2
    for _ in range(max(1, repeat)):
        for k, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn(texts)
            best[k] = min(best[k], time.perf_counter() - t0)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"articles": len(texts), "mean_chars": round(sum(map(len, texts)) / max(1, len(texts))),
            "tokenizer_seconds": round(best[0], 3), "preannotator_seconds": round(best[1], 3),
            "ratio_vs_tokenizer": round(best[1] / best[0], 3),
            "peak_rss_mb": round(peak_kb / 1024, 1) if sys.platform != "darwin" else round(peak_kb / 2**20, 1)}


# ------------------------------------------------------------------------------------------ rendering

def side_by_side(report: dict[str, Any]) -> list[str]:
    """Real-news sealed and dev next to each other, per label: overlap F1 and exact F1 of each ruleset."""
    sets = [report["sets"].get(f"real-news {s}", {}) for s in SPLITS]
    if any("skipped" in d or not d for d in sets):
        return []
    names = list(sets[0]["by_ruleset"])
    lines = ["== real-news gold, sealed | dev: overlap F1 (exact F1); sealed "
             f"{sets[0]['articles']} texts / {sets[0]['spans']} spans, dev {sets[1]['articles']} / {sets[1]['spans']}",
             f"{'label':<12}" + "".join(f" | {n + ' ' + s:^15}" for n in names for s in SPLITS)]
    for label in (*LABELS, "micro"):
        row = f"{label:<12}"
        for n in names:
            for data in sets:
                sc = data["by_ruleset"][n]["scores"]
                row += f" | {sc['overlap'][label]['f1']:>6.3f} ({sc['exact'][label]['f1']:.3f})"
        lines.append(row)
    return [*lines, ""]


def render(report: dict[str, Any]) -> str:
    lines: list[str] = side_by_side(report)
    for set_name, data in report["sets"].items():
        if "skipped" in data:
            lines.append(f"== {set_name}: skipped ({data['skipped']})")
            continue
        if set_name == MUC4:
            lines.append(f"== {set_name}: {data['articles']} reports, {data['entities']} reference entities")
            for n, r in data["by_ruleset"].items():
                found = [f"{label} {v['recall']:.3f} ({v['found']}/{v['entities']})"
                         for label, v in r["entity_recall"].items()]
                lines.append(f"entity recall {n}: " + ", ".join(found))
            lines.append("")
            continue
        lines.append(f"== {set_name}: {data['articles']} articles, {data['spans']} reference spans")
        names = list(data["by_ruleset"])
        modes = ("overlap",) if set_name.startswith("WikiEvents") else ("exact", "overlap")
        labels = WIKIEVENTS_LABELS if set_name.startswith("WikiEvents") else (*LABELS, "micro")
        head = f"{'label':<12} {'mode':<8}" + "".join(f" | {n:^23}" for n in names)
        lines.append(head)
        lines.append(f"{'':<12} {'':<8}" + "".join(f" | {'P':>7}{'R':>8}{'F1':>8}" for _ in names))
        for label in labels:
            for mode in modes:
                row = f"{label:<12} {mode:<8}"
                for n in names:
                    s = data["by_ruleset"][n]["scores"][mode][label]
                    row += f" | {s['precision']:>7.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
                lines.append(row)
        if not set_name.startswith("WikiEvents"):
            lines.append("annotator edits (delete + draw + fix extent): " + "; ".join(
                "{n} {e[total]} ({e[delete]} + {e[draw]} + {e[fix_extent]})".format(
                    n=n, e=edits(data["by_ruleset"][n]["scores"])) for n in names))
        if "attributes" in data["by_ruleset"][names[0]]:
            row = "attribute accuracy on matched spans:"
            for n in names:
                acc = data["by_ruleset"][n]["attributes"]
                row += f"\n  {n}: " + ", ".join(
                    f"{k} {v['accuracy']:.2f} ({v['correct']}/{v['matched']})" for k, v in acc.items() if v["matched"])
            lines.append(row)
        lines.append("")
    if "speed" in report:
        sp = report["speed"]
        lines.append(f"speed ({CURRENT}): {sp['articles']} articles of ~{sp['mean_chars']} chars: tokenizer "
                     f"{sp['tokenizer_seconds']:.2f} s, pre-annotator {sp['preannotator_seconds']:.2f} s, "
                     f"ratio {sp['ratio_vs_tokenizer']:.2f}x; peak RSS {sp['peak_rss_mb']} MB")
    return "\n".join(lines)


def refuse_sealed(ids: Iterable[str]) -> None:
    """Stop before any sealed text's errors can be listed: their errors are never read."""
    from benchmarks import rams

    fixed = rams.read_split()
    sealed = [i for i in ids if fixed.get(i, {}).get("split") == "sealed"]
    if sealed:
        raise ValueError(f"{len(sealed)} sealed text(s) in an error listing: sealed texts are scored in "
                         "aggregate only (benchmarks/data/README.md)")


def errors(ruleset: str = CURRENT, *, set_name: str = "real-news", model: str | None = None) -> str:
    """Misses and false alarms per article (overlap match) on real-news, wikievents or team: for development."""
    fn = rulesets(model)[ruleset]
    if set_name == "team":
        texts, gold = team_set()
        ids = [r.get("id", str(k)) for k, r in enumerate(read_jsonl(TEAM_GOLD))]
    elif set_name == "real-news":
        data = realnews_set()
        if data is None:
            return "../shared/real-news is missing"
        texts, gold, ids = data["dev"]  # never the sealed part
    else:
        data = wikievents_set()
        if data is None:
            return "../shared/real-news is missing"
        texts, gold = data
        ids = [r["doc_id"] for r in realnews.wikievents_records() or []]
    refuse_sealed(ids)
    out: list[str] = []
    for doc_id, text, gs, ps in zip(ids, texts, gold, fn(texts), strict=True):
        if set_name == "wikievents":
            ps = [p for p in ps if p["label"] in WIKIEVENTS_LABELS]
        hit_g: set[int] = set()
        hit_p: set[int] = set()
        for i, p in enumerate(ps):
            for k, g in enumerate(gs):
                if k not in hit_g and g["label"] == p["label"] and p["start"] < g["end"] and g["start"] < p["end"]:
                    hit_g.add(k)
                    hit_p.add(i)
                    break
        for k, g in enumerate(gs):
            if k not in hit_g:
                ctx = text[max(0, g["start"] - 40):g["end"] + 30].replace("\n", " ")
                out.append(f"{doc_id}\tMISS\t{g['label']}\t{text[g['start']:g['end']]!r}\t…{ctx}…")
        for i, p in enumerate(ps):
            if i not in hit_p:
                ctx = text[max(0, p["start"] - 40):p["end"] + 30].replace("\n", " ")
                out.append(f"{doc_id}\tFALSE\t{p['label']}\t{p['text']!r}\t…{ctx}…")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="synthetic articles for timing (0: no timing)")
    ap.add_argument("--size", type=int, default=3000, help="characters per synthetic article")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3, help="timing rounds; the best round counts")
    ap.add_argument("--model", help="also score rules-4 with this spaCy NER pipeline (name or path)")
    ap.add_argument("--errors", choices=("real-news", "wikievents", "team"),
                    help="list rules-4's misses and false alarms on one set instead (development; "
                         "real-news: its dev texts only, never the sealed ones)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args(argv)
    if args.errors:
        print(errors(f"{CURRENT}+model" if args.model else CURRENT, set_name=args.errors, model=args.model))
        return 0
    report = quality(model=args.model)
    if args.n > 0:
        report["speed"] = speed(n=args.n, size=args.size, batch_size=args.batch_size, repeat=args.repeat)
    print(json.dumps(report, indent=2) if args.json else render(report))
    return 0
