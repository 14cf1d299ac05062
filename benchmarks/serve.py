"""Throughput of `annotate serve`: predictions per second over HTTP for 1, 10 and 100 tasks per
request, against the floor of the same predictor called in-process on the same texts.

Usage: python -m benchmarks.serve [--n 300] [--size 3000] [--model DIR] [--json]

The server runs as its own process (`annotate serve`, loopback, a free port); one client sends the
requests one after another, as Label Studio does for "Retrieve predictions" and for opened tasks.
The baseline is the predictor's own `annotate_many` over the same texts, warm, in this process.
Ratio = HTTP seconds / in-process seconds (1.0 would be free HTTP). Peak RSS is the server's
(VmHWM). `--model` measures a pipeline made by `annotate train` beside the rules.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks import ROOT
from benchmarks.synthetic import articles


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300, help="tasks per batch size")
    ap.add_argument("--size", type=int, default=3000, help="characters per synthetic article")
    ap.add_argument("--model", default=None, help="a pipeline made by `annotate train`")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from incident_corpus.pipeline.serve import load_predictor
    from incident_corpus.studio.server import free_port

    texts = [a["text"] for a in articles(args.n, 7)]
    predictor = load_predictor(args.model)
    list(predictor.annotate_many(texts[:20]))  # warm: vocab, matcher caches
    t0 = time.perf_counter()
    list(predictor.annotate_many(texts))
    floor = time.perf_counter() - t0

    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        cmd = [sys.executable, "-m", "incident_corpus", "serve", "--port", str(port), "--workdir", work, "--json"]
        if args.model:
            cmd += ["--model", args.model]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            url = f"http://127.0.0.1:{port}"
            with httpx.Client(base_url=url, timeout=120) as client:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    try:
                        version = client.get("/health").json()["model_version"]
                        break
                    except httpx.HTTPError:
                        time.sleep(0.2)
                else:
                    raise SystemExit("bench: annotate serve did not answer /health within 60 s")
                client.post("/predict", json={"tasks": [{"data": {"text": t}} for t in texts[:20]]})  # warm
                rows = []
                for batch in (1, 10, 100):
                    t0 = time.perf_counter()
                    for i in range(0, len(texts), batch):
                        r = client.post("/predict", json={"tasks": [{"id": k, "data": {"text": t}} for k, t in
                                                                    enumerate(texts[i:i + batch], i)]})
                        r.raise_for_status()
                        assert len(r.json()["results"]) == len(texts[i:i + batch])
                    seconds = time.perf_counter() - t0
                    rows.append({"tasks_per_request": batch, "seconds": round(seconds, 3),
                                 "predictions_per_s": round(len(texts) / seconds, 1),
                                 "ratio": round(seconds / floor, 2)})
            rss = _peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(15)
    report = {"model_version": version, "tasks": len(texts), "chars": args.size,
              "in_process_predictions_per_s": round(len(texts) / floor, 1), "server_peak_rss_mb": round(rss),
              "rows": rows}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"annotate serve, {version}, {len(texts)} synthetic ~{args.size}-char articles; in-process "
          f"floor {report['in_process_predictions_per_s']} predictions/s; server peak RSS {round(rss)} MB")
    print("| tasks per request | predictions/s | ratio vs in-process |")
    print("|---|---|---|")
    for row in rows:
        print(f"| {row['tasks_per_request']} | {row['predictions_per_s']} | {row['ratio']}× |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
