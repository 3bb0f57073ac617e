"""docs/architecture.md stays true: the modules it names exist, and imports run one way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.sitefiles import REPO

PACKAGE = REPO / "wgsite"
# The pipeline's stages in order; a stage may import those before it and the leaves.
STAGES = ["content", "markup", "render", "outputs", "incremental", "commands"]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("wgsite"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("wgsite"))
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_every_module_the_map_names_exists():
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    folders = re.findall(r"`wgsite/(\w+)/`", text)
    assert set(folders) == set(STAGES)
    for row in re.findall(r"^\| .*$", text, flags=re.MULTILINE):
        folder = re.search(r"`wgsite/(\w+)/`", row)
        for name in re.findall(r"`(\w+\.py)`", row):
            assert (PACKAGE / folder.group(1) / name).is_file() if folder else \
                (PACKAGE / name).is_file(), f"docs/architecture.md names {name}, which is gone"
    for name in re.findall(r"`(\w+\.py)`", text.split("## What flows", 1)[0]):
        assert list(PACKAGE.rglob(name)), f"docs/architecture.md names {name}, which is gone"


def test_no_stage_imports_a_later_stage_and_only_the_cli_imports_commands():
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        own = _stage(module)
        for imported in _imports(path):
            theirs = _stage(imported)
            if theirs is None or theirs == own:
                continue
            if own is None:  # a shared leaf, or cli.py
                assert module == "wgsite.cli" and theirs == "commands", \
                    f"{module} is a shared leaf but imports {imported}"
                continue
            assert STAGES.index(theirs) < STAGES.index(own), \
                f"{module} imports {imported}, a later stage"
