"""Keyed annotator pseudonyms: stable under one key, different under another, and not reversible
without the key (the old salted-hash table for every plausible user id holds none of them)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from incident_corpus.core import pseudonyms
from incident_corpus.core.errors import ConfigError
from incident_corpus.core.pseudonyms import KEY_ENV, pseudonym
from tests.helpers import DATA, REPO, invoke_cli

TROUBLE = DATA / "ls" / "trouble_export.json"
KEY_A = "a" * 16 + "0123456789abcdef" * 3
KEY_B = "b" * 16 + "0123456789abcdef" * 3


@pytest.fixture()
def fresh_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty config folder and no key in the environment: the next pseudonym makes a key."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(KEY_ENV, raising=False)
    monkeypatch.setattr(pseudonyms, "_cache", {})
    return tmp_path / "config" / "incident-corpus" / "pseudonym.key"


def _old_scheme(key: str) -> str:
    """What incident-corpus 0.1 wrote: an unkeyed sha256 with the salt in the source."""
    return "ann-" + hashlib.sha256(f"incident-corpus:{key}".encode()).hexdigest()[:10]


def test_the_old_table_for_every_plausible_user_id_holds_none_of_the_new_pseudonyms(
        fresh_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A fixed key: two sets of 10^5 random 40-bit names meet by chance about once in a hundred keys, so a key
    # made fresh for each run made this test fail about once in a hundred runs (it did on 2026-12-06).
    monkeypatch.setenv(KEY_ENV, KEY_A)
    ids = range(1, 100_001)
    old_table = {_old_scheme(f"user-id:{n}") for n in ids}  # what an attacker rebuilds in a second
    assert len(old_table) == 100_000
    assert _old_scheme("user-id:1") == "ann-33db114379"  # the table is the real old scheme
    new = {pseudonym(email=None, user_id=n) for n in ids}
    assert len(new) == 100_000  # no collision among 10^5 users (expected ~0.005 for 40 bits)
    assert new.isdisjoint(old_table)
    # Nor does guessing the old salt as the key, or an empty key, rebuild them.
    for guess in (b"incident-corpus:", b""):
        guessed = {pseudonym(email=None, user_id=n, key=guess or b"\0") for n in range(1, 1001)}
        assert guessed.isdisjoint(new)
    # E-mail keyed names (exports without user ids) are keyed too.
    assert pseudonym(email="alice@example.org", user_id=None) != _old_scheme("alice@example.org")


def test_key_is_made_once_private_from_the_first_byte_and_reused(fresh_config: Path) -> None:
    first = pseudonym(email=None, user_id=7)
    assert fresh_config.exists()
    assert stat.S_IMODE(fresh_config.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh_config.parent.stat().st_mode) == 0o700
    text = fresh_config.read_text(encoding="ascii").strip()
    assert len(text) == 64 and int(text, 16) >= 0
    assert [p.name for p in fresh_config.parent.iterdir()] == ["pseudonym.key"]  # no temp file left
    pseudonyms._cache.clear()
    assert pseudonym(email=None, user_id=7) == first  # read back, not made again
    assert fresh_config.read_text(encoding="ascii").strip() == text


def test_processes_racing_to_make_the_key_share_the_first_one(fresh_config: Path) -> None:
    results: list[bytes] = []

    def make() -> None:
        results.append(pseudonyms._read_or_create(fresh_config))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert fresh_config.read_bytes().strip() == results[0]


def test_the_key_file_text_and_the_environment_variable_are_interchangeable(
        fresh_config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from_file = pseudonym(email=None, user_id=42)
    monkeypatch.setenv(KEY_ENV, fresh_config.read_text(encoding="ascii").strip())
    assert pseudonym(email=None, user_id=42) == from_file  # a team shares one key by setting the variable
    monkeypatch.setenv(KEY_ENV, KEY_A)
    under_a = pseudonym(email=None, user_id=42)
    monkeypatch.setenv(KEY_ENV, KEY_B)
    assert pseudonym(email=None, user_id=42) != under_a  # a different key gives different names
    monkeypatch.setenv(KEY_ENV, KEY_A)
    assert pseudonym(email=None, user_id=42) == under_a  # stable per key


def test_a_weak_or_damaged_key_is_refused_without_showing_it(fresh_config: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "hunter2-short")
    with pytest.raises(ConfigError, match="too short") as caught:
        pseudonym(email=None, user_id=1)
    assert "hunter2" not in str(caught.value)
    monkeypatch.delenv(KEY_ENV)
    fresh_config.parent.mkdir(parents=True)
    fresh_config.write_text("not-a-key-but-secret-text\n")
    with pytest.raises(ConfigError, match="damaged") as caught:
        pseudonym(email=None, user_id=1)
    assert "secret-text" not in str(caught.value) and str(fresh_config) in str(caught.value)


def _annotators(path: Path) -> set[str]:
    return {json.loads(line)["annotator"] for line in path.read_text(encoding="utf-8").splitlines()}


def test_validate_names_annotators_alike_under_one_key_and_differently_under_another(tmp_path: Path) -> None:
    runs = {}
    for name, key in (("a1", KEY_A), ("a2", KEY_A), ("b", KEY_B)):
        out = tmp_path / name
        result = invoke_cli(["validate", str(TROUBLE), "--out", str(out), "--json"], env={KEY_ENV: key})
        assert KEY_A not in result.output and KEY_B not in result.output
        runs[name] = (_annotators(out / "annotations.jsonl"), (out / "annotations.jsonl").read_bytes())
    assert runs["a1"] == runs["a2"]  # byte-identical records under one key
    assert runs["a1"][0].isdisjoint(runs["b"][0])
    for name in runs:
        assert all(KEY_A.encode() not in p.read_bytes() and KEY_B.encode() not in p.read_bytes()
                   for p in (tmp_path / name).iterdir())


def test_a_fresh_process_reads_the_same_key_file(tmp_path: Path) -> None:
    """Two separate runs on one machine (no variable set): the second reads the key the first made."""
    env = {k: v for k, v in os.environ.items() if k != KEY_ENV}
    env |= {"XDG_CONFIG_HOME": str(tmp_path / "config"), "PYTHONPATH": str(REPO / "src")}
    for name in ("one", "two"):
        subprocess.run([sys.executable, "-m", "incident_corpus", "validate", str(TROUBLE), "--out",
                        str(tmp_path / name), "-q"], env=env, check=True, timeout=120)
    one, two = (tmp_path / name / "annotations.jsonl" for name in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()
    key = (tmp_path / "config" / "incident-corpus" / "pseudonym.key").read_text().strip()
    for name in ("one", "two"):
        assert all(key.encode() not in p.read_bytes() for p in (tmp_path / name).iterdir())
