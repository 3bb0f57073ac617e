"""docs/reference.md is generated from the schema, and the committed copy is current."""

from __future__ import annotations

from pathlib import Path

from tests.sitefiles import REPO, run_cli, write_site
from wgsite.commands.docs import reference
from wgsite.content.schema import CONTENT_TYPES, HOME


def test_committed_reference_is_current():
    committed = (REPO / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == reference({**CONTENT_TYPES, "home": HOME}), \
        "docs/reference.md is stale: run `python build.py docs`"


def test_reference_lists_every_field_of_every_type():
    text = reference({**CONTENT_TYPES, "home": HOME})
    for type_ in CONTENT_TYPES.values():
        for spec in type_.fields:
            assert f"| `{spec.name}` |" in text, (type_.name, spec.name)
    assert "| `lead` | required | a list; each the id of an organisation |" in text
    assert "| `priorities[].text` | required | Markdown text |" in text
    assert "| `status` |  | one of: `planned`, `ongoing`, `completed` |" in text


def test_docs_command_includes_a_sites_own_fields(site: Path):
    write_site(site, {"data/schema.yaml": "news:\n  - name: subtitle\n    kind: string\n"
                      "    help: A line under the title.\n"})
    result = run_cli("docs", "--site", str(site))
    assert result.returncode == 0, result.stderr
    text = (site / "docs/reference.md").read_text()
    assert "| `subtitle` |  | text | A line under the title. |" in text
