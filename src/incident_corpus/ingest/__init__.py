"""Reading articles: one reader per input format (readers/, a registry keyed by extension), text
normalisation, dates, boilerplate and the article id. Imports only `core`."""
