"""Several annotations of one article → exactly one record per article, by a named policy.

Policies:
  ground-truth  the annotation marked ground truth wins (the latest if several); otherwise the
                most recent annotation (updated_at, then annotation_id).
  latest        the most recent annotation.
  majority      spans, attributes and relations that more than half of the article's
                annotators agree on (each annotator's latest annotation counts once).
  reviewed      the curator's settled version from the review project (`annotate review`, then
                `annotate pull` of the review project) wins; a curator's ground-truth mark, then the
                latest, picks among several. Articles never reviewed fall back to ground-truth.

Every resolved record carries `resolution` {policy, annotation_ids, annotators}. A record
built by majority vote has annotation_id 0 (Label Studio ids start at 1), id
"<article_id>:majority", annotator "ann-majority", span ids "<label>-<start>-<end>",
lead_time null, ground_truth false, repairs [] (the source records keep theirs).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from incident_corpus.core.errors import InputError
from incident_corpus.core.records import recency_key, record_sort_key, timestamp_key

POLICIES: tuple[str, ...] = ("ground-truth", "latest", "majority", "reviewed")
MAJORITY_ANNOTATOR = "ann-majority"
MAJORITY_ANNOTATION_ID = 0

SpanKey = tuple[int, int, str]


@dataclass
class ResolveResult:
    """One record per article plus how much disagreement there was."""

    policy: str
    records: list[dict[str, Any]] = field(default_factory=list)
    annotations: int = 0
    articles: int = 0
    multi_annotated: int = 0
    with_conflicts: int = 0
    spans_dropped: int = 0
    relations_dropped: int = 0
    attributes_omitted: int = 0
    adjudicated: int = 0  # articles whose curator's version was used (policy "reviewed")

    def counts(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "annotations": self.annotations,
            "articles": self.articles,
            "articles_with_multiple_annotations": self.multi_annotated,
            "articles_with_conflicts": self.with_conflicts,
            "spans_dropped": self.spans_dropped,
            "relations_dropped": self.relations_dropped,
            "attributes_omitted": self.attributes_omitted,
            "adjudicated": self.adjudicated,
        }


def resolve(records: Iterable[Mapping[str, Any]], *, policy: str,
            curated: Mapping[str, list[Mapping[str, Any]]] | None = None) -> ResolveResult:
    """Pick or build one record per article_id; input records are not modified.

    `curated` (policy "reviewed"): article_id → the curator's records of it from the review project."""
    if policy not in POLICIES:
        raise InputError(f"unknown resolve policy {policy!r}; use one of {', '.join(POLICIES)}")
    by_article: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    result = ResolveResult(policy=policy)
    for rec in records:
        by_article[rec["article_id"]].append(rec)
    for article_id in sorted(by_article):
        result.records.append(resolve_group(by_article[article_id], policy=policy, result=result,
                                            curated=(curated or {}).get(article_id)))
    return result


