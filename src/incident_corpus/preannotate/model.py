"""Pre-annotation by a pipeline that `annotate train` made from this project's corpus, alone or beside the rules.

(A general pipeline such as en_core_web_sm, whose NER labels are PERSON/ORG/…, is the rules' own
`--model` helper in ner.py; this module takes only pipelines whose NER labels are ours.)

Uncertainty: the greedy NER gives no probabilities, so we parse with a small beam (spaCy's
`beam_parse` + `scored_ents`, on the same trained weights): each entity gets the probability mass
of the beam parses that contain it. A task's `score` is the confidence of its least certain
decision, min over candidate spans of max(p, 1 - p) — low means the model hesitated, so Label
Studio's "Uncertainty sampling" (lowest score first) shows those tasks first.

Merge policy (chosen per label on the validation split at training time, stored in meta.json):
for each label, `rules` (the rules' spans only), `model` (the model's spans with p ≥ threshold),
or `both` (the rules' spans, then the model's spans with p ≥ threshold that overlap no span
already kept). Overlaps are never produced: the guideline forbids them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import InputError
from incident_corpus.core.labels import LABELS
from incident_corpus.core.scoring import Span, score_spans

META_KEY = "incident_corpus"
BEAM_WIDTH = 4
THRESHOLDS: tuple[float, ...] = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95)
SOURCES: tuple[str, ...] = ("rules", "model", "both")
RULES_ONLY: dict[str, Any] = {"name": "rules", "labels": {label: {"source": "rules", "threshold": None}
                                                          for label in LABELS}}
MODEL_ONLY: dict[str, Any] = {"name": "model", "labels": {label: {"source": "model", "threshold": 0.0}
                                                          for label in LABELS}}


@dataclass(frozen=True)
class ModelSpan:
    start: int  # character offsets into the text the caller gave
    end: int
    label: str
    prob: float


@dataclass(frozen=True)
class ModelPrediction:
    spans: list[ModelSpan]
    score: float  # confidence of the least certain decision (1.0: no hesitation)


def _meta_path(name: str) -> Path | None:
    """meta.json of a pipeline folder, or of an installed pipeline package; None if neither."""
    path = Path(name)
    if path.is_dir():
        return path / "meta.json"
    import spacy.util

    if spacy.util.is_package(name):
        pkg = spacy.util.get_package_path(name)
        found = sorted(pkg.glob("*/meta.json")) or sorted(pkg.glob("meta.json"))
        return found[0] if found else None
    return None


def is_trained_pipeline(name: str) -> bool:
    """True when NAME is a pipeline `annotate train` wrote (its meta.json has our block)."""
    meta = _meta_path(name)
    if meta is None or not meta.is_file():
        return False
    try:
        return META_KEY in json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


class TrainedModel:
    """A loaded `annotate train` pipeline: its NER, model_version and merge policy."""

    def __init__(self, name: str) -> None:
        import spacy

        meta_path = _meta_path(name)
        if meta_path is None:
            raise InputError(f"--model {name!r}: no such folder or installed spaCy pipeline; give the folder "
                             f"`annotate train --out` wrote (default export/model)")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"--model {name!r}: {meta_path} cannot be read as JSON ({exc}); the folder is not a "
                             f"spaCy pipeline or is damaged — train it again with `annotate train`") from None
        block = meta.get(META_KEY) if isinstance(meta, dict) else None
        if not isinstance(block, dict) or not isinstance(block.get("model_version"), str):
            raise InputError(f"--model {name!r}: not a pipeline trained by `annotate train` ({meta_path} has no "
                             f"{META_KEY!r} block); train one with `annotate train`")
        try:
            self.nlp = spacy.load(name)
        except Exception as exc:  # spaCy raises OSError/ValueError/KeyError/msgpack errors on a damaged folder
            raise InputError(f"--model {name!r}: spaCy cannot load it ({type(exc).__name__}: "
                             f"{str(exc)[:200]}); the folder is damaged — train it again with `annotate train`"
                             ) from None
        if "ner" not in self.nlp.pipe_names:
            raise InputError(f"--model {name!r} has no `ner` component (pipes: {', '.join(self.nlp.pipe_names)}); "
                             f"train one with `annotate train`")
        foreign = sorted(set(self.nlp.get_pipe("ner").labels) - set(LABELS))
        if foreign:
            raise InputError(f"--model {name!r}: its NER labels {', '.join(foreign)} are not ours "
                             f"({', '.join(LABELS)}); train it with `annotate train` on this project's corpus")
        self.name = name
        self.meta = block
        self.model_version: str = block["model_version"]
        self.policy: dict[str, Any] = block.get("merge") or RULES_ONLY

    def predict(self, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[ModelPrediction]:
        """One prediction per text, in order."""
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from predict_docs(self.nlp, batch)
                batch = []
        if batch:
            yield from predict_docs(self.nlp, batch)


def predict_docs(nlp: Any, texts: Sequence[str]) -> list[ModelPrediction]:
    """Beam-parse a batch with the trained NER; entities of the best parse, with their beam probability."""
    ner = nlp.get_pipe("ner")
    others = [name for name in nlp.pipe_names if name != "ner"]
    docs = [nlp.make_doc(t) for t in texts]
    for name in others:
        docs = list(nlp.get_pipe(name).pipe(docs))
    live = [d for d in docs if len(d)]
    scored: dict[int, tuple[Any, dict[tuple[int, int, str], float]]] = {}
    if live:
        beams = ner.beam_parse(live, beam_width=BEAM_WIDTH)
        for doc, beam, scores in zip(live, beams, ner.scored_ents(beams), strict=True):
            parses = ner.moves.get_beam_parses(beam)
            best = max(parses, key=lambda p: p[0])[1] if parses else []
            scored[id(doc)] = (best, scores)
    out: list[ModelPrediction] = []
    for text, doc in zip(texts, docs, strict=True):
        best, scores = scored.get(id(doc), ([], {}))
        spans = []
        for start, end, label in best:
            span = doc[start:end]
            s, e = span.start_char, span.end_char
            # Offsets are code points into the caller's text: never hand out a span that does not match.
            if text[s:e] != span.text or not span.text.strip():
                continue
            spans.append(ModelSpan(s, e, label, round(min(1.0, float(scores.get((start, end, label), 0.0))), 4)))
        hesitations = [max(p, 1.0 - p) for p in scores.values() if p >= 0.01]
        out.append(ModelPrediction(spans=spans, score=round(min(hesitations, default=1.0), 4)))
    return out


# ---------------------------------------------------------------------------------------------
# Merging the rules' spans with the model's.

def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def merge(rule_spans: Sequence[Mapping[str, Any]], model_spans: Sequence[ModelSpan],
          policy: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Span records under `policy`: rule spans first (where their label takes rules), then model spans."""
    per = policy["labels"]
    kept: list[dict[str, Any]] = [dict(s) for s in rule_spans
                                  if per.get(s["label"], {"source": "rules"})["source"] in ("rules", "both")]
    taken = [(s["start"], s["end"]) for s in kept]
    extra = [m for m in model_spans if per.get(m.label, {"source": "rules"})["source"] in ("model", "both")
             and m.prob >= float(per[m.label]["threshold"] or 0.0)]
    for k, m in enumerate(sorted(extra, key=lambda m: (-m.prob, m.start)), 1):
        if _overlaps(m.start, m.end, taken):
            continue
        taken.append((m.start, m.end))
        kept.append({"id": f"m{k}", "start": m.start, "end": m.end, "label": m.label, "text": None,
                     "attributes": {}, "model_prob": m.prob})
    return sorted(kept, key=lambda s: (s["start"], s["end"]))


