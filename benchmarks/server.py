"""The Label Studio the pipeline benchmarks talk to: the one in LABEL_STUDIO_URL/API_KEY, or a
throwaway one on a free loopback port with a temp data folder, stopped whatever happens.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from benchmarks.synthetic import article_id, articles, result_items


class Server:
    """LABEL_STUDIO_URL/API_KEY if both are set, else a throwaway studio stopped in close()."""

    def __init__(self, workdir: Path) -> None:
        self.data_dir: Path | None = None
        url, key = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
        if not (url and key):
            from incident_corpus.studio import server as studio

            self.data_dir = workdir / "studio"
            self.data_dir.mkdir()
            print(f"bench: starting a throwaway Label Studio (data in {self.data_dir}) ...", file=sys.stderr)
            status = studio.start(data_dir=self.data_dir, port=studio.free_port(), timeout=300)
            url, key = str(status.url), studio.read_credentials(self.data_dir)["token"]
        self.url, self.key = url.rstrip("/"), key
        self.env = {**os.environ, "LABEL_STUDIO_URL": self.url, "LABEL_STUDIO_API_KEY": self.key}
        self.projects: list[int] = []

    def create_project(self, title: str) -> int:
        from incident_corpus.core import resources
        from incident_corpus.studio.client import Client
        from incident_corpus.studio.connection import Connection
        from incident_corpus.studio.tasks import instructions_html

        with Client(Connection(url=self.url, api_key=self.key, timeout=600, retries=2)) as c:
            p = c.create_project(title=title, label_config=resources.label_config(),
                                 instructions_html=instructions_html())
        self.projects.append(p.id)
        return p.id

    def project_id(self, title: str) -> int:
        from incident_corpus.studio.client import Client
        from incident_corpus.studio.connection import Connection

        with Client(Connection(url=self.url, api_key=self.key, timeout=600, retries=2)) as c:
            pid = c.get_project(title).id
        self.projects.append(pid)
        return pid

    def import_annotated(self, project_id: int, path: Path, n: int, seed: int) -> None:
        """Seed: tasks with their annotations inline, in one import call (one by one runs at ~15/s)."""
        from label_studio_sdk import LabelStudio

        tasks = []
        for i, a in enumerate(articles(n, seed)):
            aid = article_id(a["text"])
            data = {"text": a["text"], "article_id": aid, **{k: a[k] for k in (
                "title", "author", "source", "published", "url", "language")},
                "source_file": f"{path}:{i + 1}", "extra": {}}
            tasks.append({"data": data, "meta": {"article_id": aid}, "annotations": [{
                "result": result_items(a["spans"], a["relations"]), "lead_time": 30.0 + i % 90,
                "ground_truth": i % 10 == 0}]})
        ls = LabelStudio(base_url=self.url, api_key=self.key, timeout=900)
        ls.projects.import_tasks(id=project_id, request=tasks, return_task_ids=True)

    def close(self, *, keep: bool, prefix: str) -> None:
        if self.data_dir is not None:
            from incident_corpus.studio import server as studio

            studio.stop(data_dir=self.data_dir)
            return
        if keep:
            return
        import httpx

        from incident_corpus.studio.auth import standalone_auth

        auth = standalone_auth(self.url, self.key)  # a PAT or a legacy token, sent as the tool sends it
        try:  # best effort: leave no 10k-task projects on someone's server, even after a failed stage
            listing = httpx.get(f"{self.url}/api/projects/", params={"page_size": 1000}, auth=auth, timeout=60)
            ids = {int(p["id"]) for p in listing.json().get("results", []) if p["title"].startswith(prefix)}
            for pid in sorted(ids | set(self.projects)):
                httpx.delete(f"{self.url}/api/projects/{pid}/", auth=auth, timeout=600)
        except (httpx.HTTPError, ValueError) as exc:
            print(f"bench: could not delete the benchmark projects: {exc}", file=sys.stderr)
