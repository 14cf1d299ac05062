"""Pre-annotation: the rules that propose spans, attributes and relations for annotators to correct.

Their patterns are data files under `patterns/`; a user's NER pipeline or one `annotate train` made
can add to them (`ner.py`, `model.py`). Imports only `core`."""

from incident_corpus.preannotate.rules import RULESET_VERSION, Preannotator, score_spans

__all__ = ["RULESET_VERSION", "Preannotator", "score_spans"]
