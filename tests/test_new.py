"""`new TYPE "Title"` writes a correctly named skeleton and never overwrites."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitefiles import build, run_cli

EXPECTED = [
    ("news", "Regions meet in Gothenburg", "content/news/2026-06-01-regions-meet-in-gothenburg.md"),
    ("working-group", "Västra Götaland: Skills", "content/working-groups/vastra-gotaland-skills.md"),
    ("project", "Move Further", "content/projects/move-further.md"),
    ("event", "Autumn Forum 2027", "content/events/autumn-forum-2027.md"),
    ("page", "Contact", "content/contact.md"),
]


@pytest.mark.parametrize("type_,title,path", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_new_writes_the_named_file_with_its_skeleton(site: Path, type_, title, path):
    result = run_cli("new", type_, title, "--site", str(site), "--date", "2026-06-01")
    assert result.returncode == 0, result.stderr
    assert f"Created {path}" in result.stderr
    text = (site / path).read_text()
    assert text.startswith("---\n")
    assert f"title: {title}" in text or f"title: '{title}'" in text


def test_new_news_and_page_build_as_written(site: Path, capsys):
    for type_, title in (("news", "Fresh news"), ("page", "Contact"), ("event", "A meeting"),
                         ("project", "Move Further")):
        assert run_cli("new", type_, title, "--site", str(site),
                       "--date", "2026-05-30").returncode == 0
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert (site / "public/news/fresh-news/index.html").is_file()
    assert (site / "public/contact/index.html").is_file()
    assert (site / "public/events/a-meeting/index.html").is_file()


def test_new_working_group_asks_for_its_lead(site: Path, capsys):
    assert run_cli("new", "working-group", "Green skills", "--site", str(site)).returncode == 0
    text = (site / "content/working-groups/green-skills.md").read_text()
    assert "lead: []" in text and "required" in text
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "content/working-groups/green-skills.md:" in err
    assert "'lead' needs at least one item" in err


def test_new_refuses_to_overwrite(site: Path):
    result = run_cli("new", "page", "About", "--site", str(site))
    assert result.returncode == 1
    assert "content/about.md exists already" in result.stderr
    assert (site / "content/about.md").read_text().startswith("---\ntitle: About us")


def test_new_rejects_an_unknown_type(site: Path):
    result = run_cli("new", "newsletter", "X", "--site", str(site))
    assert result.returncode == 1
    assert ("error: there is no kind of content 'newsletter'; use one of: working-group, "
            "news, project, event, page") in result.stderr
