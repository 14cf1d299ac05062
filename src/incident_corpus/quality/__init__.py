"""Checking annotations: the validation result, the checks and repairs, reporting, agreement and
resolving several annotations to one. Imports `core` and `studio`'s format modules."""
