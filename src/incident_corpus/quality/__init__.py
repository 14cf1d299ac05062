"""Checking annotations: checks and repairs, the result, reports, output files, agreement, audit, resolve.

result.py (ValidationResult), checks.py (checks and repairs, returning a
result), reporter.py (text/JSON rendering), outputs.py (the files pull/validate write),
agreement.py and resolve.py (several annotations of one article → one). Imports `core` and
`studio`'s format modules."""
