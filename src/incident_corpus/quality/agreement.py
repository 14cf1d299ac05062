"""Inter-annotator agreement on spans: how far can the labels be trusted?

For every article annotated by two or more different annotators, each pair of annotators is
compared: a span of one "matches" a span of the other either exactly (same start, end and
label) or by overlap (same label, overlapping ranges; one-to-one, largest overlap first).
F1 = 2·matches / (spans of A + spans of B), symmetric in A and B; null when both are empty.
When one annotator has several annotations of an article, their most recent one is used.

Beyond span F1, three figures that say more (all pooled over every annotator pair of every article):
  attributes  Cohen's κ per attribute over the spans both annotators marked (overlap-matched, same
              label) where at least one of them set it; "not set" counts as a value, so one annotator
              leaving `outcome` empty where the other chose "killed" is a disagreement.
  relations   F1 of relations between matched spans: a relation of A agrees when B draws the same
              type between the spans matched to its two ends.
  tokens      Cohen's κ over token BIO tags (the project tokenizer and the export's overlap policy, so
              it judges exactly what the `tokens` dataset holds; the caller hands in that tagger,
              export.align.annotators_bio, since quality does not import export; without one the
              figure is left out). Chosen over Krippendorff's α for
              unitizing / γ (pygamma-agreement): it needs no solver dependency, is easy to check by
              hand, and is the figure NER papers report; it is inflated by the many "O" tokens, so read
              it beside the span F1, never instead of it.
κ = (p_o − p_e) / (1 − p_e) with p_e from the two annotators' own value frequencies (Cohen 1960);
null when p_e = 1 (both always chose one same value: agreement is not measurable).
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from incident_corpus.core.labels import ATTRIBUTES, LABELS
from incident_corpus.core.records import recency_key

SpanKey = tuple[int, int, str]
UNSET = "(not set)"
# text, one span list per annotator → one BIO tag list per annotator (export.align.annotators_bio)
Tagger = Callable[[str, Sequence[Sequence[SpanKey]]], list[list[str]]]


def latest_by_annotator(records: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Mapping[str, Any]]]:
    """article_id → annotator → that annotator's most recent record of the article."""
    by_article: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for rec in records:
        latest = by_article[rec["article_id"]]
        who = rec["annotator"]
        if who not in latest or recency_key(rec) > recency_key(latest[who]):
            latest[who] = rec
    return by_article


def agreement(records: Iterable[Mapping[str, Any]], *, tagger: Tagger | None = None) -> dict[str, Any]:
    """Pairwise span agreement per label, per annotator pair and overall, plus attribute κ, relation F1
    and (with a `tagger`) token κ (JSON-ready)."""
    by_article = latest_by_annotator(records)
    tally = AgreementTally(tagger=tagger)
    for article_id in sorted(by_article):
        tally.add(by_article[article_id])
    return tally.as_dict()


