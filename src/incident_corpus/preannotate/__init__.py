"""Pre-annotation: the rules (patterns as data files under `patterns/`) that propose spans,
attributes and relations for annotators to correct. Imports only `core`."""

from incident_corpus.preannotate.rules import RULESET_VERSION, Preannotator, score_spans

__all__ = ["RULESET_VERSION", "Preannotator", "score_spans"]
