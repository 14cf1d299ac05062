"""Train, evaluate and describe an NER pipeline with spaCy's own training machinery.

`init_nlp` + `spacy.training.loop.train` are exactly what `spacy train` runs; we only swap the console
logger for one that reports through our progress callback, so `--json` stays clean.
The model folder is built beside `--out` and swapped in whole at the end.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import InputError
from incident_corpus.core.fileio import replace_folder
from incident_corpus.core.labels import LABELS
from incident_corpus.core.progress import ProgressCallback as Progress
from incident_corpus.core.scoring import Span, score_spans
from incident_corpus.train import config as train_config
from incident_corpus.train import crossval
from incident_corpus.train.corpus import Corpus, load_corpus, read_docs, training_paths

LOGGER_NAME = "incident_corpus.TrainProgress.v1"
CURVE_FRACTIONS: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)
_SINK: list[Callable[[dict[str, Any] | None], None]] = []


def _register_logger() -> None:
    import spacy

    if LOGGER_NAME in spacy.registry.loggers:
        return

    @spacy.registry.loggers(LOGGER_NAME)
    def _progress_logger() -> Callable[..., Any]:
        def setup(nlp: Any, stdout: Any = None, stderr: Any = None) -> tuple[Callable[..., None], Callable[[], None]]:
            sink = _SINK[-1] if _SINK else (lambda info: None)
            return sink, lambda: None
        return setup


@dataclass
class EvalPoint:
    step: int
    epoch: int
    loss: float
    dev_f1: float
    seconds: float


@dataclass
class FitResult:
    nlp: Any
    model_dir: Path
    history: list[EvalPoint]
    steps: int
    seconds: float
    cpu_seconds: float  # this process's CPU time: on a shared machine the steadier figure


def fit(config: Any, run_dir: Path, *, gpu_id: int = -1, progress: Progress | None = None,
        stage: str = "train", keep: str = "model-best") -> FitResult:
    """spaCy's own training loop on `config`; returns run_dir/`keep` (model-best, or model-last for a fixed
    step budget: with no article to choose on, spaCy's step-0 evaluation could otherwise be "best")."""
    import spacy
    from spacy.cli._util import setup_gpu
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    _register_logger()
    max_steps = int(config["training"]["max_steps"])
    history: list[EvalPoint] = []
    steps = 0
    label = stage  # the stage name carries the last evaluation: one progress line per evaluation window
    out, err = sys.stdout, sys.stderr  # progress goes to the real streams; spaCy's own printing does not
    started, cpu_started = time.perf_counter(), time.process_time()

    def sink(info: dict[str, Any] | None) -> None:
        nonlocal steps, label
        steps += 1
        if info is not None:
            point = EvalPoint(step=int(info["step"]), epoch=int(info["epoch"]),
                              loss=round(float(sum(info["losses"].values())), 3),
                              dev_f1=round(float(info["other_scores"].get("ents_f") or 0.0), 4),
                              seconds=round(time.perf_counter() - started, 1))
            history.append(point)
            label = f"{stage} (step {point.step}: loss {point.loss:.2f}, dev F1 {point.dev_f1:.3f})"
            if progress:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    progress(label, point.step, max_steps)
        elif progress and (steps - 1) % 10 == 0:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                progress(label, steps - 1, max_steps)

    run_dir.mkdir(parents=True, exist_ok=True)
    run_config = config.copy()
    run_config["training"]["logger"] = {"@loggers": LOGGER_NAME}
    quiet = io.StringIO()
    _SINK.append(sink)
    try:
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            try:
                setup_gpu(gpu_id, silent=True)
            except Exception as exc:
                raise InputError(f"--gpu-id {gpu_id}: spaCy cannot use that GPU ({type(exc).__name__}: {exc}); "
                                 f"install cupy for your CUDA version, or leave --gpu-id out to train on the CPU"
                                 ) from None
            nlp = init_nlp(run_config, use_gpu=gpu_id)
            nlp, _ = train_loop(nlp, run_dir, use_gpu=gpu_id, stdout=quiet, stderr=quiet)
    finally:
        _SINK.remove(sink)
    best = run_dir / keep
    # The saved config must be re-runnable by `spacy train`, which knows nothing of our logger.
    cfg = spacy.util.load_config(best / "config.cfg", interpolate=False)
    cfg["training"]["logger"] = dict(train_config.CONSOLE_LOGGER)
    cfg.to_disk(best / "config.cfg")
    if progress:
        progress(label, max_steps, max_steps)
    return FitResult(nlp=spacy.load(best), model_dir=best, history=history, steps=steps - 1,
                     seconds=round(time.perf_counter() - started, 1),
                     cpu_seconds=round(time.process_time() - cpu_started, 1))


