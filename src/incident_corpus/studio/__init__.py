"""Everything that talks to or speaks Label Studio: client, embedded server, label config, tasks, results.

The HTTP client, the embedded server, connection settings, label configs, task building and the
result format both ways. Imports `core` and `ingest`."""
