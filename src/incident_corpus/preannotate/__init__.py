"""Pre-annotation: the rules (patterns as data files under `patterns/`) that propose spans,
attributes and relations for annotators to correct. Imports only `core`."""
