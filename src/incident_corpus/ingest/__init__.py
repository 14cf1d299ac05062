"""Reading articles: one reader per input format, text normalisation and the article id.

The readers live in readers/ (a registry keyed by extension); dates, boilerplate and decoding have
their own modules. Imports only `core`."""
