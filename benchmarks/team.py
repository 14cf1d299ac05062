"""What the team figures cost `pull` and `status`: validation alone (the baseline) against validation +
agreement (span F1, attribute κ, relation F1, token κ) and + the pre-annotation audit, on a synthetic
Label Studio export with two annotators per task and a prediction on each (`python -m benchmarks.team`).

Each side runs as its own process through benchmarks.launch (interpreter start and imports included).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import synthetic
from benchmarks.launch import Launcher, best
from benchmarks.report import row

VARIANTS = ("validate", "agreement", "audit")


def write_export(path: Path, n: int, seed: int) -> None:
    """n tasks; annotator 1 = gold, annotator 2 drops every 7th span and flips every 5th outcome;
    the prediction = gold with every 4th span deleted (so the audit has all four outcomes to count)."""
    tasks = []
    for i, a in enumerate(synthetic.articles(n, seed)):
        rng = random.Random(f"team:{seed}:{i}")
        second = []
        for k, s in enumerate(a["spans"]):
            if k % 7 == 3:
                continue
            s2 = dict(s, attributes=dict(s["attributes"]))
            if "outcome" in s2["attributes"] and k % 5 == 0:
                s2["attributes"]["outcome"] = rng.choice(("killed", "injured", "unknown"))
            second.append(s2)
        kept_ids = {s["id"] for s in second}
        rel2 = [r for r in a["relations"] if r["from_id"] in kept_ids and r["to_id"] in kept_ids]
        pred = [s for k, s in enumerate(a["spans"]) if k % 4]
        data = {k: a[k] for k in ("text", "title", "url", "published", "source", "author", "language")}
        data["article_id"] = synthetic.article_id(a["text"])
        tasks.append({
            "id": i + 1, "data": data, "meta": {"article_id": data["article_id"]},
            "predictions": [{"id": i + 1, "model_version": "incident-rules-1",
                             "result": synthetic.result_items(pred, [])}],
            "annotations": [
                {"id": 2 * i + 1, "completed_by": 1, "lead_time": 40.0, "was_cancelled": False,
                 "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z",
                 "result": synthetic.result_items(a["spans"], a["relations"])},
                {"id": 2 * i + 2, "completed_by": 2, "lead_time": 55.0, "was_cancelled": False,
                 "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z",
                 "result": synthetic.result_items(second, rel2)}]})
    path.write_text(json.dumps(tasks), encoding="utf-8")


def child(variant: str, path: Path) -> None:
    """One measured side: what `pull` computes from its export, up to `variant`."""
    from incident_corpus.quality import checks
    from incident_corpus.studio.convert import normalize_export

    tasks = json.loads(path.read_text(encoding="utf-8"))
    users = {1: "a@example.org", 2: "b@example.org"}
    if variant == "validate":
        normalized = normalize_export(tasks, users=users)
        checks.validate_records(normalized.candidates, skipped=normalized.skipped, tasks=normalized.tasks)
        return
    from incident_corpus.export.align import annotators_bio

    checks.check_export(tasks=tasks, users=users, tagger=annotators_bio)
    if variant == "audit":
        from incident_corpus.quality.audit import audit_export

        audit_export(tasks, users=users)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="tasks (two annotations each)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=3, help="rounds per side; the fastest counts")
    ap.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.file)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        write_export(path, args.n, args.seed)
        launcher = Launcher(Path(tmp) / "bench.log")
        try:
            runs: dict[str, Any] = {
                v: best(lambda v=v: launcher.run([sys.executable, "-m", "benchmarks.team", "--child", v,
                                                  "--file", str(path)]), args.repeat) for v in VARIANTS}
        finally:
            launcher.close()
    rows = [row("team", "pull checks + agreement", args.n, runs["agreement"], runs["validate"],
                "validate + span F1, attribute κ, relation F1, token κ", "validate only"),
            row("team", "pull checks + agreement + audit", args.n, runs["audit"], runs["validate"],
                "validate + agreement + pre-annotation audit", "validate only")]
    print(f"{args.n} tasks × 2 annotations, seed {args.seed}, best of {args.repeat}")
    print("| what | ours s | ours RSS MB | baseline s | baseline RSS MB | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r.what} | {r.ours_s:.2f} | {r.ours_rss_mb:.0f} | {r.base_s:.2f} | {r.base_rss_mb:.0f} | "
              f"{r.ratio:.2f}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
