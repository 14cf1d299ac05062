"""`annotate export`: annotations.jsonl -> Hugging Face dataset folder and/or spaCy corpus.

One pass: read (streaming, cheap re-checks; records.py) -> resolve to one record per article
(quality.resolve) -> assign splits by article_id (splits.py) -> tokenize each text once
(workers.py) -> align once (prepare.py, align.py) -> feed every format's writer (formats/) ->
write the card (card.py). Everything is written into a temp folder beside `out_dir` and swapped
in at the end (core.fileio.replace_folder), so a failed export never leaves half a dataset
where a good one was; then, if asked, the folder is uploaded (hub.py). This module only
orchestrates.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import ExportError, InputError
from incident_corpus.core.fileio import replace_folder, write_text
from incident_corpus.core.gcpasses import fewer_gc_passes
from incident_corpus.core.labels import LABELS
from incident_corpus.core.progress import ProgressCallback
from incident_corpus.export import card
from incident_corpus.export.align import AlignStats
from incident_corpus.export.formats import EXPORTERS, ExportOptions, WriterResult, chosen
from incident_corpus.export.formats.events import EVENT_COUNT_KEYS, events_of
from incident_corpus.export.hub import upload
from incident_corpus.export.prepare import prepare, span_rows
from incident_corpus.export.records import (
    Groups,
    InputStats,
    index_records,
    load,
    open_input,
    read_records,
    read_sidecar,
)
from incident_corpus.export.splits import SPLITS, assign_splits, check_ratios
from incident_corpus.export.workers import PIPE_BATCH, Item, open_writer, tokenized, tokenizer_pool


@dataclass
class ExportResult:
    """What was written: counts per split/label/config, what the overlap policy did, and paths; the
    fields it shares with card.CardInputs are copied from it by name (`of`)."""

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
    near_duplicates: dict[str, Any] | None = None  # neardup Grouping.summary(); None with --no-near-duplicate-groups

    @classmethod
    def of(cls, inputs: card.CardInputs, *, out_dir: Path, paths: list[Path]) -> ExportResult:
        """The result from the card's inputs (the one place the counts are gathered) and where the files are."""
        shared = {f.name for f in dataclasses.fields(card.CardInputs)}
        return cls(out_dir=out_dir, paths=paths,
                   **{f.name: getattr(inputs, f.name) for f in dataclasses.fields(cls) if f.name in shared})

    def as_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["out_dir"] = str(self.out_dir)
        d["paths"] = [str(p) for p in self.paths]
        return d


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
    progress: ProgressCallback | None = None,
    reviewed_path: Path | None = None,
    near_duplicate_threshold: float | None = 0.8,
) -> ExportResult:
    """Export annotations to the requested formats in out_dir (replaced atomically); see the module doc.

    `progress("articles", done, total)` reports the running count (see core/progress.py).
    """
    from incident_corpus.quality.resolve import POLICIES

    input_path, out_dir = Path(input_path), Path(out_dir)
    ratios = check_ratios(split)
    formats = chosen(formats)
    unknown = [f for f in formats if f not in EXPORTERS]
    if unknown or not formats:
        raise InputError(
            f"unknown export format(s) {unknown or formats!r}: choose from {', '.join(EXPORTERS)} or all"
        )
    if resolve_policy not in POLICIES:
        raise InputError(f"unknown resolve policy {resolve_policy!r}: choose from {', '.join(POLICIES)}")
    curated = _curated(reviewed_path, resolve_policy)
    if not card.is_replaceable(out_dir):
        raise ExportError(
            f"{out_dir} exists and is not an earlier export (no README.md written by `annotate export`): "
            "refusing to replace it; choose a new or empty folder"
        )
    options = ExportOptions(
        seed=seed, ratios=ratios, resolve_policy=resolve_policy, license=license, command=command
    )

    from incident_corpus.export import neargroups

    in_stats = InputStats()
    with tokenizer_pool(input_path, formats) as pool:
        # None: split by article alone, as before near-duplicate groups (--no-near-duplicate-groups)
        grouper = neargroups.start(near_duplicate_threshold, pool) if near_duplicate_threshold is not None else None
        groups = index_records(input_path, in_stats, on_text=grouper.add if grouper is not None else None)
        grouping = neargroups.finish(grouper, input_path, groups) if grouper is not None else None
        result = _export(input_path=input_path, out_dir=out_dir, groups=groups, in_stats=in_stats, pool=pool,
                         options=options, formats=formats, progress=progress, curated=curated, grouping=grouping)
    if push_to_hub:
        result.hub_url = upload(folder=out_dir, repo_id=push_to_hub)
    return result


def _curated(path: Path | None, policy: str) -> dict[str, list[dict[str, Any]]]:
    """The curator's records by article (the review project's annotations.jsonl), for --resolve reviewed."""
    if path is None:
        if policy == "reviewed":
            raise InputError("--resolve reviewed needs --reviewed PATH: the annotations.jsonl of the review project "
                             "(`annotate pull --project '<PROJECT> review' --out export-review`)")
        return {}
    if policy != "reviewed":
        raise InputError(f"--reviewed is used only with --resolve reviewed (not {policy}); add --resolve reviewed")
    out: dict[str, list[dict[str, Any]]] = {}
    for rec in read_records(Path(path)):
        out.setdefault(rec["article_id"], []).append(rec)
    return out


