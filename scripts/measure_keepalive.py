"""Keep-alive vs a fresh connection per request against a Label Studio server (loopback only).

    python scripts/measure_keepalive.py http://127.0.0.1:8096 "$LABEL_STUDIO_API_KEY" [rounds]

Times 200 small GETs, one 1000-task import and one task listing for three httpx set-ups and prints
the medians. It creates and deletes one scratch project per round and variant. The result decides
`httpx.Limits(max_keepalive_connections=0)` in `incident_corpus.studio.base.BaseClient`.
"""

from __future__ import annotations

import socket
import statistics
import sys
import time
import uuid

import httpx
from label_studio_sdk import LabelStudio

from incident_corpus.core import resources
from incident_corpus.ingest.articles import Article
from incident_corpus.studio.auth import standalone_auth
from incident_corpus.studio.client import SDK_PLACEHOLDER_KEY
from incident_corpus.studio.tasks import build_task

VARIANTS = ("no-keepalive", "keepalive", "keepalive+nodelay")


def make(variant: str, url: str, key: str) -> httpx.Client:
    auth = standalone_auth(url, key)  # either token kind, as the tool sends it (a PAT: Bearer access token)
    if variant == "no-keepalive":
        return httpx.Client(base_url=url, auth=auth, timeout=60,
                            limits=httpx.Limits(max_keepalive_connections=0))
    if variant == "keepalive":
        return httpx.Client(base_url=url, auth=auth, timeout=60)
    nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    return httpx.Client(base_url=url, auth=auth, timeout=60,
                        transport=httpx.HTTPTransport(socket_options=nodelay))


def one_round(variant: str, url: str, key: str, tasks: list[dict]) -> tuple[float, float, float]:
    with make(variant, url, key) as http:
        t0 = time.perf_counter()
        for _ in range(200):
            http.get("/api/projects/", params={"page_size": 1}).raise_for_status()
        gets = time.perf_counter() - t0
        sdk = LabelStudio(base_url=url, api_key=SDK_PLACEHOLDER_KEY, httpx_client=make(variant, url, key))
        project = sdk.projects.create(title=f"keepalive {uuid.uuid4().hex[:6]}", label_config=resources.label_config())
        try:
            t0 = time.perf_counter()
            sdk.projects.import_tasks(id=project.id, request=tasks, return_task_ids=True)
            imported = time.perf_counter() - t0
            t0 = time.perf_counter()
            http.get("/api/tasks/", params={"project": project.id, "page_size": 5000,
                                            "include": "id,meta"}).raise_for_status()
            listed = time.perf_counter() - t0
        finally:
            sdk.projects.delete(id=project.id)
    return gets, imported, listed


def main() -> None:
    url, key = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    tasks = [build_task(Article(text=f"Article {i}. Gunmen attacked a police post in district {i}, killing "
                                     f"{i % 7 + 2} officers.", title=f"R{i}").task_data()) for i in range(1000)]
    results: dict[str, list[tuple[float, float, float]]] = {v: [] for v in VARIANTS}
    for _ in range(rounds):
        for variant in VARIANTS:
            results[variant].append(one_round(variant, url, key, tasks))
    for variant, rows in results.items():
        gets, imported, listed = (statistics.median(r[i] for r in rows) for i in range(3))
        print(f"{variant:18s} 200 GETs {gets:6.2f} s ({gets / 200 * 1000:5.1f} ms each)   "
              f"1000-task import {imported:5.2f} s   list 1000 tasks {listed:5.2f} s")


if __name__ == "__main__":
    main()
