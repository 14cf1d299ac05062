"""Records → datasets: reading annotations.jsonl, alignment to tokens, splits, counts, the card, the formats.

Casualty counts, the dataset card and one module per output format behind a registry (formats/).
Imports `core` and `quality`."""
