"""The documents a newcomer reads stay true to the tree and to each other.

- docs/architecture.md has one line per sub-package of src/incident_corpus, and that line is the first
  line of the sub-package's `__init__` docstring: a package added, renamed or re-described fails here
  until the map says the same. Its list of what each stage package imports is the real import graph.
- Every relative link (and `#anchor`) in README.md, CONTRIBUTING.md and docs/ resolves, and every
  image in docs/ is shown by some page.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import incident_corpus
from tests.helpers import REPO
from tests.test_architecture import MODULES, NOT_STAGES, edges, layer

PACKAGE_ROOT = Path(incident_corpus.__file__).resolve().parent
ARCHITECTURE = REPO / "docs" / "architecture.md"
PAGES: list[Path] = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").rglob("*.md"))]
FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", flags=re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", flags=re.M)


def sub_packages() -> list[str]:
    """'export/formats/'-style paths of every package below incident_corpus."""
    return sorted(f"{p.parent.relative_to(PACKAGE_ROOT).as_posix()}/" for p in PACKAGE_ROOT.rglob("__init__.py")
                  if p.parent != PACKAGE_ROOT)


def summary_line(package: str) -> str:
    doc = ast.get_docstring(ast.parse((PACKAGE_ROOT / package / "__init__.py").read_text(encoding="utf-8")))
    return (doc or "").splitlines()[0].strip() if doc else ""


def tree_lines(text: str) -> dict[str, str]:
    """path -> description, from the first fenced block after "## The tree"."""
    section = text.split("\n## The tree\n", 1)[1]
    block = section.split("```\n", 1)[1].split("```", 1)[0]
    out: dict[str, str] = {}
    for line in block.splitlines():
        path, _, rest = line.partition(" ")
        if path.endswith("/"):
            assert path not in out, f"docs/architecture.md's tree has two lines for {path}"
            out[path] = " ".join(rest.split())
    return out


TREE = tree_lines(ARCHITECTURE.read_text(encoding="utf-8"))
STAGE_LINE = re.compile(r"^  ([a-z_]+) +─ (.*)$", flags=re.M)


def documented_stage_imports(text: str) -> dict[str, set[str]]:
    """stage -> the other stage packages it imports, from the "Imports flow one way" block."""
    section = text.split("\n## Imports flow one way\n", 1)[1].split("\n## ", 1)[0]
    out: dict[str, set[str]] = {}
    for stage, rest in STAGE_LINE.findall(section):
        names = re.sub(r"\(.*?\)", "", rest).strip()  # without the "(why)" remarks
        out[stage] = set() if names == "nothing else" else {n.strip() for n in names.split(",")}
    return out


def actual_stage_imports() -> dict[str, set[str]]:
    stages = {layer(m) for m in MODULES} - NOT_STAGES - {""}
    out: dict[str, set[str]] = {stage: set() for stage in stages}
    for src, dst, _why in edges():
        if layer(src) in stages and layer(dst) in stages and layer(src) != layer(dst):
            out[layer(src)].add(layer(dst))
    return out


def prose(text: str) -> str:
    """The text without fenced blocks and inline code, where nothing is a link or a heading."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: link text kept, lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    out: set[str] = set()
    for heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def broken_links(page: Path) -> list[str]:
    problems = []
    for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, flags=re.I):  # http:, https:, mailto:
            continue
        path_part, _, anchor = target.partition("#")
        dest = (page.parent / path_part).resolve() if path_part else page
        if not dest.exists():
            problems.append(f"{target}: no such file {dest}")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            problems.append(f"{target}: no heading with the anchor #{anchor} in {dest.relative_to(REPO)}")
    return problems


def test_the_readers_see_what_they_should() -> None:
    """The helpers themselves, on known cases: a check that cannot fail checks nothing."""
    assert {"cli/", "core/", "export/", "export/formats/", "studio/"} <= set(sub_packages())
    assert slug("Model in the loop: `annotate train`, then `push --model`") == \
        "model-in-the-loop-annotate-train-then-push---model"
    assert slug("Pre-annotation quality: real news first (incident-rules-2)") == \
        "pre-annotation-quality-real-news-first-incident-rules-2"
    sample = "[a](x.md) ![img](p.png) `[not](code.md)`\n```\n[nor](fenced.md)\n```\n[b](y.md#z \"t\")"
    assert LINK.findall(prose(sample)) == ["x.md", "p.png", "y.md#z"]
    assert tree_lines("x\n## The tree\n\n```\ncore/   Shared  modules.\nnot a package\n```\n") == \
        {"core/": "Shared modules."}


@pytest.mark.parametrize("package", sub_packages())
def test_every_sub_package_has_its_docstring_line_in_the_architecture_page(package: str) -> None:
    line = summary_line(package)
    assert line.endswith("."), (
        f"src/incident_corpus/{package}__init__.py: the docstring's first line must be a one-line summary "
        f"ending in a full stop (it is the package's line in docs/architecture.md), not {line!r}")
    assert package in TREE, f"docs/architecture.md's tree (## The tree) has no line for {package}; add:\n" \
                            f"{package:<20} {line}"
    assert TREE[package] == " ".join(line.split()), (
        f"docs/architecture.md says {package} is {TREE[package]!r}, its __init__ docstring says {line!r}: "
        "make them the same")


def test_the_documented_imports_are_the_real_ones() -> None:
    documented = documented_stage_imports(ARCHITECTURE.read_text(encoding="utf-8"))
    actual = actual_stage_imports()
    assert {"ingest", "studio", "quality", "export"} <= set(actual)
    missing = sorted(set(actual) - set(documented))
    assert not missing, f"docs/architecture.md (## Imports flow one way) does not list the stage packages {missing}"
    wrong = {s: (sorted(documented[s]), sorted(actual[s])) for s in actual if documented[s] != actual[s]}
    assert not wrong, f"docs/architecture.md lists other imports than the code has, (documented, actual): {wrong}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    assert page.is_file(), f"{page.relative_to(REPO)} is missing"
    problems = broken_links(page)
    assert not problems, f"{page.relative_to(REPO)}:\n" + "\n".join(problems)


def test_every_image_in_docs_is_shown_by_a_page() -> None:
    shown = {(page.parent / target.partition("#")[0]).resolve()
             for page in PAGES for target in LINK.findall(prose(page.read_text(encoding="utf-8")))}
    images = [p for p in (REPO / "docs").iterdir() if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".svg"}]
    assert images, "docs/ holds the screenshots"
    unshown = sorted(p.name for p in images if p.resolve() not in shown)
    assert not unshown, f"images in docs/ that no page shows: {unshown}"


def test_the_readme_stays_short_and_links_every_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250, "README.md is the front door: move detail into a page under docs/"
    linked = {target.partition("#")[0] for target in LINK.findall(prose(readme))}
    pages = {p.relative_to(REPO).as_posix() for p in PAGES if p.parent == REPO / "docs"} | {"CONTRIBUTING.md"}
    assert not pages - linked, f"pages the README does not link: {sorted(pages - linked)}"
