"""The editor's guide quotes only messages the build really prints."""

from __future__ import annotations

import re

from tests.sitefiles import REPO


def test_every_message_in_the_guide_is_one_the_tests_assert():
    guide = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
    table = guide.split("## When the site reports a problem", 1)[1]
    quoted = re.findall(r"^\| `([^`]+)`", table, flags=re.MULTILINE)
    assert len(quoted) >= 15
    asserted = "".join((REPO / "tests" / name).read_text(encoding="utf-8")
                       for name in ("test_hostile_inputs.py", "test_check.py",
                                        "test_editor_mistakes.py", "test_documents.py",
                                        "test_people.py"))
    asserted = re.sub(r'"\s*\n\s*(\(\)\s*,\s*)?"', "", asserted)  # join split string literals
    asserted = asserted.replace('\\"', '"')  # a quote escaped in a literal is a quote
    for message in quoted:
        for piece in filter(None, (p.strip() for p in message.split("..."))):
            assert piece in asserted, f"the guide quotes {message!r}, which no test asserts"


def test_the_guide_points_to_the_generated_reference():
    guide = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
    assert "(reference.md)" in guide and (REPO / "docs" / "reference.md").is_file()
