"""Pre-annotation: the rules that propose spans, attributes and relations for annotators to correct.

`rules/` holds them (one module per label, run as one spaCy component), with their words and
patterns as data files under `patterns/` (`lexicon.py` reads them); `runner.py` runs the
component over many texts (a worker process when a CPU is idle) and turns its candidates into
records; `ner.py` adds a user's NER model, `model.py` a trained model. Imports only `core`."""

from incident_corpus.preannotate.runner import RULESET_VERSION, Preannotator, score_spans

__all__ = ["RULESET_VERSION", "Preannotator", "score_spans"]