def merged_prediction(text: str, rules: Mapping[str, Any] | None, model: ModelPrediction,
                      policy: Mapping[str, Any]) -> dict[str, Any]:
    """{"spans", "relations", "score"} for one task: the merged spans, the rules' relations between kept
    spans, and the model's confidence as the task score."""
    rule_spans = list(rules["spans"]) if rules else []
    spans = merge(rule_spans, model.spans, policy if rules else MODEL_ONLY)
    for s in spans:
        if s["text"] is None:
            s["text"] = text[s["start"]:s["end"]]
        s.pop("model_prob", None)
    ids = {s["id"] for s in spans}
    relations = [r for r in (rules or {}).get("relations", ()) if r["from_id"] in ids and r["to_id"] in ids]
    return {"spans": spans, "relations": relations, "score": model.score}


def _as_spans(records: Iterable[Mapping[str, Any]]) -> list[Span]:
    return [(s["start"], s["end"], s["label"]) for s in records]


def evaluate_policy(gold: Sequence[list[Span]], rules: Sequence[Sequence[Mapping[str, Any]]],
                    model: Sequence[Sequence[ModelSpan]], policy: Mapping[str, Any]) -> dict[str, Any]:
    pairs = [(g, _as_spans(merge(r, m, policy))) for g, r, m in zip(gold, rules, model, strict=True)]
    return score_spans(pairs)


