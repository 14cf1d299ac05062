"""Near-duplicate articles: MinHash/LSH detection, corpus groups and the signature store push keeps.

detect.py (MinHash signatures, the exact check), bands.py (the LSH banding), groups.py (corpus groups)
and store.py (the per-project signature store). Imports only core."""
