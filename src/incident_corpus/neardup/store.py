"""The project's signature store: one SQLite file per (Label Studio URL, project id) in the user's
state folder, holding each pushed article's two MinHash signatures and its text (zlib), so a push
builds its LSH index without re-reading the project's texts from the server and checks candidates
exactly. The push that owns the store holds the project's push lock (pipeline/push.py), and SQLite
transactions keep the file whole if a push dies; pipeline/push.py re-syncs it with the project when
the counts differ (tasks deleted in the UI, imported elsewhere)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from incident_corpus.core.errors import InputError
from incident_corpus.neardup.detect import LEDE_WORDS, NUM_PERM, SEED, SHINGLE, Index, Sketch

STATE_DIR_ENV = "INCIDENT_CORPUS_STATE_DIR"
# A store made with other detection parameters is rebuilt, never mixed.
# v2: shingles hashed from word hashes (sketching.py), signatures stored as raw uint32 arrays.
PARAMS = f"rensa-minhash:perm={NUM_PERM}:seed={SEED}:shingle={SHINGLE}:lede={LEDE_WORDS}:v2"


def state_dir() -> Path:
    """Per-user state folder (XDG_STATE_HOME), overridable with INCIDENT_CORPUS_STATE_DIR."""
    if os.environ.get(STATE_DIR_ENV):
        return Path(os.environ[STATE_DIR_ENV]).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "incident-corpus"


def store_path(url: str, project_id: int) -> Path:
    key = hashlib.sha256(f"{url.rstrip('/')}|{project_id}".encode()).hexdigest()[:16]
    return state_dir() / "signatures" / f"project-{project_id}-{key}.sqlite"


class SignatureStore:
    """Signatures and texts by article_id; `path=None` keeps them in memory (dry runs)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            # check_same_thread=False: push writes a batch on a thread while it builds the next (never two at once)
            self.db = sqlite3.connect(str(path) if path is not None else ":memory:", isolation_level=None,
                                      check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL" if path is not None else "PRAGMA journal_mode=MEMORY")
            self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self.db.execute("CREATE TABLE IF NOT EXISTS articles (article_id TEXT PRIMARY KEY, words INTEGER, "
                            "full BLOB, lede BLOB, text BLOB)")
            row = self.db.execute("SELECT value FROM meta WHERE key = 'params'").fetchone()
            if row is None or row[0] != PARAMS:
                self.db.execute("DELETE FROM articles")
                self.db.execute("INSERT OR REPLACE INTO meta VALUES ('params', ?)", (PARAMS,))
        except sqlite3.Error as exc:
            raise InputError(f"near-duplicate signature store {path}: {exc}; delete the file (it is rebuilt "
                             f"from the project) or set {STATE_DIR_ENV} to another folder") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SignatureStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def article_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT article_id FROM articles")}

    def __contains__(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE article_id = ?", (article_id,)).fetchone() is not None

    def fill(self, index: Index) -> None:
        """Every stored article into the LSH index."""
        for aid, n, full, lede in self.db.execute("SELECT article_id, words, full, lede FROM articles"):
            index.add(aid, Sketch.from_state(full, lede, n))

    def add_many(self, rows: Iterable[tuple[str, Sketch, str]]) -> None:
        data = [(aid, sk.words, *sk.state(), zlib.compress(text.encode("utf-8"), 1)) for aid, sk, text in rows]
        with self._transaction():
            self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)", data)

    def remove(self, article_ids: Iterable[str]) -> None:
        with self._transaction():
            self.db.executemany("DELETE FROM articles WHERE article_id = ?", [(a,) for a in article_ids])

    def text(self, article_id: str) -> str | None:
        row = self.db.execute("SELECT text FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return zlib.decompress(row[0]).decode("utf-8") if row else None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
