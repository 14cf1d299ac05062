"""`annotate train`: the exported spaCy corpus trains an NER pipeline for our four labels."""
