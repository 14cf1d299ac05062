"""Records → datasets: reading annotations.jsonl, alignment to tokens, splits, casualty counts,
the dataset card and one module per output format behind a registry. Imports `core` and `quality`."""
