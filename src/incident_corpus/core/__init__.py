"""Shared leaf modules every stage may import; they import nothing else from the package.

The label set, typed errors, atomic file writes, the packaged schema files, the one tokenizer, the
overlap policy, progress, pseudonyms, span scoring, the CPU count and the batcher."""
