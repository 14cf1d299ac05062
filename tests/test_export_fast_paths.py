"""The export's speed/memory paths must write byte-identical files to the plain ones.

Big inputs take paths small fixtures never reach (a tokenizer worker process, records read back by
byte offset, a lone-CR fallback); these tests force them on the fixture and compare every file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from incident_corpus.export import build as export_mod
from incident_corpus.export import tokenize
from incident_corpus.export.build import export
from incident_corpus.export.records import read_records

FIXTURE = Path(__file__).parent / "data" / "records" / "annotations.jsonl"
RATIOS = (0.5, 0.25, 0.25)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and p.name != "README.md"}


def _card(folder: Path) -> str:
    return (folder / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("policy", ["ground-truth", "majority"])
def test_tokenizer_worker_writes_the_same_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                policy: str) -> None:
    plain = tmp_path / "plain"
    export(input_path=FIXTURE, out_dir=plain, split=RATIOS, resolve_policy=policy, command="x")
    monkeypatch.setattr(tokenize, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(tokenize, "_spare_cpus", lambda: 1)
    pools: list[Any] = []
    real_pool = export_mod.tokenizer_pool

    @contextlib.contextmanager
    def spy(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real_pool(*args, **kwargs) as pool:
            pools.append(pool)
            yield pool

    monkeypatch.setattr(export_mod, "tokenizer_pool", spy)
    pooled = tmp_path / "pooled"
    export(input_path=FIXTURE, out_dir=pooled, split=RATIOS, resolve_policy=policy, command="x")
    assert len(pools) == 1 and pools[0] is not None  # the worker really ran
    assert _files(pooled) == _files(plain)
    assert _card(pooled) == _card(plain)


def test_lone_cr_input_falls_back_to_reading_in_memory(tmp_path: Path) -> None:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    crlf = tmp_path / "crlf.jsonl"
    crlf.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    lone_cr = tmp_path / "cr.jsonl"
    lone_cr.write_bytes(("\r".join(lines) + "\r").encode("utf-8"))
    outs = {}
    for name, path in (("lf", FIXTURE), ("crlf", crlf), ("cr", lone_cr)):
        outs[name] = tmp_path / name
        export(input_path=path, out_dir=outs[name], split=RATIOS, command="x")
    assert _files(outs["crlf"]) == _files(outs["lf"])
    assert _files(outs["cr"]) == _files(outs["lf"])


def test_records_are_not_modified_by_resolving_without_a_copy(tmp_path: Path) -> None:
    """resolve_group(private=True) hands back the parsed record itself; export must not need a copy."""
    from incident_corpus.quality.resolve import ResolveResult, resolve, resolve_group

    recs = list(read_records(FIXTURE))
    by_copy = resolve(recs, policy="ground-truth").records
    result = ResolveResult(policy="ground-truth")
    groups: dict[str, list] = {}
    for r in recs:
        groups.setdefault(r["article_id"], []).append(r)
    private = [resolve_group(groups[a], policy="ground-truth", result=result, private=True) for a in sorted(groups)]
    assert private == by_copy
    assert result.counts() == resolve(recs, policy="ground-truth").counts()