def choose_policy(gold: Sequence[list[Span]], rules: Sequence[Sequence[Mapping[str, Any]]],
                  model: Sequence[Sequence[ModelSpan]]) -> dict[str, Any]:
    """Per label, the source and threshold with the best exact F1 on these (validation) articles,
    other labels held at their current choice; then never worse than rules or model alone (micro F1).

    Ties go to the rules (the attributes and relations come with them), then to the higher threshold.
    """
    labels = {label: dict(v) for label, v in RULES_ONLY["labels"].items()}
    options = [("rules", None)] + [(src, t) for src in ("both", "model") for t in sorted(THRESHOLDS, reverse=True)]
    for label in LABELS:
        best_key: tuple[float, float] | None = None
        for source, threshold in options:
            trial = {"labels": {**labels, label: {"source": source, "threshold": threshold}}}
            scores = evaluate_policy(gold, rules, model, trial)
            key = (round(scores["exact"][label].f1, 6), round(scores["overlap"][label].f1, 6))
            if best_key is None or key > best_key:
                best_key, labels[label] = key, {"source": source, "threshold": threshold}
    chosen = {"name": "per-label", "labels": labels}
    candidates = [chosen, RULES_ONLY, MODEL_ONLY]
    measured = [(evaluate_policy(gold, rules, model, p)["exact"]["micro"].f1, -k, p)
                for k, p in enumerate(candidates)]
    return max(measured, key=lambda m: (round(m[0], 6), m[1]))[2]


# ---------------------------------------------------------------------------------------------
# What `annotate push` runs.

class ModelPreannotator:
    """A trained pipeline beside the rules (merged under its policy), or alone (`--no-rules`)."""

    def __init__(self, model: TrainedModel, *, rules: bool = True) -> None:
        from incident_corpus.preannotate.rules import RULESET_VERSION, Preannotator

        self.model = model
        self.rules = Preannotator() if rules else None
        self.version = f"{RULESET_VERSION}+{model.model_version}" if rules else model.model_version

    def annotate_many(self, texts: Iterable[str], *, batch_size: int = 32) -> Iterator[dict[str, Any]]:
        """Yield {"spans", "relations", "score"} per text, in input order."""
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, texts: list[str]) -> Iterator[dict[str, Any]]:
        rules: Iterable[dict[str, Any] | None] = (self.rules.annotate_many(texts) if self.rules is not None
                                                  else [None] * len(texts))
        for text, rule, pred in zip(texts, rules, predict_docs(self.model.nlp, texts), strict=True):
            yield merged_prediction(text, rule, pred, self.model.policy)


@dataclass
class RulesPreannotator:
    """The rules (optionally helped by a general pipeline) under the interface push uses."""

    version: str
    pre: Any

    def annotate_many(self, texts: Iterable[str]) -> Iterator[dict[str, Any]]:
        return self.pre.annotate_many(texts)


def _readable_meta(folder: Path) -> bool:
    try:
        return isinstance(json.loads((folder / "meta.json").read_text(encoding="utf-8")), dict)
    except (OSError, ValueError):
        return False


def make_preannotator(*, model: str | None, rules: bool = True) -> Any:
    """What push pre-annotates with: an object with `version` and `annotate_many(texts)`.

    A pipeline `annotate train` wrote goes through this module; any other `--model` (an installed
    general pipeline) is the rules' PERSON/ORG helper in ner.py. A folder that is not a
    readable spaCy pipeline gets TrainedModel's clear error.
    """
    from incident_corpus.preannotate.rules import RULESET_VERSION, Preannotator

    if model is not None and (not rules or is_trained_pipeline(model)
                              or (Path(model).is_dir() and not _readable_meta(Path(model)))):
        return ModelPreannotator(TrainedModel(model), rules=rules)
    if not rules:
        raise InputError("--no-rules needs --model with a pipeline trained by `annotate train` (e.g. --model "
                         "export/model); without the rules and without such a model there is nothing to pre-annotate")
    try:
        pre = Preannotator(model=model)
    except InputError:
        raise
    except Exception as exc:  # a damaged general pipeline: spaCy raises many kinds
        raise InputError(f"--model {model!r}: spaCy cannot load it ({type(exc).__name__}: {str(exc)[:200]}); "
                         f"reinstall the pipeline or drop --model") from None
    return RulesPreannotator(version=RULESET_VERSION if model is None else f"{RULESET_VERSION}+{model}", pre=pre)
