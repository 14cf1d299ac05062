"""Reading articles: one reader per input format, text normalisation and the article id.
Imports only `core`."""
