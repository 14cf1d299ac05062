"""`annotate export`: annotations.jsonl -> Hugging Face dataset folder and/or spaCy corpus.

One pass: read (streaming, cheap re-checks) -> resolve to one record per article ->
assign splits by article_id -> tokenize each text once (nlp.tokenizer().pipe) -> align
once (align.py) -> feed every format's writer -> write the card. Everything is written
into a temp folder beside `out_dir` and swapped in at the end, so a failed export never
leaves half a dataset where a good one was.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import functools
import gc
import itertools
import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import ExportError, InputError
from incident_corpus.core.fileio import write_text
from incident_corpus.core.labels import LABELS
from incident_corpus.export import card
from incident_corpus.export.align import AlignStats, align_spans, bio_ids, token_offsets
from incident_corpus.export.formats import EXPORTERS, SPAN_ATTRIBUTES, ExportOptions, PreparedDoc, WriterResult
from incident_corpus.export.formats.events import EVENT_COUNT_KEYS, events_of
from incident_corpus.export.splits import SPLITS, assign_splits, check_ratios

CARD_MARKER = card.MARKER

PIPE_BATCH = 256
MAX_TOKENIZER_WORKERS = 1
PARALLEL_MIN_BYTES = 8_000_000  # ~1000 articles of annotations.jsonl
_LABEL_ORDER = {label: i for i, label in enumerate(LABELS)}
_INT32_MAX = 2**31 - 1
_REQUIRED = ("id", "article_id", "text", "spans", "relations")


@dataclass
class InputStats:
    """What the input annotations.jsonl held before resolving (for the card)."""

    records: int = 0
    articles: int = 0
    ground_truth: int = 0
    annotators: set[str] = field(default_factory=set)
    repairs: Counter = field(default_factory=Counter)


@dataclass
class ExportResult:
    """What was written: counts per split/label/config, what the overlap policy did, and paths."""

    out_dir: Path
    formats: tuple[str, ...]
    articles: dict[str, int]  # per split
    spans: dict[str, dict[str, int]]  # split -> label -> spans (all, overlaps kept)
    entities: dict[str, dict[str, int]]  # split -> label -> spans kept by the overlap policy
    tokens: dict[str, int]  # per split (non-space tokens)
    rows: dict[str, dict[str, int]]  # config ("spans", "tokens", "spacy") -> split -> rows written
    events: dict[str, dict[str, int]]  # split -> events, arguments by role, unattached spans
    alignment: dict[str, Any]  # AlignStats.as_dict()
    input_records: int
    annotators: int
    paths: list[Path]
    hub_url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["out_dir"] = str(self.out_dir)
        d["paths"] = [str(p) for p in self.paths]
        return d


def _fix_hint(path: Path) -> str:
    return f"run `annotate validate {path}` to see every problem, or re-create the file with `annotate pull`"


def _check_line(line: str, path: Path, lineno: int, stats: InputStats) -> dict[str, Any] | None:
    """Parse and check one line of annotations.jsonl (None for a blank line) and count it in `stats`."""
    if not line.strip():
        return None
    fix = _fix_hint(path)
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg}); {fix}") from None
    if not isinstance(rec, dict) or any(k not in rec for k in _REQUIRED):
        missing = [k for k in _REQUIRED if not isinstance(rec, dict) or k not in rec]
        raise InputError(f"{path}:{lineno}: not an annotation record (missing {', '.join(missing)}); {fix}")
    text = rec["text"]
    for span in rec["spans"]:
        try:
            start, end, span_text = span["start"], span["end"], span["text"]
        except (KeyError, TypeError):
            raise InputError(f"{path}:{lineno}: record {rec['id']}: malformed span {span!r}; {fix}") from None
        if text[start:end] != span_text:
            raise InputError(
                f"{path}:{lineno}: record {rec['id']}: span {span.get('id')} says {span_text!r} but "
                f"text[{start}:{end}] is {text[start:end]!r}; {fix}"
            )
    stats.records += 1
    stats.ground_truth += bool(rec.get("ground_truth"))
    if rec.get("annotator"):
        stats.annotators.add(rec["annotator"])
    for repair in rec.get("repairs") or ():
        stats.repairs[repair.get("kind")] += 1
    return rec


def _open(path: Path, mode: str) -> Any:
    try:
        return path.open(mode, encoding="utf-8") if "b" not in mode else path.open(mode)
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read the annotations file ({exc.strerror}); run `annotate pull` first"
        ) from None


def read_records(path: Path, stats: InputStats | None = None) -> Iterator[dict[str, Any]]:
    """Stream records from annotations.jsonl, failing with file:line on anything unusable."""
    stats = stats if stats is not None else InputStats()
    with _open(path, "r") as fh:
        for lineno, line in enumerate(fh, 1):
            rec = _check_line(line, path, lineno, stats)
            if rec is not None:
                yield rec


# Where an article's records are: byte offsets of their lines (the file is read again in pass 2),
# or the records themselves when the file has line breaks a byte scan would read differently.
Groups = dict[str, list[Any]]


def index_records(path: Path, stats: InputStats) -> Groups:
    """Pass 1: check every record (as read_records does) but keep only article_id -> line offsets.

    Holding 100k parsed records (each span a dict) took gigabytes; offsets take a few MB. A lone
    CR counts as a line break in text mode but not here, so such a file is held in memory instead.
    """
    groups: Groups = {}
    pos = 0
    with _open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if b"\r" in raw and (raw.count(b"\r") > 1 or not raw.endswith(b"\r\n")):
                groups.clear()
                fresh = InputStats()  # start the count again: the whole file is read once more
                for f in dataclasses.fields(stats):
                    setattr(stats, f.name, getattr(fresh, f.name))
                for rec in read_records(path, stats):
                    groups.setdefault(rec["article_id"], []).append(rec)
                return groups
            rec = _check_line(raw.decode("utf-8"), path, lineno, stats)
            if rec is not None:
                groups.setdefault(rec["article_id"], []).append(pos)
            pos += len(raw)
    return groups


def _load(fh: Any, item: Any, path: Path) -> dict[str, Any]:
    if isinstance(item, dict):
        return item
    fh.seek(item)
    rec = json.loads(fh.readline().decode("utf-8"))
    if not isinstance(rec, dict):
        raise ExportError(f"{path} changed while it was being exported; run the export again")
    return rec


def _count_fields(parse_count: Callable[[str], dict[str, Any] | None], text: str) -> dict[str, Any]:
    count = parse_count(text)
    if not count:
        return {"count_min": None, "count_max": None, "count_approximate": None}
    lo, hi = count.get("min"), count.get("max")
    return {
        "count_min": lo if lo is None or abs(lo) <= _INT32_MAX else None,
        "count_max": hi if hi is None or abs(hi) <= _INT32_MAX else None,
        "count_approximate": bool(count.get("approximate")),
    }


def prepare(
    record: dict[str, Any],
    split: str,
    sdoc: Any,
    *,
    parse_count: Callable[[str], dict[str, Any] | None],
    offsets: tuple[list[int], list[int]] | None = None,
) -> tuple[PreparedDoc, AlignStats]:
    """Derive everything the formats need from one record and its tokenized Doc.

    `offsets` (token starts/ends computed elsewhere, e.g. by a tokenizer worker) stand in for
    `sdoc`, which may then be None: only the spaCy format needs the Doc itself.
    """
    raw = record["spans"]
    order = sorted(
        range(len(raw)),
        key=lambda i: (
            raw[i]["start"],
            raw[i]["end"],
            _LABEL_ORDER.get(raw[i]["label"], len(LABELS)),
            str(raw[i].get("id")),
        ),
    )
    new_index = {raw[i].get("id"): k for k, i in enumerate(order)}
    spans = []
    for i in order:
        s = raw[i]
        attrs = s.get("attributes") or {}
        row = {"start": s["start"], "end": s["end"], "text": s["text"], "label": s["label"]}
        row.update({name: attrs.get(name) for name in SPAN_ATTRIBUTES})
        if s["label"] == "CASUALTY":
            row.update(_count_fields(parse_count, s["text"]))
        else:
            row.update(count_min=None, count_max=None, count_approximate=None)
        spans.append(row)
    relations = []
    for rel in record["relations"]:
        head, tail = new_index.get(rel.get("from_id")), new_index.get(rel.get("to_id"))
        if head is None or tail is None:
            raise InputError(
                f"record {record['id']}: relation {rel!r} points at a span id that is not in the record; "
                "run `annotate validate` and fix or re-pull the annotation"
            )
        relations.append({"head": head, "tail": tail, "type": rel["type"]})
    relations.sort(key=lambda r: (r["head"], r["tail"], r["type"]))
    starts, ends = offsets if offsets is not None else token_offsets(sdoc)
    kept, stats = align_spans(starts, ends, [(s["start"], s["end"], s["label"]) for s in spans])
    doc = PreparedDoc(
        record=record,
        split=split,
        doc=sdoc,
        token_starts=starts,
        token_ends=ends,
        spans=spans,
        relations=relations,
        kept=kept,
        tags=bio_ids(len(starts), kept),
    )
    return doc, stats


def token_offsets_of(texts: list[str]) -> list[tuple[list[int], list[int]]]:
    """Tokenizer worker: token offsets only (a Doc costs more to send between processes than to make)."""
    from incident_corpus.core.nlp import tokenizer

    return [token_offsets(doc) for doc in tokenizer().pipe(texts, batch_size=PIPE_BATCH)]


def _spare_cpus() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus - 1


@contextlib.contextmanager
def _tokenizer_pool(input_path: Path, formats: Sequence[str]) -> Iterator[Any]:
    """A worker process that tokenizes while this one parses, aligns and writes (None: tokenize here).

    Tokenizing is a third of a 10k export; on two cores a worker takes it off the critical path.
    Only the spaCy format needs Doc objects in this process, and small inputs do not repay the
    worker's start-up (~1 s of imports, started now so it overlaps the first pass over the input).
    """
    size = input_path.stat().st_size if input_path.is_file() else 0
    workers = min(MAX_TOKENIZER_WORKERS, _spare_cpus())
    if "spacy" in formats or workers < 1 or size < PARALLEL_MIN_BYTES:
        yield None
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        pool.submit(token_offsets_of, [""])  # start the worker (imports spaCy) during pass 1
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _tokenized(
    batches: Iterator[list[dict[str, Any]]], pool: Any
) -> Iterator[tuple[dict[str, Any], Any, tuple[list[int], list[int]] | None]]:
    """(record, Doc or None, offsets or None) in input order; with a pool, a few batches in flight."""
    from incident_corpus.core.nlp import tokenizer

    if pool is None:
        tok = tokenizer()
        for batch in batches:
            docs = tok.pipe([r["text"] for r in batch], batch_size=PIPE_BATCH)
            for rec, sdoc in zip(batch, docs, strict=True):
                yield rec, sdoc, None
        return
    inflight: collections.deque = collections.deque()
    ahead = 2 * MAX_TOKENIZER_WORKERS  # bounded: memory stays a few batches, not the corpus
    for batch in batches:
        inflight.append((batch, pool.submit(token_offsets_of, [r["text"] for r in batch])))
        while len(inflight) > ahead:
            done, fut = inflight.popleft()
            for rec, offsets in zip(done, fut.result(), strict=True):
                yield rec, None, offsets
    while inflight:
        done, fut = inflight.popleft()
        for rec, offsets in zip(done, fut.result(), strict=True):
            yield rec, None, offsets


@contextlib.contextmanager
def _fewer_gc_passes() -> Iterator[None]:
    """Keep the cyclic GC from rescanning every imported module object many times over.

    Export allocates millions of short-lived, acyclic objects (rows, token strings); each gen-2
    pass walked the whole heap (spaCy, pyarrow, datasets) and cost ~15% of a 10k export.
    Freezing what exists before the loop and collecting young objects less often removes that.
    """
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(old[0], 10_000), old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_replaceable(out_dir: Path) -> bool:
    """Only an empty folder or a previous export (its card carries our marker) may be replaced."""
    if not out_dir.exists():
        return True
    if not out_dir.is_dir():
        return False
    if not any(out_dir.iterdir()):
        return True
    readme = out_dir / "README.md"
    try:
        return CARD_MARKER in readme.read_text(encoding="utf-8")
    except OSError:
        return False


def _swap_in(tmp: Path, out_dir: Path) -> None:
    """Swap tmp in for out_dir by renames; the old export is deleted only once the new one is in place."""
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        os.rmdir(old)
        os.rename(out_dir, old)
    try:
        os.rename(tmp, out_dir)
    except OSError:
        if old is not None:
            os.rename(old, out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def upload(*, folder: Path, repo_id: str, api: Any = None) -> str:
    """Upload an export folder to a Hub dataset repo (created private if missing); return the commit URL.

    The token comes from huggingface_hub's normal lookup (HF_TOKEN, then `hf auth login`).
    """
    if api is None:
        from huggingface_hub import HfApi

        api = HfApi()
    try:
        api.create_repo(repo_id=repo_id, repo_type="dataset", private=True, exist_ok=True)
        info = api.upload_folder(
            repo_id=repo_id,
            folder_path=str(folder),
            repo_type="dataset",
            commit_message="annotate export",
        )
    except Exception as exc:  # huggingface_hub raises HTTP, connection and auth errors of many types
        raise ExportError(
            f"the dataset was written to {folder} but uploading it to the Hub dataset {repo_id!r} failed: "
            f"{type(exc).__name__}: {exc}. Check HF_TOKEN (a token with write access) and the network, then "
            f"re-run the export with --push-to-hub {repo_id}"
        ) from exc
    return str(getattr(info, "commit_url", None) or info)


def export(
    *,
    input_path: Path,
    out_dir: Path,
    split: tuple[float, float, float] = (0.8, 0.1, 0.1),
    seed: int = 13,
    resolve_policy: str = "ground-truth",
    formats: Sequence[str] = ("hf",),
    license: str = "other",
    command: str = "",
    push_to_hub: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """Export annotations to the requested formats in out_dir (replaced atomically); see the module doc.

    `progress` is called with the number of articles just processed (an increment).
    """
    from incident_corpus.quality.resolve import POLICIES

    input_path, out_dir = Path(input_path), Path(out_dir)
    ratios = check_ratios(split)
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown or not formats:
        raise InputError(
            f"unknown export format(s) {unknown or formats!r}: choose from {', '.join(EXPORTERS)}"
        )
    if resolve_policy not in POLICIES:
        raise InputError(f"unknown resolve policy {resolve_policy!r}: choose from {', '.join(POLICIES)}")
    if not _is_replaceable(out_dir):
        raise ExportError(
            f"{out_dir} exists and is not an earlier export (no README.md written by `annotate export`): "
            "refusing to replace it; choose a new or empty folder"
        )
    options = ExportOptions(
        seed=seed, ratios=ratios, resolve_policy=resolve_policy, license=license, command=command
    )

    in_stats = InputStats()
    with contextlib.ExitStack() as outer:
        pool = outer.enter_context(_tokenizer_pool(input_path, formats))
        groups = index_records(input_path, in_stats)
        return _export(
            input_path=input_path, out_dir=out_dir, groups=groups, in_stats=in_stats, pool=pool,
            seed=seed, ratios=ratios, resolve_policy=resolve_policy, formats=formats, options=options,
            push_to_hub=push_to_hub, progress=progress,
        )


def _export(
    *, input_path: Path, out_dir: Path, groups: Groups, in_stats: InputStats, pool: Any, seed: int,
    ratios: tuple[float, float, float], resolve_policy: str, formats: tuple[str, ...], options: ExportOptions,
    push_to_hub: str | None, progress: Callable[[int], None] | None,
) -> ExportResult:
    """Pass 2 and the writers (see `export`)."""
    from incident_corpus.export.counts import parse_count
    from incident_corpus.quality.resolve import ResolveResult, resolve_group

    article_ids = sorted(groups)  # order-independent output
    in_stats.articles = len(article_ids)
    if not article_ids:
        raise InputError(f"{input_path}: no annotation records to export; run `annotate pull` first")
    split_of = assign_splits(article_ids, seed=seed, ratios=ratios)
    resolved = ResolveResult(policy=resolve_policy)
    # Casualty phrases repeat across a corpus ("two people", "at least 30 civilians").
    parse_count = functools.lru_cache(maxsize=1 << 16)(parse_count)

    def resolved_records() -> Iterator[dict[str, Any]]:
        """Pass 2: one article's records at a time, resolved to one record (see resolve.resolve)."""
        with _open(input_path, "rb") as fh:
            for aid in article_ids:
                group = [_load(fh, item, input_path) for item in groups.pop(aid)]
                if any(r.get("article_id") != aid for r in group):
                    raise ExportError(f"{input_path} changed while it was being exported; run the export again")
                rec = resolve_group(group, policy=resolve_policy, result=resolved, private=True)
                yield rec

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    align_total = AlignStats()
    articles = dict.fromkeys(SPLITS, 0)
    span_counts = {s: dict.fromkeys(LABELS, 0) for s in SPLITS}
    ent_counts = {s: dict.fromkeys(LABELS, 0) for s in SPLITS}
    token_counts = dict.fromkeys(SPLITS, 0)
    event_counts = {s: dict.fromkeys(EVENT_COUNT_KEYS, 0) for s in SPLITS}
    results: dict[str, WriterResult] = {}
    try:
        with contextlib.ExitStack() as stack:
            writers = {
                name: stack.enter_context(EXPORTERS[name].open_writer(tmp, options)) for name in formats
            }
            stack.enter_context(_fewer_gc_passes())
            pending = resolved_records()
            batches = iter(lambda: list(itertools.islice(pending, PIPE_BATCH)), [])
            done = 0
            for rec, sdoc, offsets in stack.enter_context(contextlib.closing(_tokenized(batches, pool))):
                sp = split_of[rec["article_id"]]
                doc, stats = prepare(rec, sp, sdoc, parse_count=parse_count, offsets=offsets)
                align_total += stats
                articles[sp] += 1
                token_counts[sp] += len(doc.token_starts)
                for s in doc.spans:
                    span_counts[sp][s["label"]] += 1
                for a in doc.kept:
                    ent_counts[sp][a.label] += 1
                for key, n in events_of(doc).counts(doc.spans).items():
                    event_counts[sp][key] += n
                for writer in writers.values():
                    writer.add(doc)
                done += 1
                if progress is not None and done % PIPE_BATCH == 0:
                    progress(PIPE_BATCH)
            if progress is not None and done % PIPE_BATCH:
                progress(done % PIPE_BATCH)
            for name, writer in writers.items():
                results[name] = writer.close()

        rows: dict[str, dict[str, int]] = {}
        paths: list[Path] = []
        for res in results.values():
            rows.update(res.rows)
            paths.extend(res.paths)
        card_text = card.render_card(
            card.CardInputs(
                options=options,
                formats=formats,
                articles=articles,
                spans=span_counts,
                entities=ent_counts,
                tokens=token_counts,
                rows=rows,
                alignment=align_total.as_dict(),
                events=event_counts,
                input_records=in_stats.records,
                input_articles=in_stats.articles,
                annotators=len(in_stats.annotators),
                ground_truth=in_stats.ground_truth,
                repairs=dict(in_stats.repairs),
                resolution=resolved.counts() if hasattr(resolved, "counts") else None,
                report=_read_json(input_path.parent / "report.json"),
                agreement=_read_json(input_path.parent / "agreement.json"),
                files=[p.relative_to(tmp).as_posix() for p in paths],
            )
        )
        write_text(tmp / "README.md", card_text)
        paths.append(tmp / "README.md")
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

    result = ExportResult(
        out_dir=out_dir,
        formats=formats,
        articles=articles,
        spans=span_counts,
        entities=ent_counts,
        tokens=token_counts,
        rows=rows,
        events=event_counts,
        alignment=align_total.as_dict(),
        input_records=in_stats.records,
        annotators=len(in_stats.annotators),
        paths=[out_dir / p.relative_to(tmp) for p in paths],
    )
    if push_to_hub:
        result.hub_url = upload(folder=out_dir, repo_id=push_to_hub)
    return result
