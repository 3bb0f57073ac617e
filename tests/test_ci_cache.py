"""A CI build that starts from the last build's cache is warm, and right.

CI (GitHub Actions with actions/cache, Netlify with netlify/plugins/wgsite-cache)
builds a fresh clone in a folder of its own, where every file's time stamp is
new, and restores `.wgsite-cache/` and `public/` from the previous build. The
caches must then be found by what files hold, never by where they are or
when they were touched: only the edited post is converted again, only the
pages it reaches are rendered again, and the output is byte for byte what a
clean build of the clone makes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.sitefiles import REPO, SITE, build, write_site

needs_git = pytest.mark.skipif(shutil.which("git") is None and os.environ.get("CI") != "true",
                               reason="git is not installed")

COUNT = r"^\s+{phase}\s.*?\b([\d,]+) {noun}\b"


def count(err: str, phase: str, noun: str) -> int:
    """A number from `build --verbose`: e.g. count(err, "markdown", "converted")."""
    found = re.search(COUNT.format(phase=phase, noun=noun), err, re.MULTILINE)
    assert found, f"no '{noun}' in the {phase} line of:\n{err}"
    return int(found.group(1).replace(",", ""))


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org",
                    "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main",
                    "-C", str(folder), *args],
                   check=True, capture_output=True, timeout=120,
                   env={**os.environ, "GIT_AUTHOR_DATE": "2026-05-01T10:00:00Z",
                        "GIT_COMMITTER_DATE": "2026-05-01T10:00:00Z"})


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def restore(source: Path, clone: Path) -> None:
    """What the Netlify plugin and actions/cache do: copy the cached folders into the
    fresh clone, every file with a new time stamp."""
    now = time.time() + 5  # later than anything the first build wrote
    for name in (".wgsite-cache", "public"):
        shutil.copytree(source / name, clone / name)
        for path in [clone / name, *(clone / name).rglob("*")]:
            os.utime(path, (now, now), follow_symlinks=False)


@needs_git
def test_a_fresh_clone_with_the_restored_cache_converts_and_renders_only_the_edit(
        tmp_path: Path, capsys):
    first = write_site(tmp_path / "first", SITE)
    git(first, "init", "-q")
    (first / ".gitignore").write_text("/public/\n/.wgsite-cache/\n")
    git(first, "add", "-A")
    git(first, "commit", "-q", "-m", "the site")
    status, err = build(first, "--verbose", capsys=capsys)
    assert status == 0, err
    documents = count(err, "markdown", "documents")
    pages = count(err, "render", "pages")
    assert count(err, "markdown", "converted") == documents > 1

    clone = tmp_path / "ci" / "clone"  # another folder, as CI's is
    subprocess.run(["git", "clone", "-q", str(first), str(clone)], check=True,
                   capture_output=True, timeout=120)
    assert not (clone / ".wgsite-cache").exists() and not (clone / "public").exists()
    restore(first, clone)
    post = clone / "content/news/2026-02-10-second-news.md"
    post.write_text(post.read_text().replace("Body of", "The new body of"))
    git(clone, "commit", "-q", "-am", "an edit")

    status, err = build(clone, "--verbose", capsys=capsys)
    assert status == 0, err
    assert count(err, "markdown", "converted") == 1, "only the edited post is converted"
    rendered = count(err, "render", "rendered")
    assert rendered == 1, f"{rendered} of {pages} pages rendered again:\n{err}"
    warm = tree(clone / "public")
    assert "The new body of" in warm["news/second-news/index.html"].decode()

    shutil.rmtree(clone / "public")
    shutil.rmtree(clone / ".wgsite-cache")
    status, err = build(clone, "--verbose", capsys=capsys)
    assert status == 0, err
    assert count(err, "markdown", "converted") == documents, "the clean build is cold"
    assert tree(clone / "public") == warm


@needs_git
def test_a_cache_restored_into_a_clone_of_other_sources_is_not_trusted(tmp_path: Path, capsys):
    """The other side: a cache from a site whose pages differ renders them all again."""
    first = write_site(tmp_path / "first", SITE)
    status, err = build(first, "--verbose", capsys=capsys)
    assert status == 0, err
    pages = count(err, "render", "pages")
    other = write_site(tmp_path / "other", SITE)
    write_site(other, {"data/site.yaml": SITE["data/site.yaml"].replace(
        "Test Network", "Other Network")})
    restore(first, other)
    status, err = build(other, "--verbose", capsys=capsys)
    assert status == 0, err
    assert count(err, "render", "rendered") == pages
    assert "Other Network" in (other / "public/index.html").read_text()


# -- what restores and keeps the cache on CI ------------------------------------------

PLUGIN = REPO / "netlify/plugins/wgsite-cache"
CACHED = [".wgsite-cache", "public"]


def cache_step(workflow: Path, job: str) -> dict:
    """The actions/cache step of `job`, checked to come before the build and to keep
    the build cache under a key per run, restored by its prefix."""
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job]["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert "actions/cache@v4" in uses, f"{workflow} restores no cache"
    at = uses.index("actions/cache@v4")
    build_at = next(n for n, step in enumerate(steps) if " build --strict" in step.get("run", ""))
    assert at < build_at, "the cache is restored before the build"
    settings = steps[at]["with"]
    assert settings["path"].split() == CACHED
    assert settings["key"] == "wgsite-${{ runner.os }}-${{ github.run_id }}"
    assert settings["restore-keys"].strip() == "wgsite-${{ runner.os }}-"
    return steps[at]


def test_the_workflow_restores_and_keeps_the_cache_before_building():
    cache_step(REPO / ".github/workflows/site.yml", "test-and-build")


def test_netlify_runs_the_plugin_kept_in_the_repository():
    netlify = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    assert netlify["plugins"] == [{"package": "./netlify/plugins/wgsite-cache"}]
    assert netlify["build"]["publish"] == "public", "the plugin keeps the publish folder"
    manifest = yaml.safe_load((PLUGIN / "manifest.yml").read_text(encoding="utf-8"))
    assert manifest["name"] == "wgsite-cache"


FAKE_NETLIFY = """\
// Runs the plugin as Netlify would, with cache utilities that record each call.
const plugin = require(process.argv[2]);
const restores = process.argv[3] === "true";  // what restore resolves to
const calls = [];
let hook = "";
const record = (name, answer) => async (paths) => {
  for (const path of [].concat(paths)) calls.push([hook, name, path]);
  return answer;
};
const utils = { cache: { restore: record("restore", restores), save: record("save", true),
                         has: record("has", restores), remove: record("remove", true),
                         list: async () => [] } };
