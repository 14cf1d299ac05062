"""The config.cfg `annotate train` trains with: spaCy's own `init config` for an `ner` pipeline (efficiency),
a leaner tok2vec (DEFAULT_SIZE: predict speed, see benchmarks.md), our step count, seed, paths and (with
--base) a tok2vec sourced from an installed pipeline.

The file is written next to the model (training/config.cfg) so a user can inspect it and re-run it
with `python -m spacy train training/config.cfg --output DIR`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incident_corpus.core.errors import InputError
from incident_corpus.core.nlp import LANG

DEFAULT_MAX_STEPS = 600
DEFAULT_EVAL_FREQUENCY = 150
# Our logger is swapped in only in memory while we train; the file keeps spaCy's console logger.
CONSOLE_LOGGER: dict[str, Any] = {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}


@dataclass(frozen=True)
class ModelSize:
    """The knobs of spaCy's efficiency config (HashEmbedCNN tok2vec + transition-based NER) we set."""

    width: int  # tok2vec width
    depth: int  # CNN layers (window 1 each)
    rows: tuple[int, int, int, int]  # hash-embedding rows of NORM, PREFIX, SUFFIX, SHAPE
    ner_hidden: int  # the NER's hidden width

    @classmethod
    def parse(cls, text: str) -> ModelSize:
        """"WIDTH,DEPTH,NER_HIDDEN" (rows as spaCy's default): for the benchmarks."""
        width, depth, hidden = (int(x) for x in text.split(","))
        return cls(width=width, depth=depth, rows=SPACY_EFFICIENCY.rows, ner_hidden=hidden)


# spaCy's `init config --optimize efficiency` for ner: what `annotate train` used until 2026-12-02.
SPACY_EFFICIENCY = ModelSize(width=96, depth=4, rows=(5000, 1000, 2500, 2500), ner_hidden=64)
# Ours: tok2vec ~7x cheaper, predict ~3x faster; on the learning curve (20 articles) rules + model F1 the
# same, the model alone ~0.05 micro F1 lower (benchmarks.md, "Model in the loop").
DEFAULT_SIZE = ModelSize(width=48, depth=2, rows=(5000, 1000, 2500, 2500), ner_hidden=64)


def eval_frequency(max_steps: int) -> int:
    """At least 5 evaluations, at most every DEFAULT_EVAL_FREQUENCY steps."""
    return max(1, min(DEFAULT_EVAL_FREQUENCY, max_steps // 5 or 1))


def build_config(*, train: Path, dev: Path, max_steps: int, seed: int, base: str | None = None,
                 gpu: bool = False, size: ModelSize = DEFAULT_SIZE,
                 fixed_budget: bool = False) -> Any:  # -> confection.Config
    """spaCy's config for our NER. `fixed_budget`: no validation article to choose a checkpoint on, so one
    evaluation at the last step (model-best is then the model after max_steps)."""
    from spacy.cli.init_config import init_config

    config = init_config(lang=LANG, pipeline=["ner"], optimize="efficiency", gpu=gpu, pretraining=False,
                         silent=True)
    _set_size(config, size)
    config["paths"]["train"] = str(train)
    config["paths"]["dev"] = str(dev)
    config["system"]["seed"] = seed
    training = config["training"]
    training["max_steps"] = max_steps
    training["max_epochs"] = 0
    training["eval_frequency"] = max_steps if fixed_budget else eval_frequency(max_steps)
    training["patience"] = max(max_steps, 1600)  # train for the steps asked for; model-best is kept anyway
    training["logger"] = dict(CONSOLE_LOGGER)
    training["score_weights"] = {"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None}
    if base:
        _source_tok2vec(config, base)
    return config


def _set_size(config: Any, size: ModelSize) -> None:
    tok2vec = config["components"]["tok2vec"]["model"]
    tok2vec["embed"]["width"] = tok2vec["encode"]["width"] = size.width
    tok2vec["embed"]["rows"] = list(size.rows)
    tok2vec["encode"]["depth"] = size.depth
    ner = config["components"]["ner"]["model"]
    ner["tok2vec"]["width"] = size.width
    ner["hidden_width"] = size.ner_hidden


def _source_tok2vec(config: Any, base: str) -> None:
    """Start from an installed pipeline's tok2vec (and its vectors): transfer learning on a CPU."""
    import spacy

    try:
        base_nlp = spacy.load(base, exclude=["parser", "tagger", "ner", "lemmatizer", "attribute_ruler",
                                             "senter", "textcat"])
    except OSError:
        raise InputError(
            f"--base {base!r}: no such installed spaCy pipeline; install it (e.g. `python -m spacy download "
            f"{base}`) or give the folder of one, or leave --base out to start from a blank English pipeline"
        ) from None
    except Exception as exc:
        raise InputError(f"--base {base!r}: could not be loaded as a spaCy pipeline ({type(exc).__name__}: {exc}); "
                         f"give an installed pipeline or leave --base out") from None
    if "tok2vec" not in base_nlp.pipe_names:
        raise InputError(f"--base {base!r} has no shared `tok2vec` component (pipes: "
                         f"{', '.join(base_nlp.pipe_names) or 'none'}); use a pipeline such as en_core_web_sm / "
                         f"en_core_web_md, or leave --base out")
    tok2vec: Any = base_nlp.get_pipe("tok2vec")  # spaCy types get_pipe as any callable
    width = tok2vec.model.get_dim("nO")  # whatever the architecture (HashEmbedCNN: width)
    config["components"]["tok2vec"] = {"source": base}
    config["components"]["ner"]["model"]["tok2vec"]["width"] = width
    if base_nlp.vocab.vectors.shape[0]:
        config["initialize"]["vectors"] = base
    config["nlp"]["lang"] = base_nlp.lang


def config_fingerprint(config: Any) -> str:
    """The config without its machine-specific paths: part of the model_version hash."""
    copy = config.copy()
    copy["paths"] = {key: None for key in copy["paths"]}
    return copy.to_str()


def model_version(data_hash: str, config: Any) -> str:
    digest = hashlib.sha256(f"{data_hash}\0{config_fingerprint(config)}".encode()).hexdigest()
    return f"incident-ner-{digest[:12]}"
