"""Access to the `schema/` contract files, shipped inside the wheel as `incident_corpus/schema`.

In a source checkout with an editable install the files live in the repository's top-level
`schema/` folder; both places are looked up, the packaged copy first.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from incident_corpus.core.errors import IncidentCorpusError

SCHEMA_FILES = ("label_config.xml", "guideline.md", "task.schema.json", "annotation.schema.json")


@functools.cache
def schema_dir() -> Path:
    packaged = resources.files("incident_corpus") / "schema"
    if packaged.is_dir() and (packaged / "label_config.xml").is_file():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "schema"
    if (checkout / "label_config.xml").is_file():
        return checkout
    raise IncidentCorpusError(
        "the schema files (label_config.xml, *.schema.json, guideline.md) are missing from the "
        "installed package: reinstall incident-corpus (pip install --force-reinstall incident-corpus)"
    )


def samples_dir() -> Path:
    """The bundled sample articles (`annotate samples`), inside the installed package."""
    return Path(str(resources.files("incident_corpus") / "samples"))


def read_text(name: str) -> str:
    return (schema_dir() / name).read_text(encoding="utf-8")


@functools.cache
def label_config() -> str:
    return read_text("label_config.xml")


@functools.cache
def guideline_markdown() -> str:
    return read_text("guideline.md")


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    return json.loads(read_text(name))


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator, built once per process (compiling is the slow part)."""
    return Draft202012Validator(load_schema(name))


@functools.cache
def fast_check(name: str) -> Callable[[Any], bool] | None:
    """A quick "certainly valid" predicate for a schema (see fastschema.py), or None to always use jsonschema."""
    from incident_corpus.core.fastschema import Unsupported, compile_schema

    try:
        return compile_schema(load_schema(name))
    except Unsupported:
        return None


def task_validator() -> Draft202012Validator:
    return validator("task.schema.json")


def annotation_validator() -> Draft202012Validator:
    return validator("annotation.schema.json")