# ---------------------------------------------------------------------------------------------
# Evaluation

def gold_and_texts(corpus: Corpus, split: str) -> tuple[list[str], list[list[Span]]]:
    """Texts and doc.ents (the overlap policy's spans, what the NER learns) of one split."""
    from incident_corpus.core.nlp import blank_nlp

    texts, gold = [], []
    for doc in read_docs(corpus.splits[split].files, blank_nlp().vocab):
        texts.append(doc.text)
        gold.append([(e.start_char, e.end_char, e.label_) for e in doc.ents])
    return texts, gold


def predict_spans(nlp: Any, texts: Sequence[str]) -> list[list[Span]]:
    """The pipeline as `spacy.load` users run it: greedy NER, doc.ents."""
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=64)]


def scores_dict(gold: Sequence[list[Span]], pred: Sequence[list[Span]]) -> dict[str, dict[str, Any]]:
    scores = score_spans(zip(gold, pred, strict=True))
    return {mode: {label: s.as_dict() for label, s in per.items()} for mode, per in scores.items()}


# ---------------------------------------------------------------------------------------------
# annotate train

@dataclass
class TrainResult:
    out: str
    model_version: str
    labels: list[str]
    data_hash: str
    articles: dict[str, int]
    steps: int
    seconds: float
    history: list[dict[str, Any]]
    scores: dict[str, Any]
    merge: dict[str, Any]
    config: str
    base: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_out(out: Path) -> None:
    """Only a folder `annotate train` wrote, an empty folder, or nothing is replaced."""
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError(f"--out {out}: is a file; choose a folder for the model")
    if any(out.iterdir()) and not _is_our_model(out):
        raise InputError(f"--out {out}: a folder that is not a model `annotate train` wrote; choose an empty or "
                         f"new folder (nothing was replaced)")


def _is_our_model(folder: Path) -> bool:
    try:
        return "incident_corpus" in json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


def train(*, in_dir: Path, out: Path, base: str | None = None, max_steps: int = train_config.DEFAULT_MAX_STEPS,
          seed: int = 0, gpu_id: int = -1, folds: int = crossval.DEFAULT_FOLDS,
          progress: Progress | None = None) -> TrainResult:
    """Train on the train split (best checkpoint on validation), choose the merge policy by k-fold
    cross-validation over train + validation, score test."""
    _check_out(out)
    corpus = load_corpus(in_dir)
    train_path, dev_path, fixed_budget = training_paths(corpus)
    cfg = train_config.build_config(train=train_path, dev=dev_path, max_steps=max_steps, seed=seed, base=base,
                                    gpu=gpu_id >= 0, fixed_budget=fixed_budget)
    # The folds choose the merge, which is part of what the version predicts.
    version = train_config.model_version(f"{corpus.data_hash}\0folds={folds}", cfg)
    out.parent.mkdir(parents=True, exist_ok=True)
    # The model folder is swapped in whole at the end (fileio.replace_folder); spaCy's run folder is scratch.
    with replace_folder(out) as final, tempfile.TemporaryDirectory(prefix=f".{out.name}.runs-",
                                                                    dir=out.parent) as runs:
        fitted = fit(cfg, Path(runs), gpu_id=gpu_id, progress=progress,
                     keep="model-last" if fixed_budget else "model-best")
        if progress:
            progress("evaluate", 0, 2)
        scores: dict[str, Any] = {}
        dev_texts, dev_gold = gold_and_texts(corpus, "validation")
        scores["validation"] = scores_dict(dev_gold, predict_spans(fitted.nlp, dev_texts)) if dev_texts else None
        test_texts, test_gold = gold_and_texts(corpus, "test")
        scores["test"] = scores_dict(test_gold, predict_spans(fitted.nlp, test_texts)) if test_texts else None
        scores["gold"] = "doc.ents of the exported spaCy corpus (overlap policy applied); greedy NER predictions"
        if progress:
            progress("evaluate", 1, 2)
        def build(path: Path) -> Any:
            return train_config.build_config(train=path, dev=path, max_steps=max_steps, seed=seed, base=base,
                                             gpu=gpu_id >= 0, fixed_budget=True)

        def fit_fold(config: Any, run_dir: Path, *, stage: str, keep: str) -> FitResult:
            return fit(config, run_dir, gpu_id=gpu_id, progress=progress, stage=stage, keep=keep)

        merge = crossval.choose_merge(corpus, folds=folds, seed=seed, build=build, fit=fit_fold)
        if progress:
            progress("evaluate", 2, 2)
        model_dir = fitted.model_dir
        (model_dir / "training").mkdir()
        cfg.to_disk(model_dir / "training" / "config.cfg")
        meta_path = model_dir / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["name"] = version.replace("-", "_")
        history = [asdict(p) for p in fitted.history]
        block = {
            "model_version": version, "labels": list(LABELS), "data_hash": corpus.data_hash,
            "articles": corpus.counts(), "spans": {n: dict(s.spans) for n, s in corpus.splits.items()},
            "training_seconds": fitted.seconds, "training_cpu_seconds": fitted.cpu_seconds,
            "steps": fitted.steps, "max_steps": max_steps, "seed": seed,
            "base": base, "gpu_id": gpu_id, "scores": scores, "merge": merge,
            "history": history,
            "corpus": str(corpus.folder), "config": "training/config.cfg",
        }
        meta["incident_corpus"] = block
        meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.rmdir(final)
        os.rename(model_dir, final)
    return TrainResult(out=str(out), model_version=version, labels=list(LABELS), data_hash=corpus.data_hash,
                       articles=corpus.counts(), steps=fitted.steps, seconds=fitted.seconds,
                       history=history, scores=scores, merge=merge,
                       config=str(out / "training" / "config.cfg"), base=base)


