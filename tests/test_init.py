"""`init DIR` starts a new site that builds and checks clean, with the theme's look."""

from __future__ import annotations

from pathlib import Path

from tests.htmlpage import HtmlPage
from tests.sitefiles import run_cli


def test_init_writes_a_site_that_builds_and_checks_clean(tmp_path: Path):
    folder = tmp_path / "baltic"
    result = run_cli("init", str(folder), "--title", "Baltic Learning Network")
    assert result.returncode == 0, result.stderr
    assert "Created a new site in" in result.stderr
    for name in ("data/site.yaml", "data/priorities.yaml", "content/_index.md",
                 "content/working-groups/example-group.md", "README.md"):
        assert (folder / name).is_file(), name
    assert list((folder / "content/news").glob("*-our-site-is-live.md"))
    assert not (folder / "layouts").exists(), "the theme supplies the layouts"

    result = run_cli("check", "--site", str(folder))
    assert result.returncode == 0, result.stderr
    assets = {p.relative_to(folder / "public/assets").parts[0]
              for p in (folder / "public/assets").rglob("*") if p.is_file()}
    assert assets <= {"css", "js"}, "the example site's images are not another site's"
    home = HtmlPage.read(folder / "public/index.html")
    assert "Baltic Learning Network" in home.text
    group = HtmlPage.read(folder / "public/working-groups/example-group/index.html", True)
    assert "Strategic Priority 1: Skills for the future" in group.texts("h3") + group.texts("h2")


def test_init_readme_gives_three_next_steps(tmp_path: Path):
    run_cli("init", str(tmp_path / "s"))
    readme = (tmp_path / "s/README.md").read_text()
    assert "Three next steps" in readme
    assert all(f"\n{n}. " in readme for n in (1, 2, 3))


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s/notes.txt").write_text("mine")
    result = run_cli("init", str(tmp_path / "s"))
    assert result.returncode == 1
    assert "is not empty; choose a new folder" in result.stderr
    assert (tmp_path / "s/notes.txt").read_text() == "mine"


def test_a_quote_in_the_title_stays_valid_yaml(tmp_path: Path):
    result = run_cli("init", str(tmp_path / "q"), "--title", 'The "Quoted" Network: Regions')
    assert result.returncode == 0
    assert run_cli("build", "--site", str(tmp_path / "q")).returncode == 0
    assert 'The "Quoted" Network: Regions' in (tmp_path / "q/public/index.html").read_text() \
        or "The &#34;Quoted&#34; Network: Regions" in (tmp_path / "q/public/index.html").read_text()
