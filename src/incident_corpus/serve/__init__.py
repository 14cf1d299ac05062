"""The ML backend Label Studio calls (`annotate serve`): its protocol, the model state it serves from,
and the HTTP app. Imports `core`, `preannotate` and `studio`; the retraining job is handed in by
`pipeline.serve`, so this package never reaches into pull, export or train itself."""
