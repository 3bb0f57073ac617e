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


@pytest.mark.parametrize("type_", ["news", "working-group", "project", "event", "page"])
def test_every_skeleton_builds_as_written_and_is_a_draft(site: Path, capsys, type_):
    result = run_cli("new", type_, "Fresh start", "--site", str(site), "--date", "2026-05-30")
    assert result.returncode == 0, result.stderr
    assert ", a draft: `serve` shows it; delete its line 'draft: true' to publish it" in result.stderr
    path = site / result.stderr.split("Created ", 1)[1].split(",", 1)[0]
    assert "\ndraft: true\n" in path.read_text()
    folder = {"news": "news/", "working-group": "working-groups/", "project": "projects/",
              "event": "events/", "page": ""}[type_]
    status, err = build(site, "--drafts", "--strict", capsys=capsys)
    assert status == 0, err
    assert (site / f"public/{folder}fresh-start/index.html").is_file()
    status, err = build(site, capsys=capsys)
    assert status == 0, err
    assert not (site / f"public/{folder}fresh-start").exists(), "a new file is not published"


def test_new_working_group_names_a_real_lead_and_shows_the_shapes(site: Path):
    assert run_cli("new", "working-group", "Green skills", "--site", str(site)).returncode == 0
    text = (site / "content/working-groups/green-skills.md").read_text()
    assert "# The organisations that lead the group. (required)\nlead: [north-region]\n" in text
    assert "# chairs: [maria-svensson]\n" in text
    assert "# emeritus:\n# - person: anna-lind\n#   from: 2019\n#   to: 2023\n" in text
    assert "# priorities:\n# - priority: 1\n#   text: " in text
    assert "# policy_areas:\n#   period: 2023-2024\n#   items:\n#   - " in text


def test_new_event_starts_with_the_site_time_zone_offset(site: Path):
    run_cli("new", "event", "Winter forum", "--site", str(site), "--date", "2026-12-01")
    run_cli("new", "event", "Summer forum", "--site", str(site), "--date", "2026-07-01")
    assert "\nstart: 2026-12-01T09:00:00+01:00\n" in (
        site / "content/events/winter-forum.md").read_text()
    summer = (site / "content/events/summer-forum.md").read_text()
    assert "\nstart: 2026-07-01T09:00:00+02:00\n" in summer
    assert "images/news/" not in summer and "# image: images/events/picture.jpg" in summer


def test_no_help_text_follows_a_value_on_its_line(site: Path):
    """Uncommenting a line must not carry its help into the value (or be refused for it)."""
    run_cli("new", "project", "Move Further", "--site", str(site))
    for line in (site / "content/projects/move-further.md").read_text().splitlines():
        assert " # " not in line.removeprefix("# "), line


@pytest.mark.parametrize("title,name", [
    ("Ελληνικά μαθήματα", "ellenika-mathemata"),
    ("Мобильность молодёжи", "mobilnost-molodezhi"),
    ("Zażółć gęślą jaźń", "zazolc-gesla-jazn"),
    ("研讨会 2027", "yan-tao-hui-2027"),
    ("ورشة عمل", "wrsh-ml"),
])
def test_new_transliterates_titles_in_other_scripts(site: Path, title, name):
    result = run_cli("new", "working-group", title, "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert f"Created content/working-groups/{name}.md" in result.stderr
    assert f"title: {title}" in (site / f"content/working-groups/{name}.md").read_text()


def test_a_very_long_title_gives_a_short_file_name_cut_at_a_word(site: Path, capsys):
    title = " ".join(["Regional cooperation on lifelong learning"] * 6)  # 257 characters
    result = run_cli("new", "news", title, "--site", str(site), "--date", "2026-05-30")
    assert result.returncode == 0, result.stderr
    [path] = (site / "content/news").glob("2026-05-30-*.md")
    slug = path.stem.removeprefix("2026-05-30-")
    assert len(slug) <= 80 and title.lower().replace(" ", "-").startswith(slug + "-")
    status, err = build(site, "--drafts", capsys=capsys)
    assert status == 0, err
    assert title in (site / f"public/news/{slug}/index.html").read_text()


def test_new_refuses_to_overwrite(site: Path):
    result = run_cli("new", "page", "About", "--site", str(site))
    assert result.returncode == 1
    assert "content/about.md exists already" in result.stderr
    assert (site / "content/about.md").read_text().startswith("---\ntitle: About us")


def test_new_rejects_an_unknown_type(site: Path):
    result = run_cli("new", "newsletter", "X", "--site", str(site))
    assert result.returncode == 1
    assert ("error: there is no kind of content 'newsletter'; use one of: working-group, "
            "news, project, event, document, page") in result.stderr