def _export(  # over 80 lines: one pass's loop and its counters; the card's inputs are gathered once, here
    *, input_path: Path, out_dir: Path, groups: Groups, in_stats: InputStats, pool: Any, options: ExportOptions,
    formats: tuple[str, ...], progress: ProgressCallback | None,
    curated: dict[str, list[dict[str, Any]]] | None = None, grouping: Any = None,
) -> ExportResult:
    """Pass 2 and the writers (see `export`); `options` is the one source of seed, ratios and policy."""
    from incident_corpus.export.counts import parse_count
    from incident_corpus.quality.resolve import ResolveResult, resolve_group

    article_ids = sorted(groups)  # order-independent output
    in_stats.articles = len(article_ids)
    if not article_ids:
        raise InputError(f"{input_path}: no annotation records to export; run `annotate pull` first")
    split_of = assign_splits(article_ids, seed=options.seed, ratios=options.ratios,
                             group_of=grouping.group_of if grouping is not None else None)
    near = None
    if grouping is not None:
        from incident_corpus.export.neargroups import figures

        near = figures(grouping, split_of)
    resolved = ResolveResult(policy=options.resolve_policy)
    # Casualty phrases repeat across a corpus ("two people", "at least 30 civilians").
    parse_count = functools.lru_cache(maxsize=1 << 16)(parse_count)

    def resolved_records() -> Iterator[Item]:
        """Pass 2: one article's records at a time, resolved to one record (see resolve.resolve), with
        its split and span rows."""
        with open_input(input_path, "rb") as fh:
            for aid in article_ids:
                group = [load(fh, item, input_path) for item in groups.pop(aid)]
                if any(r.get("article_id") != aid for r in group):
                    raise ExportError(f"{input_path} changed while it was being exported; run the export again")
                rec = resolve_group(group, policy=options.resolve_policy, result=resolved, private=True,
                                    curated=(curated or {}).get(aid))
                # The `spans` rows carry it, for grouped cross-validation: the groups computed here, never the
                # field of the input records (pull's, or from elsewhere); by article with --no-near-duplicate-groups.
                rec["near_duplicate_group"] = grouping.group_of.get(aid, aid) if grouping is not None else aid
                yield Item(rec, split_of[aid], *span_rows(rec, parse_count))

    align_total = AlignStats()
    articles = dict.fromkeys(SPLITS, 0)
    span_counts = {s: dict.fromkeys(LABELS, 0) for s in SPLITS}
    ent_counts = {s: dict.fromkeys(LABELS, 0) for s in SPLITS}
    token_counts = dict.fromkeys(SPLITS, 0)
    event_counts = {s: dict.fromkeys(EVENT_COUNT_KEYS, 0) for s in SPLITS}
    results: dict[str, WriterResult] = {}
    with replace_folder(out_dir) as tmp:
        with contextlib.ExitStack() as stack:
            # With a pool, a format may do its work in the worker (see workers.py).
            writers = {name: stack.enter_context(open_writer(name, tmp, options, pool)) for name in formats}
            gc_passes = stack.enter_context(fewer_gc_passes())
            pending = resolved_records()
            batches = iter(lambda: list(itertools.islice(pending, PIPE_BATCH)), [])
            done = 0
            for (rec, sp, spans, relations), sdoc, worked in stack.enter_context(
                contextlib.closing(tokenized(batches, pool))
            ):
                doc, stats = prepare(rec, sp, sdoc, parse_count=parse_count, rows=(spans, relations),
                                     offsets=worked[:2] if worked is not None else None,
                                     tags=worked[2] if worked is not None else None, tokens_elsewhere=pool is not None)
                align_total += stats
                articles[sp] += 1
                for s in doc.spans:
                    span_counts[sp][s["label"]] += 1
                if pool is None:  # else the worker counts (pool.counts, below)
                    token_counts[sp] += len(doc.token_starts)
                    for a in doc.kept:
                        ent_counts[sp][a.label] += 1
                for key, n in events_of(doc).counts(doc.spans).items():
                    event_counts[sp][key] += n
                for writer in writers.values():
                    writer.add(doc)
                done += 1
                gc_passes.tick()
                if progress is not None and done % PIPE_BATCH == 0:
                    progress("articles", done, len(article_ids))
            if progress is not None and done % PIPE_BATCH:
                progress("articles", done, len(article_ids))
            for stats in pool.align if pool is not None else ():  # what the worker aligned and counted
                align_total += stats
            for counts in pool.counts if pool is not None else ():
                for (sp, key), n in counts.items():
                    if key == "tokens":
                        token_counts[sp] += n
                    else:
                        ent_counts[sp][key] += n
            for name, writer in writers.items():
                results[name] = writer.close()

        rows: dict[str, dict[str, int]] = {}
        paths: list[Path] = []
        for res in results.values():
            rows.update(res.rows)
            paths.extend(res.paths)
        if grouping is not None:
            from incident_corpus.export.neargroups import write_groups

            paths.append(write_groups(tmp, grouping))
        inputs = card.CardInputs(
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
            resolution=resolved.counts(),
            report=read_sidecar(input_path.parent / "report.json"),
            agreement=read_sidecar(input_path.parent / "agreement.json"),
            audit=read_sidecar(input_path.parent / "audit.json"),
            near_duplicates=near,
            files=[p.relative_to(tmp).as_posix() for p in paths],
        )
        write_text(tmp / "README.md", card.render_card(inputs))
        paths.append(tmp / "README.md")

    return ExportResult.of(inputs, out_dir=out_dir, paths=[out_dir / p.relative_to(tmp) for p in paths])
