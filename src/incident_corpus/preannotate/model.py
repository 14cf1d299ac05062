"""Pre-annotation by a pipeline that `annotate train` made from this project's corpus, alone or beside the rules.

(A general pipeline such as en_core_web_sm, whose NER labels are PERSON/ORG/…, is the rules' own
`--model` helper in ner.py; this module takes only pipelines whose NER labels are ours.)

Uncertainty: we run the same greedy parse as `nlp.pipe` (identical entities), stepping it in Python
to keep each step's scores; the probability of an action is the softmax over the actions valid in that
state, the distribution spaCy's parser is trained on. An entity's probability is the product of its
tokens' action probabilities; a task's `score` is the probability of its least certain decision (min
over tokens) — low means the model hesitated somewhere, so Label Studio's "Uncertainty sampling"
(lowest score first) shows those tasks first. Until 2026-12-02 this was a width-4 beam parse: slower
(spaCy's C greedy loop is itself ~3x slower than this Python-stepped one, which batches each step's
layers), not always the entities `nlp.pipe` gives, and its entity probabilities told right spans from wrong
ones barely better than chance (AUROC 0.54 against 0.83 for these, on the same models: benchmarks.md).

Merge policy (chosen per label by cross-validation at training time, policy.py, stored in meta.json):
for each label, `rules` (the rules' spans only), `model` (the model's spans with p ≥ threshold),
or `both` (the rules' spans, then the model's spans with p ≥ threshold that overlap no span
already kept). Overlaps are never produced: the guideline forbids them.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy

from incident_corpus.core.batches import batches
from incident_corpus.core.cpu import usable_cpus
from incident_corpus.core.errors import InputError
from incident_corpus.core.labels import LABELS
from incident_corpus.preannotate.policy import (
    MODEL_ONLY,
    RULES_ONLY,
    choose_policy,
    evaluate_policy,
    merge,
    no_evidence,
)

# The policy (and merge, which applies it) lives in policy.py; re-exported for the callers of this module.
__all__ = ["MODEL_ONLY", "RULES_ONLY", "choose_policy", "evaluate_policy", "merge"]

META_KEY = "incident_corpus"
PREDICT_BATCH = 32  # texts per greedy parse: the Python step loop's cost is per step, shared by the batch
# A push of at least this many texts predicts in min(usable CPUs, PROCESSES_MAX) worker processes: the same
# CPU time per article, up to that many times the articles per second where cores are idle (benchmarks.md).
PARALLEL_FROM = 512
PROCESSES_MAX = 4
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
        ner: Any = self.nlp.get_pipe("ner")  # an EntityRecognizer; spaCy types get_pipe as a bare callable
        foreign = sorted(set(ner.labels) - set(LABELS))
        if foreign:
            raise InputError(f"--model {name!r}: its NER labels {', '.join(foreign)} are not ours "
                             f"({', '.join(LABELS)}); train it with `annotate train` on this project's corpus")
        use_matmul_ops(self.nlp)
        self.name = name
        self.meta = block
        self.model_version: str = block["model_version"]
        merge_block = block.get("merge")
        if isinstance(merge_block, dict) and "min_support" in merge_block:
            self.policy: dict[str, Any] = merge_block
        else:  # chosen on the validation split alone: too little evidence to let the model drop rule spans
            self.policy = no_evidence("a model trained before the cross-validated merge; train it again to let "
                                      "it add spans")

    def predict(self, texts: Iterable[str], *, batch_size: int = PREDICT_BATCH) -> Iterator[ModelPrediction]:
        """One prediction per text, in order."""
        for predictions in predict_batches(self.nlp, batches(texts, batch_size)):
            yield from predictions


def use_matmul_ops(nlp: Any) -> None:
    """Point the pipeline's CPU layers at MatmulOps: thinc's NumpyOps multiplies matrices with blis, which
    on this machine's CPUs is 3–5× slower per call than the OpenBLAS numpy ships (benchmarks.md, "Model in
    the loop"); the predictions are the same (tests/test_train.py). Layers on a GPU are left alone."""
    from thinc.api import NumpyOps

    class MatmulOps(NumpyOps):  # defined here: importing thinc at module level would slow every CLI start
        name = "numpy-matmul"

        def gemm(self, x: Any, y: Any, out: Any = None, trans1: bool = False, trans2: bool = False) -> Any:
            a, b = (x.T if trans1 else x), (y.T if trans2 else y)
            if out is None:
                return numpy.matmul(a, b)
            numpy.matmul(a, b, out=out)
            return out

    ops = MatmulOps()
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops) is NumpyOps:
                node.ops = ops