def resolve_group(
    group: Sequence[Mapping[str, Any]], *, policy: str, result: ResolveResult, private: bool = False,
    curated: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """The one record for one article's annotations; counts go into `result` (its records are untouched).

    Lets `export` resolve article by article while streaming (one group in memory, not the corpus).
    `private=True` says the caller owns the records and will not use them again, so the chosen one
    is returned without the deep copy (the copy cost as much as parsing the record again).
    """
    result.annotations += len(group)
    group = sorted(group, key=record_sort_key)
    result.articles += 1
    if len(group) > 1:
        result.multi_annotated += 1
        if len({_signature(r) for r in group}) > 1:
            result.with_conflicts += 1
    if policy == "majority":
        return _majority(group, result)
    annotators = len({r["annotator"] for r in group})
    if policy == "reviewed" and curated:
        result.adjudicated += 1
        chosen = max([r for r in curated if r.get("ground_truth")] or curated, key=recency_key)
        out = _copy(chosen)
        out["resolution"] = _resolution(policy, [chosen], annotators=annotators) | {
            "reviewed": True, "reviewed_annotation_ids": sorted(r["annotation_id"] for r in group)}
        return out
    pool = [r for r in group if r.get("ground_truth")] if policy in ("ground-truth", "reviewed") else []
    chosen = max(pool or group, key=recency_key)
    out = dict(chosen) if private else _copy(chosen)
    out["resolution"] = _resolution(policy, [chosen], annotators=annotators)
    return out


def _copy(rec: Mapping[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(rec))
    return copied


def _resolution(policy: str, used: list[Mapping[str, Any]], *, annotators: int) -> dict[str, Any]:
    return {"policy": policy, "annotation_ids": sorted(r["annotation_id"] for r in used),
            "annotators": annotators}


def _span_key(span: Mapping[str, Any]) -> SpanKey:
    return (span["start"], span["end"], span["label"])


def _signature(rec: Mapping[str, Any]) -> str:
    """What an annotation says, independent of region ids, for spotting disagreement."""
    keys = {s["id"]: _span_key(s) for s in rec["spans"]}
    spans = sorted((*_span_key(s), sorted(s["attributes"].items())) for s in rec["spans"])
    rels = sorted((keys.get(r["from_id"]), keys.get(r["to_id"]), r["type"]) for r in rec["relations"])
    return json.dumps([spans, rels])


def _majority(group: list[Mapping[str, Any]], result: ResolveResult) -> dict[str, Any]:
    latest: dict[str, Mapping[str, Any]] = {}
    for rec in group:
        who = rec["annotator"]
        if who not in latest or recency_key(rec) > recency_key(latest[who]):
            latest[who] = rec
    sources = [latest[a] for a in sorted(latest)]
    n = len(sources)
    if n == 1:
        out = _copy(sources[0])
        out["resolution"] = _resolution("majority", sources, annotators=1)
        return out

    votes: dict[SpanKey, list[Mapping[str, Any]]] = defaultdict(list)
    rel_votes: Counter[tuple[SpanKey, SpanKey, str]] = Counter()
    for rec in sources:
        keys = {s["id"]: _span_key(s) for s in rec["spans"]}
        for span in rec["spans"]:
            votes[_span_key(span)].append(span)
        rel_votes.update({(keys[r["from_id"]], keys[r["to_id"]], r["type"]) for r in rec["relations"]})

    kept: dict[SpanKey, dict[str, Any]] = {}
    for key in sorted(votes):
        voters = votes[key]
        if 2 * len(voters) <= n:
            result.spans_dropped += 1
            continue
        start, end, label = key
        kept[key] = {"id": f"{label.lower()}-{start}-{end}", "start": start, "end": end, "label": label,
                     "text": voters[0]["text"], "attributes": _vote_attributes(voters, result)}

    relations = []
    for (fk, tk, typ), count in sorted(rel_votes.items()):
        if fk in kept and tk in kept and 2 * count > n:
            relations.append({"from_id": kept[fk]["id"], "to_id": kept[tk]["id"], "type": typ})
        else:
            result.relations_dropped += 1

    newest = max(sources, key=recency_key)
    created = [r.get("created_at") for r in sources if r.get("created_at")]
    versions = {r.get("model_version") for r in sources}
    return {
        "id": f"{newest['article_id']}:majority",
        "article_id": newest["article_id"],
        "task_id": newest["task_id"],
        "annotation_id": MAJORITY_ANNOTATION_ID,
        "text": newest["text"],
        "meta": _copy(newest["meta"]),
        "annotator": MAJORITY_ANNOTATOR,
        "created_at": min(created, key=timestamp_key) if created else None,
        "updated_at": newest.get("updated_at"),
        "lead_time": None,
        "ground_truth": False,
        "model_version": versions.pop() if len(versions) == 1 else None,
        "spans": [kept[k] for k in sorted(kept)],
        "relations": relations,
        "repairs": [],
        "resolution": _resolution("majority", sources, annotators=n),
    }


def _vote_attributes(voters: list[Mapping[str, Any]], result: ResolveResult) -> dict[str, Any]:
    """Per attribute, the value most of the span's voters chose ("not set" is a vote); ties → omitted."""
    names = sorted({name for span in voters for name in span["attributes"]})
    out: dict[str, Any] = {}
    for name in names:
        tally = Counter(span["attributes"].get(name) for span in voters).most_common()
        top_value, top_count = tally[0]
        if len(tally) > 1 and tally[1][1] == top_count:
            result.attributes_omitted += 1
            continue
        if top_value is None:
            continue
        out[name] = top_value
    return out
