"""Shared leaf modules every stage may import: the label set, typed errors, atomic file writes,
the packaged schema files, the one tokenizer and span scoring. Imports nothing else from the package."""
