"""The ML backend Label Studio calls (`annotate serve`): protocol, the model state it serves from, the HTTP app.

Imports `core`, `ingest` and `studio`; the predictor and the retraining job are handed in by
`pipeline.serve`, so this package never reaches into pull, export or train itself."""
