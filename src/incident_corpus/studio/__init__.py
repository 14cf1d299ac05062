"""Everything that talks to or speaks Label Studio: the HTTP client, the embedded server, connection
settings, label configs, task building and the result format both ways. Imports `core` and `ingest`."""