class AgreementTally:
    """The agreement figures summed one article at a time, in counts only (no per-token lists), so a
    caller that groups records by article as they stream by (`annotate pull`) holds one article at a time.
    The figures do not depend on the order articles are added in."""

    def __init__(self, *, tagger: Tagger | None = None) -> None:
        self.tagger = tagger
        self.articles = 0
        self.multi = 0
        self.overall = _Tally()
        self.pairs: dict[tuple[str, str], _Tally] = {}
        self.pair_articles: dict[tuple[str, str], int] = defaultdict(int)
        self.attributes = {a.name: _Kappa() for a in ATTRIBUTES}
        self.relations = [0, 0, 0]  # relations of A, of B, matched
        self.tokens = _Kappa()

    def add(self, annotators: Mapping[str, Mapping[str, Any]]) -> None:
        """One article: annotator → that annotator's most recent record of it (`latest_by_annotator`)."""
        self.articles += 1
        if len(annotators) < 2:
            return
        self.multi += 1
        tags: dict[str, list[str]] = {}
        if self.tagger is not None:
            names = sorted(annotators)
            text = annotators[names[0]]["text"]
            tags = dict(zip(names, self.tagger(text, [sorted({_key(s) for s in annotators[n]["spans"]})
                                                      for n in names]), strict=True))
        for a, b in itertools.combinations(sorted(annotators), 2):
            tally = self.pairs.setdefault((a, b), _Tally())
            self.pair_articles[(a, b)] += 1
            cmp = compare(annotators[a], annotators[b])
            for label, counts in cmp.per_label.items():
                for t in (tally, self.overall):
                    t.add(label, *counts)
            for name, values in cmp.attribute_values.items():
                self.attributes[name].extend(values)
            self.relations[0] += cmp.relations_a
            self.relations[1] += cmp.relations_b
            self.relations[2] += cmp.relations_matched
            if tags:
                self.tokens.extend(zip(tags[a], tags[b], strict=True))

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "articles_with_multiple_annotators": self.multi,
            "method": "pairwise span F1 = 2*matches/(spans_a+spans_b); exact = same start/end/label, "
                      "overlap = same label and overlapping ranges (one-to-one); attributes: Cohen's kappa over "
                      "overlap-matched spans where either set it ('(not set)' is a value); relations: F1 over "
                      "relations between matched spans; tokens: Cohen's kappa over BIO tags of non-space tokens",
            "overall": self.overall.as_dict(),
            "attributes": {a.name: {"label": a.label, **self.attributes[a.name].as_dict()} for a in ATTRIBUTES},
            "relations": _f1_dict(*self.relations),
            **({"token_kappa": self.tokens.as_dict()} if self.tagger is not None else {}),
            "pairs": [
                {"annotators": [a, b], "articles": self.pair_articles[(a, b)], **self.pairs[(a, b)].as_dict()}
                for a, b in sorted(self.pairs)
            ],
        }


@dataclass
class Comparison:
    """What two annotators of one article agree on, after one-to-one matching of their spans."""

    per_label: dict[str, tuple[int, int, int, int]]  # label → (spans a, spans b, exact, overlap matches)
    matches: list[tuple[Mapping[str, Any], Mapping[str, Any]]]  # overlap-matched span pairs
    attribute_values: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # name → (a, b) values
    attribute_conflicts: list[dict[str, Any]] = field(default_factory=list)
    relations_a: int = 0
    relations_b: int = 0
    relations_matched: int = 0

    @property
    def overlap_f1(self) -> float | None:
        n = sum(c[0] + c[1] for c in self.per_label.values())
        return 2 * sum(c[3] for c in self.per_label.values()) / n if n else None

    @property
    def relation_conflicts(self) -> int:
        """Relations one side drew that the other did not (between matched spans or not)."""
        return self.relations_a + self.relations_b - 2 * self.relations_matched


def compare(a: Mapping[str, Any], b: Mapping[str, Any]) -> Comparison:
    """Match A's and B's spans (per label, exact pairs first, then largest overlap) and compare what hangs
    on them: attributes of matched spans and relations between them."""
    per_label: dict[str, tuple[int, int, int, int]] = {}
    matches: list[tuple[Mapping[str, Any], Mapping[str, Any]]] = []
    for label in LABELS:
        la = _dedup([s for s in a["spans"] if s["label"] == label])
        lb = _dedup([s for s in b["spans"] if s["label"] == label])
        exact = len({_key(s) for s in la} & {_key(s) for s in lb})
        pairs = _overlap_pairs(la, lb)
        per_label[label] = (len(la), len(lb), exact, len(pairs))
        matches.extend(pairs)
    cmp = Comparison(per_label=per_label, matches=matches)
    for name in (att.name for att in ATTRIBUTES):
        cmp.attribute_values[name] = []
    owner = {att.name: att.label for att in ATTRIBUTES}
    for sa, sb in matches:
        for name, label in owner.items():
            if label != sa["label"]:
                continue
            va, vb = sa["attributes"].get(name, UNSET), sb["attributes"].get(name, UNSET)
            if va == vb == UNSET:
                continue  # neither said anything: no judgement to agree on
            cmp.attribute_values[name].append((str(va), str(vb)))
            if va != vb:
                cmp.attribute_conflicts.append({"attribute": name, "span": [sa["start"], sa["end"], label],
                                                "values": [va, vb]})
    a_to_b = {sa["id"]: sb["id"] for sa, sb in matches}
    rels_b = Counter((r["from_id"], r["to_id"], r["type"]) for r in b["relations"])
    cmp.relations_a, cmp.relations_b = len(a["relations"]), len(b["relations"])
    for r in a["relations"]:
        key = (a_to_b.get(r["from_id"]), a_to_b.get(r["to_id"]), r["type"])
        if rels_b[key] > 0:
            rels_b[key] -= 1
            cmp.relations_matched += 1
    return cmp


