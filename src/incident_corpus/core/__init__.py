"""Shared leaf modules every stage may import: the label set, typed errors, atomic file writes,
the packaged schema files, the one tokenizer, span scoring, the CPU count and the batcher.
Imports nothing else from the package."""
