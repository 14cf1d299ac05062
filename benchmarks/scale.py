"""Scale: N articles through push, pull and export --format all, on Label Studio over SQLite and PostgreSQL.

Usage: python -m benchmarks.scale [--sizes 10000,30000,100000] [--databases sqlite,postgresql] [--workers N]
       [--seed 13] [--workdir DIR] [--json]

Per database a throwaway studio (`annotate studio start`, with `--database` on a throwaway PostgreSQL
from tests/throwaway_postgres.py), then per size: `annotate push` of N synthetic articles (no
pre-annotation), an annotated project of N tasks seeded inline (import calls of 5000, not timed as a
stage), `annotate pull` of it, `annotate export --format all` of what pull wrote. Each stage is its own
process: wall time and its own peak RSS (os.wait4). The server's own peak RSS (VmHWM of the studio
process, or the largest gunicorn worker) is read after each size: the snapshot export is built
inside one request, so that is where 100k meets Label Studio's wall. Time per article per stage
gives the slope; the limit is 1 GB peak RSS per stage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import ROOT
from benchmarks.launch import Launcher, annotate_cmd
from benchmarks.synthetic import article_id, articles, result_items, write_articles

RSS_LIMIT_MB = 1024
SEED_BATCH = 5000


def _vm_hwm_mb(pid: int) -> float:
    """Peak RSS of a process and its children (gunicorn workers): the largest single one."""
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    peak = 0.0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peak


def _seed(url: str, key: str, project_id: int, n: int, seed: int) -> None:
    from label_studio_sdk import LabelStudio

    ls = LabelStudio(base_url=url, api_key=key, timeout=1800)
    for offset in range(0, n, SEED_BATCH):
        tasks = []
        for i, a in enumerate(articles(min(SEED_BATCH, n - offset), seed, offset=offset), start=offset):
            aid = article_id(a["text"])
            data = {"text": a["text"], "article_id": aid, **{k: a[k] for k in (
                "title", "author", "source", "published", "url", "language")},
                "source_file": f"seed:{i + 1}", "extra": {}}
            tasks.append({"data": data, "meta": {"article_id": aid}, "annotations": [{
                "result": result_items(a["spans"], a["relations"]), "lead_time": 30.0 + i % 90,
                "ground_truth": i % 10 == 0}]})
        ls.projects.import_tasks(id=project_id, request=tasks, return_task_ids=True)


class Studio:
    """A throwaway embedded studio on SQLite or on a throwaway PostgreSQL, stopped in close()."""

    def __init__(self, workdir: Path, database: str, workers: int | None) -> None:
        from incident_corpus.studio import server as studio

        self.workdir, self.database = workdir, database
        self.pg_dir = workdir / "pg"
        db = None
        if database == "postgresql":
            sys.path.insert(0, str(ROOT))
            from tests import throwaway_postgres

            pg = throwaway_postgres.start(self.pg_dir)
            db = studio.Database.parse(pg.create_database("bench"))
        self.data_dir = workdir / "studio"
        status = studio.start(data_dir=self.data_dir, port=studio.free_port(), timeout=600, database=db,
                              workers=workers)
        self.url, self.pid = str(status.url), int(status.pid or 0)
        self.key = studio.read_credentials(self.data_dir)["token"]
        self.env = {**os.environ, "LABEL_STUDIO_URL": self.url, "LABEL_STUDIO_API_KEY": self.key}

    def create_project(self, title: str) -> int:
        from incident_corpus.core import resources
        from incident_corpus.studio.client import Client
        from incident_corpus.studio.connection import Connection
        from incident_corpus.studio.tasks import instructions_html

        with Client(Connection(url=self.url, api_key=self.key, timeout=600, retries=2)) as c:
            return c.create_project(title=title, label_config=resources.label_config(),
                                    instructions_html=instructions_html()).id

    def close(self) -> None:
        from incident_corpus.studio import server as studio

        studio.stop(data_dir=self.data_dir)
        if self.database == "postgresql":
            from tests import throwaway_postgres

            throwaway_postgres.stop(self.pg_dir)


def run_database(database: str, sizes: list[int], *, seed: int, workers: int | None, workdir: Path,
                 launcher: Launcher, say: Any, rows: list[dict[str, Any]]) -> None:
    """Append one row per stage to `rows` as it ends (so a failure later keeps what was measured);
    a stage that fails is a row with its error, and ends this database's run."""
    say(f"{database}: starting a throwaway studio")
    t0 = time.perf_counter()
    studio = Studio(workdir / database, database, workers)
    say(f"{database}: studio up in {time.perf_counter() - t0:.0f} s at {studio.url}")
    try:
        for n in sizes:
            folder = workdir / database / str(n)
            folder.mkdir(parents=True)
            articles_path = folder / "articles.jsonl"
            write_articles(articles_path, n, seed)

            def stage(name: str, cmd: list[str], *, n: int = n) -> None:
                say(f"{database} {n}: {name}")
                try:
                    r = launcher.run(cmd, env=studio.env)
                except (Exception, SystemExit) as exc:
                    rows.append({"database": database, "articles": n, "stage": name, "seconds": None,
                                 "ms_per_article": None, "peak_rss_mb": None, "met": False, "error": str(exc),
                                 "load": round(os.getloadavg()[0], 1)})
                    raise
                rows.append({"database": database, "articles": n, "stage": name, "seconds": round(r.seconds, 2),
                             "ms_per_article": round(1000 * r.seconds / n, 3),
                             "peak_rss_mb": round(r.peak_rss_mb, 1), "met": r.peak_rss_mb <= RSS_LIMIT_MB,
                             "load": round(os.getloadavg()[0], 1)})
                say(f"{database} {n}: {name} {r.seconds:.1f} s, peak RSS {r.peak_rss_mb:.0f} MB")

            stage("push", annotate_cmd("push", str(articles_path), "--project", f"scale push {n}",
                                       "--no-pre-annotate", "--quiet"))
            pid = studio.create_project(f"scale annotated {n}")
            say(f"{database} {n}: seeding {n} annotated tasks")
            t = time.perf_counter()
            _seed(studio.url, studio.key, pid, n, seed)
            rows.append({"database": database, "articles": n, "stage": "seed (not ours)",
                         "seconds": round(time.perf_counter() - t, 2), "ms_per_article": None,
                         "peak_rss_mb": None, "met": None})
            stage("pull", annotate_cmd("pull", "--project", f"scale annotated {n}", "--out", str(folder / "pull"),
                                       "--quiet"))
            stage("export all", annotate_cmd("export", "--in", str(folder / "pull" / "annotations.jsonl"),
                                             "--out", str(folder / "dataset"), "--format", "all", "--quiet"))
            rows.append({"database": database, "articles": n, "stage": "server peak RSS so far", "seconds": None,
                         "ms_per_article": None, "peak_rss_mb": round(_vm_hwm_mb(studio.pid), 1), "met": None})
            shutil.rmtree(folder, ignore_errors=True)
    except (Exception, SystemExit) as exc:  # recorded in its row; the next database still runs
        say(f"{database}: stopped: {exc}")
    finally:
        studio.close()


