"""The command reference stays in step with `annotate --help` (sqlite-utils' test_docs.py idea).

The reference is the one page titled "# Command reference", wherever it lives (README.md or docs/).
Every command (the click group walked recursively) has an entry in its first ```bash block, every
option of a command appears in its entry (options shared by several commands may instead be named once
in the block's comment lines), and the block names no option a command does not have. The README's
one-line list under "## Commands" names every command once and no option a command lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from incident_corpus.cli import cli
from tests.helpers import REPO

PAGES: list[Path] = [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def reference_page() -> tuple[Path, str]:
    """(path, text) of the one page whose title is "Command reference"."""
    found = [(p, p.read_text(encoding="utf-8")) for p in PAGES]
    found = [(p, text) for p, text in found if re.search(r"^# Command reference$", text, flags=re.M)]
    if len(found) != 1:
        raise AssertionError(f"expected one page titled '# Command reference' among README.md and docs/, "
                             f"found {[str(p.relative_to(REPO)) for p, _ in found]}")
    return found[0]


REFERENCE, REFERENCE_TEXT = reference_page()
README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(cmd: click.Command = cli, path: tuple[str, ...] = (),
             parent: click.Context | None = None) -> Iterator[tuple[tuple[str, ...], click.Command, set[str]]]:
    """(path, command, every spelling of every option) for the group and everything under it;
    the context chain makes `-h`/`--help` show up as `annotate X --help` shows them."""
    ctx = click.Context(cmd, info_name=cmd.name, parent=parent, **cmd.context_settings)
    opts = {o for p in cmd.get_params(ctx) if isinstance(p, click.Option) for o in (*p.opts, *p.secondary_opts)}
    yield path, cmd, opts
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from commands(sub, (*path, name), ctx)


COMMANDS: dict[tuple[str, ...], click.Command] = {path: cmd for path, cmd, _ in commands()}
OPTIONS: dict[tuple[str, ...], set[str]] = {path: opts for path, _, opts in commands()}


def command_block() -> str:
    """The first ```bash block after the reference page's title."""
    after = re.split(r"^# Command reference$", REFERENCE_TEXT, maxsplit=1, flags=re.M)[1]
    return after.split("```bash\n", 1)[1].split("```", 1)[0]


def readme_list() -> str:
    """The ```bash block of the README's "## Commands" section: one line per command."""
    section = README.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```bash\n", 1)[1].split("```", 1)[0]


def command_path(line: str) -> tuple[str, ...]:
    """The longest command path an `annotate ...` line starts with."""
    words = line.split()[1:]
    path: tuple[str, ...] = ()
    while words and (*path, words[0]) in COMMANDS:
        path = (*path, words.pop(0))
    return path


def parse_block(block: str) -> tuple[dict[tuple[str, ...], str], str]:
    """(command path -> its entry, with continuation lines; the comment lines, shared by all)."""
    entries: dict[tuple[str, ...], str] = {}
    shared: list[str] = []
    current: tuple[str, ...] | None = None
    for line in block.splitlines():
        if line.startswith("#"):
            shared.append(line)
            current = None
        elif line.startswith("annotate"):
            path = command_path(line)
            assert path not in entries, f"the command reference has two entries for annotate {' '.join(path)}"
            entries[path], current = line, path
        elif line.startswith(" ") and current is not None:
            entries[current] += "\n" + line
        elif line.strip():
            pytest.fail(f"unexpected line in the command reference's block: {line!r}")
    return entries, "\n".join(shared)


ENTRIES, SHARED = parse_block(command_block())


def mentioned(text: str) -> set[str]:
    return set(OPTION.findall(text))


def test_block_is_found_and_parsed() -> None:
    assert ("push",) in ENTRIES and ("studio", "start") in ENTRIES and () in ENTRIES
    assert "--max-bytes" in mentioned(ENTRIES[("push",)]) and "-q" in mentioned(ENTRIES[("push",)])
    assert "--quiet" not in mentioned("[-q]") and mentioned("[-q|--quiet]") == {"-q", "--quiet"}
    assert {"-h", "--help", "--version"} <= OPTIONS[()] and {"-h", "--wait"} <= OPTIONS[("studio", "start")]


@pytest.mark.parametrize("path", [p for p, c in COMMANDS.items() if not isinstance(c, click.Group)
                                  or OPTIONS[p] - {"--help", "-h"}], ids=lambda p: " ".join(p) or "annotate")
def test_every_command_and_option_is_in_the_reference(path: tuple[str, ...]) -> None:
    name = " ".join(("annotate", *path))
    assert path in ENTRIES, f"`{name}` has no entry in the command reference ({REFERENCE.relative_to(REPO)})"
    missing = sorted(OPTIONS[path] - mentioned(ENTRIES[path]) - mentioned(SHARED))
    page = REFERENCE.relative_to(REPO)
    assert not missing, f"`{name}` options missing from its entry in {page}: {', '.join(missing)}"


@pytest.mark.parametrize("path", sorted(ENTRIES), ids=lambda p: " ".join(p) or "annotate")
def test_the_reference_names_no_option_a_command_lacks(path: tuple[str, ...]) -> None:
    stale = sorted(mentioned(ENTRIES[path]) - OPTIONS[path])
    assert not stale, f"the reference's entry of `annotate {' '.join(path)}` names options it does not have: {stale}"


def test_shared_options_are_real_and_shared() -> None:
    """An option named only in the comment lines must belong to more than one command."""
    for opt in mentioned(SHARED):
        owners = [p for p, opts in OPTIONS.items() if opt in opts]
        assert owners, f"the command reference names {opt}, which no command has"
        assert len(owners) > 1, (
            f"{opt} belongs to `annotate {' '.join(owners[0])}` alone: put it in that command's entry")


LEAVES = sorted(p for p, c in COMMANDS.items() if not isinstance(c, click.Group))


def test_the_readme_lists_every_command_once_and_nothing_else() -> None:
    lines = [line for line in readme_list().splitlines() if line.strip()]
    assert all(line.startswith("annotate ") for line in lines), "the README's list holds only `annotate` lines"
    listed = [command_path(line) for line in lines]
    extra = [p for p in listed if listed.count(p) > 1 or p not in LEAVES]
    assert sorted(listed) == LEAVES, ("the README's command list (## Commands) must name each command once: "
                                      f"missing {sorted(set(LEAVES) - set(listed))}, extra or repeated {extra}")
    for line, path in zip(lines, listed, strict=True):
        stale = sorted(mentioned(line.split("#", 1)[0]) - OPTIONS[path])
        assert not stale, f"the README's line for `annotate {' '.join(path)}` names options it does not have: {stale}"


def test_the_reference_page_is_linked_from_the_readme() -> None:
    assert f"]({REFERENCE.relative_to(REPO).as_posix()})" in README
