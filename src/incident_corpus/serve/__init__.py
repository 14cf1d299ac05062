"""The ML backend Label Studio calls (`annotate serve`): protocol, the model state it serves from, the HTTP app.

Imports `core`, `ingest`, `studio` and `preannotate` (the mention finder behind "label one mention, get
them all"); the predictor and the retraining job are handed in by
`pipeline.serve`, so this package never reaches into pull, export or train itself."""
