"""Near-duplicate articles: MinHash/LSH detection (detect.py), corpus groups (groups.py) and the
per-project signature store push keeps (store.py). Imports only core."""
