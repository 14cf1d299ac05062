"""Export calls: build a project's JSON export snapshot, download it and delete it again.

A mixin on `TaskCalls` (it counts the tasks to size its timeout), composed into `studio.client.Client`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import time
from typing import IO

from incident_corpus.core.errors import BadResponseError, LabelStudioError
from incident_corpus.studio.task_calls import TaskCalls


class ExportCalls(TaskCalls):
    """The /api/projects/{id}/exports calls."""

    def export_timeout(self, tasks: int) -> float:
        """Seconds for the snapshot requests. The open-source server builds a snapshot inside the
        create request: ~45 s for 10k tasks of 3 KB on its development server (SQLite, idle), more
        than 6 min for 30k on PostgreSQL on a busy 2-CPU machine, so a fixed 60 s timeout fails big
        projects. Allow 30 ms per task on top of a minute (or --timeout if longer)."""
        return max(self.conn.timeout, 60.0 + 0.03 * tasks)

    def export_snapshot(self, project_id: int, *, finished_only: bool = True, with_predictions: bool = False,
                        tasks: int | None = None, into: IO[bytes] | None = None) -> bytes:
        """Create an export snapshot, download it, and delete it again on the server.

        `tasks` (the project's task count, when the caller has it) sizes the timeout. With `into`, the
        body is streamed into that file chunk by chunk (rewound on a retry) and b"" is returned, so a
        100k-task snapshot never sits in memory. Plain HTTP, the requests the SDK's
        `projects.exports.create/get/download/delete` send: importing the SDK's export client costs ~1 s
        of CPU (it imports pandas), about what checking 2000 tasks costs."""
        if tasks is None:
            tasks = self.task_count(project_id)
        slow = self.export_timeout(tasks)
        base = f"/api/projects/{project_id}/exports"
        body = {
            "title": "incident-corpus pull",
            "task_filter_options": {"finished": "only"} if finished_only else {},
            # Skipped (cancelled) annotations are exported too, so pull can count them; it never
            # turns them into records.
            "annotation_filter_options": {"usual": True, "ground_truth": True, "skipped": True},
            "serialization_options": {"predictions": {"only_id": not with_predictions}},
        }
        snap = self.call("create an export snapshot", functools.partial(
            self._request_json, "POST", f"{base}/", content=json.dumps(body).encode("utf-8"), timeout=slow),
            retry=False)
        snap_id = snap.get("id") if isinstance(snap, dict) else None
        if not isinstance(snap_id, int):
            raise BadResponseError(f"Label Studio at {self.url} answered the export snapshot's creation without an "
                                   f"id: {str(snap)[:200]}; check that --url points at Label Studio itself",
                                   url=self.url)
        try:
            deadline = time.monotonic() + max(60.0, self.conn.timeout * 5)
            while snap.get("status") not in ("completed", "failed"):
                if time.monotonic() > deadline:
                    raise LabelStudioError(f"the export snapshot {snap_id} at {self.url} did not complete in time; "
                                           "try again, or raise --timeout", url=self.url)
                self._sleep(0.5)
                snap = self.get_json(f"{base}/{snap_id}", what="read the export snapshot")
                if not isinstance(snap, dict):
                    raise BadResponseError(f"Label Studio at {self.url} answered the export snapshot {snap_id} "
                                           f"with {str(snap)[:200]}; check that --url points at Label Studio itself",
                                           url=self.url)
            if snap.get("status") == "failed":
                raise LabelStudioError(f"Label Studio at {self.url} failed to build export snapshot {snap_id}; "
                                       "see the server log", url=self.url)

            def download() -> bytes:
                if into is not None:
                    into.seek(0)
                    into.truncate()
                with self.http.stream("GET", f"{base}/{snap_id}/download", params={"exportType": "JSON"},
                                      timeout=slow) as r:
                    if r.is_error:
                        r.read()  # the body names the problem in the error message
                    r.raise_for_status()
                    if into is None:
                        return r.read()
                    for chunk in r.iter_bytes():
                        into.write(chunk)
                    return b""

            return self.call("download the export snapshot", download)
        finally:
            # A leftover snapshot is harmless: the data is already ours, or the error is raised.
            with contextlib.suppress(LabelStudioError):
                self.call("delete the export snapshot", functools.partial(
                    self._request, "DELETE", f"{base}/{snap_id}"))