def _key(span: Mapping[str, Any]) -> SpanKey:
    return (span["start"], span["end"], span["label"])


def _dedup(spans: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """One span per (start, end, label), in position order (validation already refuses duplicates)."""
    seen: dict[SpanKey, Mapping[str, Any]] = {}
    for s in spans:
        seen.setdefault(_key(s), s)
    return [seen[k] for k in sorted(seen)]


def _overlap_pairs(a: Sequence[Mapping[str, Any]], b: Sequence[Mapping[str, Any]]
                   ) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """One-to-one matching of overlapping spans: exact pairs first, then the largest overlaps (greedy)."""
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            inter = min(x["end"], y["end"]) - max(x["start"], y["start"])
            if inter > 0:
                candidates.append(((x["start"], x["end"]) != (y["start"], y["end"]), -inter, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((a[i], b[j]))
    return out


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> tuple[float | None, float | None, float | None]:
    """(p_o, p_e, κ) of paired nominal judgements; all None without items, κ None when p_e = 1.

    A few lines rather than scikit-learn (not installed; its cohen_kappa_score gives the same figure)."""
    k = _Kappa()
    k.extend(pairs)
    return k.figures()


class _Kappa:
    """Paired judgements as counts of each (a, b) pair of values: all κ needs, and a few dozen entries
    however many tokens are compared (counted in C by Counter.update)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def extend(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.counts.update(pairs)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def figures(self) -> tuple[float | None, float | None, float | None]:
        n = self.n
        if not n:
            return None, None, None
        left: Counter[str] = Counter()
        right: Counter[str] = Counter()
        agreed = 0
        for (x, y), k in self.counts.items():
            left[x] += k
            right[y] += k
            if x == y:
                agreed += k
        observed = agreed / n
        expected = sum(left[c] * right[c] for c in left) / (n * n)
        if expected >= 1.0:
            return observed, expected, None
        return observed, expected, (observed - expected) / (1.0 - expected)

    def as_dict(self) -> dict[str, Any]:
        po, pe, k = self.figures()
        return {"items": self.n, "observed": _round(po), "expected": _round(pe), "kappa": _round(k)}


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _f1_dict(n_a: int, n_b: int, matched: int) -> dict[str, Any]:
    return {"relations_a": n_a, "relations_b": n_b, "matches": matched,
            "f1": round(2 * matched / (n_a + n_b), 4) if n_a + n_b else None}


class _Tally:
    """Span and match counts per label; F1 derived on output."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {label: [0, 0, 0, 0] for label in LABELS}

    def add(self, label: str, n_a: int, n_b: int, exact: int, overlap: int) -> None:
        c = self.counts[label]
        c[0] += n_a
        c[1] += n_b
        c[2] += exact
        c[3] += overlap

    def as_dict(self) -> dict[str, Any]:
        total = [sum(c[k] for c in self.counts.values()) for k in range(4)]
        return {
            "micro": _scores(total),
            "per_label": {label: _scores(self.counts[label]) for label in LABELS},
        }


def _scores(c: list[int]) -> dict[str, Any]:
    n_a, n_b, exact, overlap = c
    denom = n_a + n_b
    return {
        "spans_a": n_a,
        "spans_b": n_b,
        "exact_matches": exact,
        "overlap_matches": overlap,
        "exact_f1": round(2 * exact / denom, 4) if denom else None,
        "overlap_f1": round(2 * overlap / denom, 4) if denom else None,
    }