const said = [];
console.log = (...words) => said.push(words.join(" "));
(async () => {
  for (hook of ["onPreBuild", "onBuild", "onPostBuild", "onSuccess"]) {
    if (plugin[hook]) await plugin[hook]({ utils, constants: { PUBLISH_DIR: "public" },
                                          inputs: {}, netlifyConfig: {} });
  }
  process.stdout.write(JSON.stringify({ calls, said }));
})().catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
"""


@pytest.fixture
def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("node is not installed (apt-get install nodejs); CI must test the plugin")
        pytest.skip("node is not installed (apt-get install nodejs)")
    return found


@pytest.mark.parametrize("restores", [True, False])
def test_the_netlify_plugin_restores_before_and_saves_after_the_build(
        tmp_path: Path, node: str, restores: bool):
    # A copy alone in a folder: the plugin must need no package to run.
    plugin = tmp_path / "plugin"
    shutil.copytree(PLUGIN, plugin)
    (tmp_path / "fake.js").write_text(FAKE_NETLIFY)
    done = subprocess.run([node, str(tmp_path / "fake.js"), str(plugin / "index.js"),
                           str(restores).lower()], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    calls = {(hook, name, path) for hook, name, path in seen["calls"]}
    assert calls == {("onPreBuild", "restore", path) for path in CACHED} | {
        ("onPostBuild", "save", path) for path in CACHED}
    restored, saved = seen["said"]
    assert "restored" in restored and "saved" in saved
    assert all(path in saved for path in CACHED)
    assert all((path in restored) == restores for path in CACHED), restored
