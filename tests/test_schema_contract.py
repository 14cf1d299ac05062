"""The contract: label config, JSON Schemas, guideline and labels.py name the same things."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from incident_corpus.core import labels, resources
from incident_corpus.studio import labelconfig
from incident_corpus.studio.tasks import instructions_html

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"


@pytest.mark.parametrize("name", sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")))
def test_schema_files_are_valid_draft_2020_12(name: str) -> None:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_label_config_names_our_labels_attributes_and_relations() -> None:
    s = labelconfig.summarize(resources.label_config())
    assert s.labels == {labels.LABELS_NAME: list(labels.LABELS)}
    assert s.text_names == [labels.TEXT_NAME]
    assert s.choices == {a.name: list(a.values) for a in labels.ATTRIBUTES}
    assert s.relations == list(labels.RELATION_TYPES)
    assert s.hotkeys == labels.LABEL_HOTKEYS
    assert len(set(labels.LABEL_HOTKEYS.values())) == len(labels.LABELS)


def test_label_config_shows_each_attribute_only_for_its_label() -> None:
    xml = resources.label_config()
    for attr in labels.ATTRIBUTES:
        block = re.search(rf'whenLabelValue="{attr.label}">(.*?)</View>', xml, re.S)
        assert block and f'name="{attr.name}"' in block.group(1), attr.name
    colours = re.findall(r'<Label value="(\w+)" background="(#[0-9a-f]{6})"', xml)
    assert dict(colours) == labels.LABEL_COLOURS
    assert len(set(labels.LABEL_COLOURS.values())) == len(labels.LABELS)


def _enums(node: object, key: str) -> list[list[str]]:
    """Every enum found under properties named `key` anywhere in a schema."""
    found: list[list[str]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, dict):
                if "enum" in v:
                    found.append(v["enum"])
                items = v.get("items")
                if isinstance(items, dict) and "enum" in items:
                    found.append(items["enum"])
            found.extend(_enums(v, key))
    elif isinstance(node, list):
        for v in node:
            found.extend(_enums(v, key))
    return found


def test_task_schema_names_the_same_labels_and_relations() -> None:
    schema = resources.load_schema("task.schema.json")
    assert _enums(schema, "labels") == [list(labels.LABELS), list(labels.RELATION_TYPES)]
    assert _enums(schema, "from_name") == [[a.name for a in labels.ATTRIBUTES]]


def test_annotation_schema_names_the_same_labels_attributes_and_relations() -> None:
    schema = resources.load_schema("annotation.schema.json")
    assert list(labels.LABELS) in _enums(schema, "label")
    assert list(labels.RELATION_TYPES) in _enums(schema, "type")
    span_attrs = schema["properties"]["spans"]["items"]["properties"]["attributes"]["properties"]
    assert {name: spec["enum"] for name, spec in span_attrs.items()} == {
        a.name: list(a.values) for a in labels.ATTRIBUTES
    }


def test_guideline_defines_every_label_with_the_one_line_definition_and_hotkey() -> None:
    text = resources.guideline_markdown()
    for label in labels.LABELS:
        assert labels.LABEL_DEFINITIONS[label] in text, label
        assert re.search(rf"{label}\W.*{labels.LABEL_HOTKEYS[label]}", text), label
    for attr in labels.ATTRIBUTES:
        assert attr.name in text
        for value in attr.values:
            assert value in text, (attr.name, value)
    for rel in labels.RELATION_TYPES:
        assert rel in text
    html = instructions_html()
    assert "<h1>" in html or "<h2>" in html
    assert "<table>" in html


def test_label_config_names_the_guideline_version_so_a_new_version_reaches_old_projects() -> None:
    """The instructions are versioned by the config's header: a new guideline version changes the
    config, so push to an existing project asks for --update-config, which sends the new instructions."""
    version = re.search(r"^Guideline version (\d+)", resources.guideline_markdown(), re.M)
    assert version, "schema/guideline.md must state 'Guideline version N'"
    ours = resources.label_config()
    assert f"(guideline version {version[1]})" in ours
    older = ours.replace(f"guideline version {version[1]}", f"guideline version {int(version[1]) - 1}")
    assert labelconfig.diff(ours, older), "an older guideline version must count as a config difference"


def test_guideline_writes_in_every_settled_decision() -> None:
    text = resources.guideline_markdown()
    for decision in ("D1", "D2", "D3", "D4", "D5", "D6"):
        assert f"({decision}" in text, decision
    curator = resources.read_text("curator_guideline.md")
    for decision in ("D1", "D2", "D3", "D4", "D5", "D6"):
        assert decision in curator, decision


def test_bio_tags_follow_label_order() -> None:
    assert labels.BIO_TAGS[0] == "O"
    assert labels.BIO_TAGS[1:3] == ("B-ATTACK", "I-ATTACK")
    assert len(labels.BIO_TAGS) == 1 + 2 * len(labels.LABELS)
    assert set(labels.OVERLAP_PRIORITY) == set(labels.LABELS)
    assert {pair for pair in labels.RELATIONS.values()} == set(labels.RELATION_BY_PAIR)


def test_pip_install_into_a_new_venv_works_from_any_directory(tmp_path: Path) -> None:
    """`pip install .` (not editable): the contract and samples ship inside the wheel, and an installed
    `annotate` finds them from an unrelated directory."""
    import site
    import subprocess
    import sys

    repo = SCHEMA_DIR.parent
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(repo)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("incident_corpus-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in resources.SCHEMA_FILES:
        assert f"incident_corpus/schema/{f}" in names
    assert any(n.startswith("incident_corpus/samples/") and n.endswith(".txt") for n in names)

    # A new venv whose dependencies come from this one (a .pth), so the install needs no download.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    new_site = next(venv.glob("lib/python*/site-packages"))
    (new_site / "deps.pth").write_text(site.getsitepackages()[0] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
                    str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    helptext = subprocess.run([str(venv / "bin" / "annotate"), "--help"], cwd=elsewhere, capture_output=True,
                              text=True, env=env, check=True)
    assert "annotate push" in helptext.stdout
    probe = "import incident_corpus.core.resources as r; print(r.schema_dir())"
    where = subprocess.run([str(venv / "bin" / "python"), "-c", probe], cwd=elsewhere, capture_output=True,
                           text=True, env=env, check=True)
    assert where.stdout.strip() == str(new_site / "incident_corpus" / "schema")
    samples = subprocess.run([str(venv / "bin" / "annotate"), "samples"], cwd=elsewhere, capture_output=True,
                             text=True, env=env, check=True).stdout.strip()
    assert samples == str(new_site / "incident_corpus" / "samples")
    dry = subprocess.run([str(venv / "bin" / "annotate"), "push", samples, "--project", "p", "--dry-run"],
                         cwd=elsewhere, capture_output=True, text=True, env=env)
    assert dry.returncode == 0, dry.stderr
    tasks = json.loads((elsewhere / "tasks" / "p.json").read_text(encoding="utf-8"))
    assert tasks and all(resources.task_validator().is_valid(t) for t in tasks)


def test_fast_task_check_never_accepts_what_jsonschema_rejects() -> None:
    """push trusts the fast predicate for "valid"; jsonschema stays the judge for everything else."""
    import copy
    import random

    from incident_corpus.ingest.articles import Article, read_articles
    from incident_corpus.preannotate.runner import Preannotator
    from incident_corpus.studio.tasks import build_task

    fast, slow = resources.fast_check("task.schema.json"), resources.task_validator()
    assert fast is not None
    samples_dir = resources.samples_dir()
    articles = [a for a in read_articles([samples_dir]) if isinstance(a, Article)]
    preds = list(Preannotator().annotate_many(a.text for a in articles))
    tasks = [build_task(a.task_data(), prediction=p, model_version="incident-rules-1")
             for a, p in zip(articles, preds, strict=True)]
    assert all(fast(t) and slow.is_valid(t) for t in tasks)
    rng = random.Random(11)
    mutations = [None, 0, -1, 1.5, 7, "", "x", True, [], {}, "0123456789abcdeg", "WEAPON", "relation", "label",
                 ["ATTACK", "CLAIM"], ["killed"], {"start": 1}]
    samples = []
    for _ in range(4000):
        task = copy.deepcopy(rng.choice(tasks))
        node: object = task
        parent: object = None
        key: object = None
        for _depth in range(rng.randint(1, 7)):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))  # type: ignore[arg-type]
            if not keys:
                break
            parent, key = node, rng.choice(keys)
            child = node[key]  # type: ignore[index]
            if not isinstance(child, (dict, list)) or rng.random() < 0.2:
                break
            node = child
        if parent is not None:
            if rng.random() < 0.15 and isinstance(parent, dict):
                del parent[key]
            else:
                parent[key] = copy.deepcopy(rng.choice(mutations))  # type: ignore[index]
        samples.append(task)
    wrong = [s for s in samples if fast(s) and not slow.is_valid(s)]
    assert wrong == []
    assert sum(not slow.is_valid(s) for s in samples) > 1000


def test_every_label_has_a_role_and_every_role_a_label() -> None:
    """labels.py is the one place giving a label its event role and TextEE name: none missing, none extra."""
    assert set(labels.LABEL_ROLES) == set(labels.LABELS)
    assert set(labels.TEXTEE_NAMES) == set(labels.LABELS)
    roles = list(labels.LABEL_ROLES.values())
    assert len(set(roles)) == len(roles), "two labels share a role"
    assert [label for label, role in labels.LABEL_ROLES.items() if role == labels.TRIGGER_ROLE] == [
        labels.TRIGGER_LABEL]
    assert set(labels.ARGUMENT_ROLES) | {labels.TRIGGER_ROLE} == set(roles)
    # Every relation joins an argument to the trigger, or (the claimant) two arguments.
    for head, tail in labels.RELATIONS.values():
        assert labels.LABEL_ROLES[head] in labels.ARGUMENT_ROLES
        assert tail == labels.TRIGGER_LABEL or labels.LABEL_ROLES[tail] in labels.ARGUMENT_ROLES


def test_the_exports_take_roles_from_labels() -> None:
    from incident_corpus.export.formats import events, textee

    assert events.ROLES == labels.ARGUMENT_ROLES
    assert labels.TEXTEE_NAMES[labels.TRIGGER_LABEL] == textee.EVENT_TYPE
    assert set(textee.ROLE_NAMES) == set(labels.LABELS) - {labels.TRIGGER_LABEL}
