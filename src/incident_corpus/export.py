"""`annotate export`: annotations.jsonl -> Hugging Face dataset folder and/or spaCy corpus.

One pass: read (streaming, cheap re-checks) -> resolve to one record per article ->
assign splits by article_id -> tokenize each text once (nlp.tokenizer().pipe) -> align
once (align.py) -> feed every format's writer -> write the card. Everything is written
into a temp folder beside `out_dir` and swapped in at the end, so a failed export never
leaves half a dataset where a good one was.
"""

from __future__ import annotations

import contextlib
import dataclasses
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

from incident_corpus import card
from incident_corpus.align import AlignStats, align_spans, bio_ids, token_offsets
from incident_corpus.errors import ExportError, InputError
from incident_corpus.exporters import EXPORTERS, SPAN_ATTRIBUTES, ExportOptions, PreparedDoc, WriterResult
from incident_corpus.fileio import write_text
from incident_corpus.labels import LABELS
from incident_corpus.splits import SPLITS, assign_splits, check_ratios

CARD_MARKER = card.MARKER

PIPE_BATCH = 256
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


def read_records(path: Path, stats: InputStats | None = None) -> Iterator[dict[str, Any]]:
    """Stream records from annotations.jsonl, failing with file:line on anything unusable."""
    stats = stats if stats is not None else InputStats()
    fix = f"run `annotate validate {path}` to see every problem, or re-create the file with `annotate pull`"
    try:
        fh = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read the annotations file ({exc.strerror}); run `annotate pull` first"
        ) from None
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{lineno}: not valid JSON ({exc.msg}); {fix}") from None
            if not isinstance(rec, dict) or any(k not in rec for k in _REQUIRED):
                missing = [k for k in _REQUIRED if not isinstance(rec, dict) or k not in rec]
                raise InputError(
                    f"{path}:{lineno}: not an annotation record (missing {', '.join(missing)}); {fix}"
                )
            text = rec["text"]
            for span in rec["spans"]:
                try:
                    start, end, span_text = span["start"], span["end"], span["text"]
                except (KeyError, TypeError):
                    raise InputError(
                        f"{path}:{lineno}: record {rec['id']}: malformed span {span!r}; {fix}"
                    ) from None
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
            yield rec


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
) -> tuple[PreparedDoc, AlignStats]:
    """Derive everything the formats need from one record and its tokenized Doc."""
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
    starts, ends = token_offsets(sdoc)
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
    from incident_corpus.counts import parse_count
    from incident_corpus.nlp import tokenizer
    from incident_corpus.resolve import POLICIES, resolve

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
    resolved = resolve(list(read_records(input_path, in_stats)), policy=resolve_policy)
    records = sorted(resolved.records, key=lambda r: r["article_id"])  # order-independent output
    for a, b in itertools.pairwise(records):
        if a["article_id"] == b["article_id"]:
            raise ExportError(
                f"resolve returned two records for article {a['article_id']}: this is a bug, report it"
            )
    in_stats.articles = len(records)
    if not records:
        raise InputError(f"{input_path}: no annotation records to export; run `annotate pull` first")
    split_of = assign_splits((r["article_id"] for r in records), seed=seed, ratios=ratios)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    align_total = AlignStats()
    articles = dict.fromkeys(SPLITS, 0)
    span_counts = {s: dict.fromkeys(LABELS, 0) for s in SPLITS}
    ent_counts = {s: dict.fromkeys(LABELS, 0) for s in SPLITS}
    token_counts = dict.fromkeys(SPLITS, 0)
    results: dict[str, WriterResult] = {}
    try:
        with contextlib.ExitStack() as stack:
            writers = {
                name: stack.enter_context(EXPORTERS[name].open_writer(tmp, options)) for name in formats
            }
            docs = tokenizer().pipe((r["text"] for r in records), batch_size=PIPE_BATCH)
            done = 0
            for rec, sdoc in zip(records, docs, strict=True):
                sp = split_of[rec["article_id"]]
                doc, stats = prepare(rec, sp, sdoc, parse_count=parse_count)
                align_total += stats
                articles[sp] += 1
                token_counts[sp] += len(doc.token_starts)
                for s in doc.spans:
                    span_counts[sp][s["label"]] += 1
                for a in doc.kept:
                    ent_counts[sp][a.label] += 1
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
        alignment=align_total.as_dict(),
        input_records=in_stats.records,
        annotators=len(in_stats.annotators),
        paths=[out_dir / p.relative_to(tmp) for p in paths],
    )
    if push_to_hub:
        result.hub_url = upload(folder=out_dir, repo_id=push_to_hub)
    return result