# ---------------------------------------------------------------------------------------------
# annotate train --curve

@dataclass
class CurvePoint:
    fraction: float
    articles: int
    seconds: float
    scores: dict[str, Any]  # validation, exact/overlap per label


@dataclass
class CurveResult:
    data_hash: str
    articles: dict[str, int]
    max_steps: int
    points: list[CurvePoint] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def write_subset(corpus: Corpus, n: int, seed: int, path: Path) -> None:
    """The first n train docs of a seeded shuffle (each smaller subset inside the larger ones)."""
    from spacy.tokens import DocBin

    from incident_corpus.core.nlp import blank_nlp

    docs = list(read_docs(corpus.splits["train"].files, blank_nlp().vocab))
    random.Random(seed).shuffle(docs)
    DocBin(docs=docs[:n], store_user_data=False).to_disk(path)


def curve(*, in_dir: Path, base: str | None = None, max_steps: int = train_config.DEFAULT_MAX_STEPS,
          seed: int = 0, gpu_id: int = -1, fractions: Sequence[float] = CURVE_FRACTIONS,
          progress: Progress | None = None) -> CurveResult:
    """Prodigy's train-curve: the same validation split, growing shares of the train split."""
    corpus = load_corpus(in_dir)
    n_train = corpus.splits["train"].articles
    dev_texts, dev_gold = gold_and_texts(corpus, "validation")
    result = CurveResult(data_hash=corpus.data_hash, articles=corpus.counts(), max_steps=max_steps)
    with tempfile.TemporaryDirectory(prefix="incident-curve-") as tmp:
        for fraction in fractions:
            n = max(1, round(n_train * fraction))
            subset = Path(tmp) / f"train-{n}.spacy"
            write_subset(corpus, n, seed, subset)
            cfg = train_config.build_config(train=subset, dev=corpus.splits["validation"].path,
                                            max_steps=max_steps, seed=seed, base=base, gpu=gpu_id >= 0)
            fitted = fit(cfg, Path(tmp) / f"run-{n}", gpu_id=gpu_id, progress=progress,
                         stage=f"curve {round(fraction * 100)}% ({n} articles)")
            scores = scores_dict(dev_gold, predict_spans(fitted.nlp, dev_texts))
            result.points.append(CurvePoint(fraction=fraction, articles=n, seconds=fitted.seconds, scores=scores))
    return result
