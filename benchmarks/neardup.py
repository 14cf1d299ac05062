"""Near-duplicate detection's cost (issue 30): push with detection against push without, export split by
near-duplicate group against the split by article alone, and the detection/index part alone at any size
(sketching, the LSH index, the signature store: seconds, peak RSS, index and store size per 100k).

The inputs are the synthetic articles plus one near-duplicate per 20 articles (half a reprint with a
closing line added, half a brief: the opening third), so the detector has real work to do.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.launch import Run, annotate_cmd, child_cmd
from benchmarks.report import row
from benchmarks.synthetic import write_records

if TYPE_CHECKING:
    from benchmarks.stages import Bench

EVERY = 20


def with_variants(src: Path, dst: Path, *, records: bool) -> int:
    """`src` (articles or records JSONL) plus a near-duplicate of every EVERY-th item; returns the count."""
    from incident_corpus.ingest.articles import content_hash

    n = 0
    with src.open(encoding="utf-8") as fin, dst.open("w", encoding="utf-8") as out:
        for i, line in enumerate(fin):
            out.write(line)
            n += 1
            if i % EVERY:
                continue
            obj = json.loads(line)
            text = obj["text"]
            if (i // EVERY) % 2:
                cut = text.rfind(" ", 0, len(text) // 3)
                text = text[:cut]
            else:
                text = text + "\n\nThis story has been updated with comments from the regional police."
            obj["text"] = text
            if records:
                aid = content_hash(text)
                obj.update(id=f"{aid}:{900000 + i}", article_id=aid, task_id=900000 + i, annotation_id=900000 + i,
                           spans=[s for s in obj["spans"] if s["end"] <= len(text)])
                kept = {s["id"] for s in obj["spans"]}
                obj["relations"] = [r for r in obj["relations"] if r["from_id"] in kept and r["to_id"] in kept]
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
    return n


def push(b: Bench, stages: set[str]) -> None:
    """push --near-duplicates skip (default) against --near-duplicates off, fresh projects, alternated;
    without pre-annotation (neardup-push: detection's share is largest there) and with it
    (neardup-push-pre: push as a user runs it by default)."""
    if "neardup-push" in stages:
        _push(b, pre=False)
    if "neardup-push-pre" in stages:
        _push(b, pre=True)


def _push(b: Bench, *, pre: bool) -> None:
    server, env = b.server, b.server.env
    src = b.workdir / "nd-articles.jsonl"
    n = with_variants(b.articles_path, src, records=False)
    env = {**env, "INCIDENT_CORPUS_STATE_DIR": str(b.workdir / "nd-state")}
    bases: list[Run] = []
    ourses: list[Run] = []
    for k in range(b.repeat):
        for side, runs, extra in (("without", bases, ["--near-duplicates", "off"]), ("with", ourses, [])):
            title = f"bench {b.tag} neardup {side} {k}{' pre' if pre else ''}"
            b.say(f"neardup push round {k + 1}: {side} detection")
            flags = ["--quiet", *extra] + ([] if pre else ["--no-pre-annotate"])
            runs.append(b.run(annotate_cmd("push", str(src), "--project", title, *flags), env=env))
            server.project_id(title)
    ours, base = min(ourses, key=lambda r: r.seconds), min(bases, key=lambda r: r.seconds)
    stage = "neardup-push-pre" if pre else "neardup-push"
    how = "pre-annotated" if pre else "no pre-annotation"
    b.add(row(stage, f"push, {n} new articles (5 % near-duplicates), {how}", n, ours, base,
              "annotate push (near-duplicates skip)", "annotate push --near-duplicates off"))


def export(b: Bench, stages: set[str]) -> None:
    """export --format hf split by near-duplicate group against --no-near-duplicate-groups, alternated."""
    records = b.workdir / "nd-records-base.jsonl"
    write_records(records, b.n, b.seed)
    src = b.workdir / "nd-records.jsonl"
    n = with_variants(records, src, records=True)
    bases: list[Run] = []
    ourses: list[Run] = []
    for k in range(b.repeat):
        b.say(f"neardup export round {k + 1}: by article, then by group")
        bases.append(b.run(annotate_cmd("export", "--in", str(src), "--out", str(b.workdir / "nd-base"),
                                        "--format", "hf", "--no-near-duplicate-groups", "--quiet")))
        ourses.append(b.run(annotate_cmd("export", "--in", str(src), "--out", str(b.workdir / "nd-ours"),
                                         "--format", "hf", "--quiet")))
    ours, base = min(ourses, key=lambda r: r.seconds), min(bases, key=lambda r: r.seconds)
    b.add(row("neardup-export", f"export to HF split by near-duplicate group, {n}", n, ours, base,
              "annotate export (groups)", "annotate export --no-near-duplicate-groups"))


def index(b: Bench, stages: set[str]) -> None:
    """The detection part alone: sketch every article, LSH index, signature store (no server)."""
    src = b.workdir / "nd-index-articles.jsonl"
    with_variants(b.articles_path, src, records=False)
    out = b.workdir / "nd-index.json"
    b.say("neardup index: sketch + LSH + store")
    r = b.run(child_cmd("neardup-index", str(src), str(b.workdir / "nd-index.sqlite"), str(out)))
    figures = json.loads(out.read_text(encoding="utf-8"))
    figures.update(wall_s=round(r.seconds, 2), peak_rss_mb=round(r.peak_rss_mb, 1))
    if b.n <= 20_000:  # datasketch takes ~1.5 ms an article here: the library comparison at 10k only
        alt = b.workdir / "nd-alternative.json"
        b.run(child_cmd("neardup-alternative", str(src), str(alt)))
        figures["libraries"] = json.loads(alt.read_text(encoding="utf-8"))
    b.neardup_index = figures
    b.say(f"neardup index: {json.dumps(figures)}")


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def child_index(path: str, store_file: str, out: str) -> None:
    """Sketch each article, query and add it to the LSH index and the store, as push does; then time
    loading the store into a fresh index, as the next push does. Writes the figures to `out`."""
    from incident_corpus.neardup.detect import Index, best_match, sketch
    from incident_corpus.neardup.store import SignatureStore

    Path(store_file).unlink(missing_ok=True)
    start = time.perf_counter()
    rss0 = _rss_mb()
    idx = Index(0.8)
    found = n = 0
    with SignatureStore(Path(store_file)) as store, open(path, encoding="utf-8") as fh:
        batch: list = []
        pending: dict[str, str] = {}

        def text_of(k: str) -> str | None:
            return pending.get(k) or store.text(k)

        for line in fh:
            text = json.loads(line)["text"]
            aid = f"{n:08d}"
            sk = sketch(text)
            found += best_match(aid, text, sk, idx, text_of) is not None
            idx.add(aid, sk)
            batch.append((aid, sk, text))
            pending[aid] = text
            n += 1
            if len(batch) == 1000:
                store.add_many(batch)
                batch = []
                pending.clear()
        store.add_many(batch)
        detect_s = time.perf_counter() - start
        index_mb = _rss_mb() - rss0
        arrays_mb = idx.nbytes() / 2**20
        del idx
        t = time.perf_counter()
        fresh = Index(0.8)
        store.fill(fresh)
        load_s = time.perf_counter() - t
    figures = {"articles": n, "near_duplicates_found": found, "detect_s": round(detect_s, 2),
               "ms_per_article": round(1000 * detect_s / n, 3), "index_rss_mb": round(index_mb, 1),
               "index_rss_mb_per_100k": round(index_mb * 100_000 / n, 1),
               "index_arrays_mb_per_100k": round(arrays_mb * 100_000 / n, 1),
               "store_mb": round(os.path.getsize(store_file) / 2**20, 1),
               "store_mb_per_100k": round(os.path.getsize(store_file) / 2**20 * 100_000 / n, 1),
               "store_load_s": round(load_s, 2)}
    Path(out).write_text(json.dumps(figures), encoding="utf-8")


def child_alternative(path: str, out: str) -> None:
    """The library measured against rensa: datasketch's MinHash.bulk + MinHashLSH on the same shingles
    (only where datasketch is installed: it is not a dependency)."""
    from incident_corpus.neardup.detect import Index, shingles, sketch, words

    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    t = time.perf_counter()
    sh = [shingles(words(x)) for x in texts]
    shingle_s = time.perf_counter() - t
    t = time.perf_counter()
    idx = Index(0.8)
    for i, x in enumerate(texts):
        idx.add(str(i), sketch(x))
    rensa_s = time.perf_counter() - t
    figures: dict[str, object] = {"articles": len(texts), "shingle_s": round(shingle_s, 2),
                                  "rensa_sketch_and_index_s": round(rensa_s, 2)}
    try:
        import datasketch
    except ImportError:
        figures["datasketch"] = "not installed"
    else:
        t = time.perf_counter()
        hashes = datasketch.MinHash.bulk([[s.encode() for s in x] for x in sh], num_perm=128)
        lsh = datasketch.MinHashLSH(threshold=0.8, num_perm=128)
        for i, m in enumerate(hashes):
            lsh.insert(str(i), m)
        figures["datasketch_minhash_and_index_s"] = round(time.perf_counter() - t, 2)
    Path(out).write_text(json.dumps(figures), encoding="utf-8")
    print(json.dumps(figures), file=sys.stderr)