def print_table(rows: list[dict[str, Any]]) -> None:
    print("| database | articles | stage | seconds | ms/article | peak RSS MB | ≤ 1 GB | load |")
    print("|---|---:|---|---:|---:|---:|---|---:|")
    for r in rows:
        met = "" if r["met"] is None else ("yes" if r["met"] else "**no**")
        print(f"| {r['database']} | {r['articles']} | {r['stage']} | {r['seconds'] if r['seconds'] is not None else ''}"
              f" | {r['ms_per_article'] if r['ms_per_article'] is not None else ''} | "
              f"{r['peak_rss_mb'] if r['peak_rss_mb'] is not None else ''} | {met} | {r.get('load', '')} |"
              + (f" failed: {r['error']}" if r.get("error") else ""))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,30000,100000", help="article counts")
    ap.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    ap.add_argument("--workers", type=int, default=None, help="run the studio under gunicorn with N workers")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="incident-corpus-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def say(msg: str) -> None:
        print(f"scale [{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    launcher = Launcher(workdir / "scale.log")
    rows: list[dict[str, Any]] = []
    try:
        for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
            run_database(database, sizes, seed=args.seed, workers=args.workers, workdir=workdir,
                         launcher=launcher, say=say, rows=rows)
    finally:
        launcher.close()
        if args.json:
            print(json.dumps({"machine": f"{os.cpu_count()} CPUs", "date": time.strftime("%Y-%m-%d"),
                              "workers": args.workers, "rows": rows}, indent=2))
        else:
            print_table(rows)
    if args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(r["met"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