def _one_blas_thread() -> Any:
    """A context in which numpy's BLAS runs on one thread: our matrices are small, and a second BLAS thread
    only spins against the rules or the other worker (1 thread: ~120 articles/s per CPU-second, 2: ~70)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


_WORKER_NLP: list[Any] = []


def _worker_init(nlp: Any) -> None:
    _one_blas_thread()  # kept for the worker's life
    _WORKER_NLP[:] = [nlp]


def _worker_predict(texts: list[str]) -> list[ModelPrediction]:
    return predict_docs(_WORKER_NLP[0], texts)


def predict_batches(nlp: Any, batches: Iterable[list[str]], *, n_process: int = 1) -> Iterator[list[ModelPrediction]]:
    """predict_docs per batch, in order; with n_process > 1 in that many forked workers (the pipeline is
    inherited copy-on-write, not pickled), as spaCy's own `nlp.pipe(n_process=…)` does on Linux."""
    if n_process <= 1:
        for batch in batches:
            with _one_blas_thread():
                predictions = predict_docs(nlp, batch)
            yield predictions
        return
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(n_process, initializer=_worker_init, initargs=(nlp,)) as pool:
        yield from pool.imap(_worker_predict, batches)


def predict_docs(nlp: Any, texts: Sequence[str]) -> list[ModelPrediction]:
    """Greedy-parse a batch with the trained NER (the entities `nlp.pipe` gives) and each decision's probability."""
    ner = nlp.get_pipe("ner")
    docs = [nlp.make_doc(t) for t in texts]
    for name, proc in nlp.pipeline:
        if name != "ner":
            docs = list(proc.pipe(docs))
    live = [d for d in docs if len(d)]
    probs = dict(zip(map(id, live), greedy_parse(ner, live), strict=True)) if live else {}
    out: list[ModelPrediction] = []
    for text, doc in zip(texts, docs, strict=True):
        p = probs.get(id(doc))
        if p is None:
            out.append(ModelPrediction(spans=[], score=1.0))
            continue
        spans = []
        for ent in doc.ents:
            s, e = ent.start_char, ent.end_char
            # Offsets are code points into the caller's text: never hand out a span that does not match.
            if text[s:e] != ent.text or not ent.text.strip():
                continue
            spans.append(ModelSpan(s, e, ent.label_, round(float(numpy.prod(p[ent.start:ent.end])), 4)))
        out.append(ModelPrediction(spans=spans, score=round(float(p.min()), 4)))
    return out


def greedy_parse(ner: Any, docs: Sequence[Any]) -> list[Any]:
    """spaCy's greedy NER parse, stepped in Python (as spaCy's own beam_parse is) to keep each step's scores.

    Sets doc.ents exactly as `ner.pipe` does and returns, per doc, the probability of the action taken
    at each token (one BILUO action per token): the softmax over the actions valid in that state,
    the distribution the parser is trained on.
    """
    batch = ner.moves.init_batch(docs)
    step_model = ner.model.predict(docs)
    step_scores, step_docs = [], []
    try:
        active = [(i, s) for i, s in enumerate(batch) if not s.is_final()]
        while active:
            states = [s for _, s in active]
            scores = step_model.predict(states)
            step_scores.append(scores)
            step_docs.append(numpy.fromiter((i for i, _ in active), dtype=numpy.int64, count=len(active)))
            ner.transition_states(states, scores)
            active = [(i, s) for i, s in active if not s.is_final()]
    finally:
        step_model.clear_memory()
    ner.set_annotations(docs, batch)
    which = numpy.concatenate(step_docs)
    order = numpy.argsort(which, kind="stable")  # steps of each doc, in order
    logits = numpy.concatenate(step_scores)[order]
    bounds = numpy.cumsum(numpy.bincount(which, minlength=len(docs)))[:-1]
    moves = _Moves(ner)
    return [moves.chosen_probs(doc, rows) for doc, rows in zip(docs, numpy.split(logits, bounds), strict=True)]


