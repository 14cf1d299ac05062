"""Near-duplicates at push: each new article is checked against the project's signature store (and the
articles before it in the same input) and, by default, held back when it is a near-duplicate; with
`--near-duplicates keep` it is pushed with `meta.near_duplicate_of`. See README, "Near-duplicates"."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from incident_corpus.core.batches import batches
from incident_corpus.core.errors import InputError
from incident_corpus.ingest.articles import Article
from incident_corpus.neardup.bands import shared_keys
from incident_corpus.neardup.detect import Index, Match, best_match, check_threshold, sketch_many
from incident_corpus.neardup.store import SignatureStore, store_path

MODES = ("skip", "keep", "off")


@dataclass
class Screen:
    """What push found: `near_duplicates` rows for the result, `marks` for tasks pushed anyway."""

    mode: str
    store: SignatureStore
    index: Index
    near_duplicates: list[dict[str, Any]] = field(default_factory=list)
    synced: dict[str, int] = field(default_factory=dict)
    # Which of these article ids the project holds (None: a dry run). Stored articles an article matches
    # are confirmed against the project first, so a task deleted in the UI never holds an article back.
    confirm: Callable[[list[str]], set[str]] | None = None
    session: set[str] = field(default_factory=set)  # pushed by this run: no need to confirm
    # The store write of the last batch (zlib and SQLite release the GIL), overlapping the task build and import.
    _writing: concurrent.futures.Future[None] | None = None
    _pool: concurrent.futures.ThreadPoolExecutor = field(
        default_factory=lambda: concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="signatures"))

    def close(self) -> None:
        """Finish the last write and close the store."""
        try:
            self.flush()
        finally:
            self._pool.shutdown(wait=True)
            self.store.close()

    def __enter__(self) -> Screen:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        if self._writing is not None:
            writing, self._writing = self._writing, None
            writing.result()

    def screen(self, articles: list[Article]) -> tuple[list[Article], dict[str, str]]:
        """The articles to push, and article_id -> near_duplicate_of for those pushed although near-duplicates.
        Every pushed article joins the store and the index, so later ones (this input or later pushes) meet it."""
        if self.mode == "off":
            return articles, {}
        self.flush()
        keep: list[Article] = []
        marks: dict[str, str] = {}
        pending: dict[str, str] = {}
        rows = []
        sketches = sketch_many([a.text for a in articles])
        # One vectorised LSH query for the batch, before it joins the index; candidates within the batch come
        # from the band keys the batch's articles share (earlier articles only, and only those kept).
        keys = self.index.band_keys_many(sketches)
        before = [[k for k in ks if self.index.plausible(sk, k)]
                  for sk, ks in zip(sketches, self.index.candidates_many(sketches, keys), strict=True)]
        gone = self._confirm({k for ks in before for k in ks} - self.session)
        earlier = shared_keys(keys)
        kept_rows: set[int] = set()
        for i, (art, sk) in enumerate(zip(articles, sketches, strict=True)):
            cands = [k for k in before[i] if k not in gone]
            cands += [articles[j].article_id for j in earlier.get(i, ()) if j in kept_rows]
            found = best_match(art.article_id, art.text, sk, self.index,
                               lambda k: pending.get(k) or self.store.text(k), candidates=cands)
            held = found is not None and found.kind != "contains" and self.mode == "skip"
            if found is not None:
                self.near_duplicates.append(self._row(art, found, pushed=not held))
            if held:
                continue
            if found is not None:
                marks[art.article_id] = found.of
            keep.append(art)
            pending[art.article_id] = art.text
            kept_rows.add(i)
            rows.append((art.article_id, sk, art.text))
            self.index.add(art.article_id, sk)
            self.session.add(art.article_id)
        self._writing = self._pool.submit(self.store.add_many, rows)
        return keep, marks

    def _confirm(self, stored: set[str]) -> set[str]:
        """Forget stored candidates whose tasks are gone from the project (one query per batch, and only
        when a batch has plausible candidates outside this run); returns them."""
        if not stored or self.confirm is None:
            return set()
        gone = stored - self.confirm(sorted(stored))
        self.store.remove(gone)
        for key in gone:
            self.index.remove(key)
        return gone

    @staticmethod
    def _row(art: Article, m: Match, *, pushed: bool) -> dict[str, Any]:
        return {"source": art.source_file or art.article_id, **m.as_dict(), "pushed": pushed}


def check_options(*, mode: str, threshold: float) -> None:
    if mode not in MODES:
        raise InputError(f"--near-duplicates must be one of {', '.join(MODES)}, not {mode!r}")
    check_threshold(threshold)


def open_screen(*, mode: str, threshold: float, url: str | None, project_id: int | None) -> Screen:
    """A screen on the project's store (in memory for a dry run, `url` None)."""
    check_options(mode=mode, threshold=threshold)
    index = Index(threshold)
    store = SignatureStore(store_path(url, project_id) if url and project_id is not None and mode != "off" else None)
    return Screen(mode=mode, store=store, index=index)


def sync(screen: Screen, client: Any, project_id: int, *, total: int, listed: dict[str, list[int]] | None) -> None:
    """Bring the store in line with the project before the index is built: drop articles whose tasks are
    gone (deleted in the UI), read the texts of tasks it lacks (imported elsewhere, or a project older than
    the store). Only when the counts differ: the common push reads nothing from the server."""
    if screen.mode == "off":
        return
    if screen.store.count() != total:
        present = listed if listed is not None else client.tasks_by_article(project_id)
        stored = screen.store.article_ids()
        gone = stored - present.keys()
        missing = sorted(present.keys() - stored)
        screen.store.remove(gone)
        added = 0
        for batch in batches(client.article_texts(project_id, missing if len(missing) <= 3000 else None), 500):
            fresh = [(aid, text) for aid, text in batch if aid not in stored]
            rows = [(aid, sk, text) for (aid, text), sk in zip(fresh, sketch_many([t for _, t in fresh]), strict=True)]
            stored.update(aid for aid, _ in batch)
            screen.store.add_many(rows)
            added += len(rows)
        screen.synced = {"removed": len(gone), "added": added}
    screen.store.fill(screen.index)
    screen.confirm = lambda ids: set(client.tasks_by_article(project_id, ids))
