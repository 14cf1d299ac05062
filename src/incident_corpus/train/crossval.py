"""k-fold cross-validation over every annotated article (train + validation): the out-of-fold model
predictions the merge policy is chosen on (preannotate/policy.py).

Choosing on the validation split alone picked the model for every label on 7 articles and lost the
rules' recall on unseen text (issue 29); here each annotated article is predicted by a model that never
saw it, trained with the same recipe (a fixed step budget: there is no article left to choose on).
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_corpus.core.scoring import Span
from incident_corpus.train.corpus import Corpus, read_docs

DEFAULT_FOLDS = 5


@dataclass
class OutOfFold:
    texts: list[str]
    gold: list[list[Span]]
    model: list[list[Any]]  # ModelSpan per article, from the fold model that did not train on it
    folds: int


def annotated_docs(corpus: Corpus) -> list[Any]:
    """Every article that may train: the train and validation splits (test stays unseen)."""
    from incident_corpus.core.nlp import blank_nlp

    vocab = blank_nlp().vocab
    return [d for split in ("train", "validation") for d in read_docs(corpus.splits[split].files, vocab)]


def fold_of(n: int, folds: int, seed: int) -> list[int]:
    """A seeded, balanced assignment of n articles to folds."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    assignment = [0] * n
    for rank, i in enumerate(order):
        assignment[i] = rank % folds
    return assignment


def out_of_fold(docs: list[Any], *, folds: int, seed: int, build: Callable[[Path], Any], fit: Callable[..., Any],
                ) -> OutOfFold | None:
    """Train `folds` models on spaCy Docs with gold doc.ents (build(train_path) → config; fit(config, run_dir,
    stage=, keep=)) and predict each article with the one that did not see it. None below 2 articles."""
    from spacy.tokens import DocBin

    from incident_corpus.preannotate.model import predict_docs, use_matmul_ops

    k = min(folds, len(docs))
    if k < 2:
        return None
    assignment = fold_of(len(docs), k, seed)
    model: list[list[Any]] = [[] for _ in docs]
    with tempfile.TemporaryDirectory(prefix="incident-cv-") as tmp:
        for fold in range(k):
            held = [i for i, f in enumerate(assignment) if f == fold]
            path = Path(tmp) / f"train-{fold}.spacy"
            DocBin(docs=[d for i, d in enumerate(docs) if assignment[i] != fold], store_user_data=False).to_disk(path)
            fitted = fit(build(path), Path(tmp) / f"run-{fold}", stage=f"cross-validation {fold + 1}/{k}",
                         keep="model-last")
            use_matmul_ops(fitted.nlp)
            for i, pred in zip(held, predict_docs(fitted.nlp, [docs[i].text for i in held]), strict=True):
                model[i] = pred.spans
    gold = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
    return OutOfFold(texts=[d.text for d in docs], gold=gold, model=model, folds=k)


def choose_merge(corpus: Corpus, *, folds: int, seed: int, build: Callable[[Path], Any],
                 fit: Callable[..., Any]) -> dict[str, Any]:
    """The per-label merge policy with its evidence, chosen on out-of-fold predictions over train + validation."""
    return merge_from_docs(annotated_docs(corpus), folds=folds, seed=seed, build=build, fit=fit)


def merge_from_docs(docs: list[Any], *, folds: int, seed: int, build: Callable[[Path], Any],
                    fit: Callable[..., Any]) -> dict[str, Any]:
    """choose_merge on any list of gold Docs (the learning-curve benchmark uses it on its training pools)."""
    from incident_corpus.preannotate import policy as merge_policy
    from incident_corpus.preannotate.model import evaluate_policy
    from incident_corpus.preannotate.runner import RULESET_VERSION, Preannotator

    oof = out_of_fold(docs, folds=folds, seed=seed, build=build, fit=fit) if folds > 1 else None
    if oof is None:
        reason = ("cross-validation is off (--folds < 2)" if folds < 2 else
                  "fewer than 2 annotated articles: no cross-validation possible")
        chosen = merge_policy.no_evidence(reason)
        return {**chosen, "chosen_on": reason, "rules_version": RULESET_VERSION}
    rules = [r["spans"] for r in Preannotator().annotate_many(oof.texts)]
    chosen = merge_policy.choose_policy(oof.gold, rules, oof.model, seed=seed)
    measured = {}
    for name, pol in (("rules", merge_policy.RULES_ONLY), ("model", merge_policy.MODEL_ONLY), ("merged", chosen)):
        s = evaluate_policy(oof.gold, rules, oof.model, pol)
        measured[name] = {mode: {label: sc.as_dict() for label, sc in per.items()} for mode, per in s.items()}
    return {**chosen, "chosen_on": f"{oof.folds}-fold cross-validation over {len(oof.texts)} annotated articles "
                                   f"(train + validation)", "rules_version": RULESET_VERSION,
            "cross_validation": measured}