class _Moves:
    """The NER's BILUO action table, to rebuild from a parsed doc which action was taken at each token
    and which were valid (BiluoPushDown's rules for a doc without preset entities)."""

    def __init__(self, ner: Any) -> None:
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        self.n = len(names)
        self.index = {name: i for i, name in enumerate(names)}
        self.out = self.index["O"]
        self.by_move = {m: numpy.array([i for i, name in enumerate(names) if name.startswith(f"{m}-")
                                        and len(name) > 2], dtype=numpy.int64) for m in "BU"}

    def actions(self, doc: Any) -> tuple[Any, Any]:
        """(the class taken at each token, the classes valid there): from doc.ents after the parse."""
        n = len(doc)
        chosen = numpy.full(n, self.out, dtype=numpy.int64)
        valid = numpy.zeros((n, self.n), dtype=bool)
        closed = numpy.ones(n, dtype=bool)  # no entity open when the parser reaches this token
        from spacy.attrs import IS_SPACE, SENT_START

        attrs = doc.to_array([IS_SPACE, SENT_START]).reshape(n, 2)
        is_space = attrs[:, 0] == 1
        no_next = numpy.ones(n, dtype=bool)  # the last token, or the next one starts a sentence: no B or I here
        no_next[:-1] = attrs[1:, 1] == 1
        for ent in doc.ents:
            a, b, label = ent.start, ent.end, ent.label_
            if b - a == 1:
                chosen[a] = self.index[f"U-{label}"]
                continue
            inner, last = self.index[f"I-{label}"], self.index[f"L-{label}"]
            chosen[a], chosen[a + 1:b - 1], chosen[b - 1] = self.index[f"B-{label}"], inner, last
            rows = numpy.arange(a + 1, b)
            closed[rows] = False
            valid[rows, last] = True  # inside an entity: only I or L of its label
            valid[rows[~no_next[rows]], inner] = True
        valid[closed, self.out] = True
        valid[numpy.ix_(closed & ~is_space, self.by_move["U"])] = True
        valid[numpy.ix_(closed & ~is_space & ~no_next, self.by_move["B"])] = True
        return chosen, valid

    def chosen_probs(self, doc: Any, logits: Any) -> Any:
        n = len(doc)
        if logits.shape != (n, self.n):
            raise RuntimeError(f"greedy NER parse took {logits.shape[0]} steps for {n} tokens")
        chosen, valid = self.actions(doc)
        valid[numpy.arange(n), chosen] = True
        masked = numpy.where(valid, logits, -numpy.inf)
        masked -= masked.max(axis=1, keepdims=True)
        weights = numpy.exp(masked)
        return weights[numpy.arange(n), chosen] / weights.sum(axis=1)


# ---------------------------------------------------------------------------------------------
# Merging the rules' spans with the model's.

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


# ---------------------------------------------------------------------------------------------
# What `annotate push` runs.

class ModelPreannotator:
    """A trained pipeline beside the rules (merged under its policy), or alone (`--no-rules`)."""

    def __init__(self, model: TrainedModel, *, rules: bool = True, parallel: bool = False) -> None:
        from incident_corpus.preannotate.runner import RULESET_VERSION, Preannotator

        self.model = model
        self.parallel = parallel  # push: yes; serve (a threaded server, small requests): no
        self.rules = Preannotator() if rules else None
        self.version = f"{RULESET_VERSION}+{model.model_version}" if rules else model.model_version

    @property
    def merge_summary(self) -> dict[str, Any] | None:
        """The merge policy (per label: source, threshold, support, reason) when the rules run beside the
        model; None for the model alone (`--no-rules`)."""
        return self.model.policy if self.rules is not None else None

    def annotate_many(self, texts: Iterable[str], *, batch_size: int = PREDICT_BATCH) -> Iterator[dict[str, Any]]:
        """Yield {"spans", "relations", "score"} per text, in input order (the model in worker processes when
        there are at least PARALLEL_FROM texts, `parallel` and more than one usable CPU; the rules here meanwhile)."""
        texts = iter(texts)
        head = list(itertools.islice(texts, PARALLEL_FROM))
        n_process = min(usable_cpus(), PROCESSES_MAX) if self.parallel and len(head) >= PARALLEL_FROM else 1
        # A list, not a tee: the pool's feeder thread reads it while this thread does (push holds the texts anyway).
        in_batches = list(batches(itertools.chain(head, texts), batch_size))
        for batch, predictions in zip(in_batches, predict_batches(self.model.nlp, in_batches, n_process=n_process),
                                      strict=True):
            yield from self._merge(batch, predictions)

    def _merge(self, texts: list[str], predictions: list[ModelPrediction]) -> Iterator[dict[str, Any]]:
        rules: Iterable[dict[str, Any] | None] = (self.rules.annotate_many(texts) if self.rules is not None
                                                  else [None] * len(texts))
        for text, rule, pred in zip(texts, rules, predictions, strict=True):
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


def make_preannotator(*, model: str | None, rules: bool = True, parallel: bool = False) -> Any:
    """What push pre-annotates with: an object with `version` and `annotate_many(texts)`.

    A pipeline `annotate train` wrote goes through this module; any other `--model` (an installed
    general pipeline) is the rules' PERSON/ORG helper in ner.py. A folder that is not a
    readable spaCy pipeline gets TrainedModel's clear error. `parallel`: a trained model may predict
    large batches in worker processes (push).
    """
    from incident_corpus.preannotate.runner import RULESET_VERSION, Preannotator

    if model is not None and (not rules or is_trained_pipeline(model)
                              or (Path(model).is_dir() and not _readable_meta(Path(model)))):
        return ModelPreannotator(TrainedModel(model), rules=rules, parallel=parallel)
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
