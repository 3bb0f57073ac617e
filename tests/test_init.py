"""`init DIR` starts a new site that builds and checks clean, with the theme's look."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.htmlpage import HtmlPage
from tests.sitefiles import REPO, run_cli
from tests.test_workflow import validate


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


def readme_commands(readme: str) -> list[str]:
    """The commands the README's ```sh blocks tell the reader to type, in order."""
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_following_the_readme_word_for_word_gives_a_site_that_checks_strict(tmp_path: Path):
    folder = tmp_path / "baltic"
    assert run_cli("init", str(folder), "--title", "Baltic Learning Network").returncode == 0
    readme = (folder / "README.md").read_text()
    site_yaml = folder / "data/site.yaml"
    text = site_yaml.read_text()
    # Step 1: each line the table names is in data/site.yaml; write its example there.
    rows = re.findall(r"^\| `([a-z_]+):`(?:, `[a-z_]+:`)* \| .*? \| `([a-z_]+: .*)` \|$",
                      readme, flags=re.MULTILINE)
    assert {key for key, _ in rows} == {"title", "base_url", "language", "timezone", "logo",
                                        "primary"}
    (folder / "assets/images").mkdir(parents=True)
    (folder / "assets/images/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    for key, example in rows:
        line = re.search(rf"^(# )?( *){key}: .*$", text, flags=re.MULTILINE)
        assert line, f"the README names '{key}:', which data/site.yaml lacks"
        text = text.replace(line[0], line[2] + example)
    site_yaml.write_text(text)
    # Steps 2 to 5: the commands, as typed (the preview and git need a person or a network).
    commands = readme_commands(readme)
    assert commands[:3] == ["pip install -r requirements.txt", "wgsite serve --site .",
                            'wgsite new news "Our first meeting" --site .']
    for command in commands[2:4]:
        args = shlex.split(command)
        assert args[0] == "wgsite"
        result = run_cli(*args[1:], cwd=folder)
        assert result.returncode == 0, (command, result.stderr)
        assert "error" not in result.stderr and "warning" not in result.stderr, result.stderr
    assert commands[3] == "wgsite check --site . --strict"
    home = (folder / "public/index.html").read_text()
    assert "Baltic Learning Network" in home and "wg.baltic-learning.eu" in home
    assert "images/logo" in home
    assert "#00539f" in "".join(p.read_text() for p in (folder / "public/assets/css").glob("*.css"))
    assert not list((folder / "public/news").glob("our-first-meeting*")), "new writes a draft"


def test_init_deploys_as_this_repository_does(tmp_path: Path):
    folder = tmp_path / "s"
    assert run_cli("init", str(folder)).returncode == 0
    netlify = tomllib.loads((folder / "netlify.toml").read_text())
    ours = tomllib.loads((REPO / "netlify.toml").read_text())
    assert netlify["build"]["publish"] == "public"
    assert netlify["build"]["command"] == ("npm ci --ignore-scripts && pip install -r "
                                           "requirements.txt && wgsite build")
    assert "--drafts --preview" in netlify["context"]["deploy-preview"]["command"]
    assert netlify["headers"] == ours["headers"], "the same security headers"
    result = validate(folder / ".github/workflows/site.yml")
    assert result.returncode == 0, result.stdout + result.stderr
    workflow = (folder / ".github/workflows/site.yml").read_text()
    assert "npm ci --ignore-scripts" in workflow and "wgsite check --strict" in workflow
    package = json.loads((folder / "package.json").read_text())
    pinned = json.loads((REPO / "package.json").read_text())["devDependencies"]
    assert package["devDependencies"] == {name: pinned[name] for name in ("decap-cms", "js-yaml")}
    lock = json.loads((folder / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/decap-cms"]["version"] == pinned["decap-cms"]
    assert "node_modules/axe-core" not in lock["packages"], "no test tools"
    assert (folder / "requirements.txt").read_text().splitlines()[-1].startswith("wgsite")


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_the_new_site_lock_is_one_npm_ci_accepts(tmp_path: Path):
    folder = tmp_path / "s"
    assert run_cli("init", str(folder)).returncode == 0
    # --offline: npm would need the network only if the lock did not match package.json
    result = subprocess.run(["npm", "ci", "--ignore-scripts", "--dry-run", "--offline",
                             "--no-audit", "--no-fund"], cwd=folder, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_init_takes_the_requirement_that_installs_wgsite(tmp_path: Path):
    spec = "wgsite @ git+https://github.com/example-network/wgsite@v0.1.0"
    assert run_cli("init", str(tmp_path / "s"), "--wgsite", spec).returncode == 0
    assert spec in (tmp_path / "s/requirements.txt").read_text()


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


def test_init_says_when_requirements_txt_names_a_version_pip_may_not_find(tmp_path):
    # this checkout is installed from its folder, not from a package index or git
    done = run_cli("init", str(tmp_path / "a"))
    assert done.returncode == 0
    assert "warning: requirements.txt names wgsite==" in done.stderr
    assert "--wgsite" in done.stderr
    pinned = run_cli("init", str(tmp_path / "b"), "--wgsite",
                     "wgsite @ git+https://git.example.org/wgsite@v1")
    assert pinned.returncode == 0 and "warning" not in pinned.stderr
    assert "wgsite @ git+https://git.example.org/wgsite@v1" in \
        (tmp_path / "b/requirements.txt").read_text()


def test_init_gives_the_new_site_a_warm_cache_on_netlify_and_github(tmp_path: Path):
    from tests.test_ci_cache import PLUGIN, cache_step

    folder = tmp_path / "s"
    assert run_cli("init", str(folder)).returncode == 0
    plugin = folder / "netlify/plugins/wgsite-cache"
    assert sorted(p.name for p in plugin.iterdir()) == sorted(p.name for p in PLUGIN.iterdir())
    for ours in PLUGIN.iterdir():
        assert (plugin / ours.name).read_bytes() == ours.read_bytes(), \
            f"the new site's {ours.name} is this repository's"
    netlify = tomllib.loads((folder / "netlify.toml").read_text())
    repo = tomllib.loads((REPO / "netlify.toml").read_text())
    assert netlify["plugins"] == repo["plugins"] == [
        {"package": "./netlify/plugins/wgsite-cache"}]
    cache_step(folder / ".github/workflows/site.yml", "build-and-check")
    ignored = (folder / ".gitignore").read_text().splitlines()
    assert "/public/" in ignored and "/.wgsite-cache/" in ignored, \
        "the cache comes back from CI's cache, never from git"
