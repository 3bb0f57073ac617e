"""benchmarks/: the corpus is the same for every tool and every run, and the run works.

No timing is asserted here: the figures belong to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import corpus as corpora  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_posts(tmp_path):
    for name in ("a", "b"):
        for tool in corpora.TOOLS:
            corpora.export(corpora.make_corpus(20, seed=7), tool, tmp_path / name / tool)
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    other = corpora.make_corpus(20, seed=8)
    assert [p.body for p in other.posts] != [p.body for p in corpora.make_corpus(20, seed=7).posts]


def test_posts_are_long_and_use_the_markdown_a_news_item_uses():
    posts = corpora.make_corpus(20).posts
    assert len({post.slug for post in posts}) == 20
    for post in posts:
        assert 650 <= len(post.body.split()) <= 950, post.slug
        for mark in ("\n## ", "\n- ", "\n1. ", "| --- |", "*", "](@post:"):
            if mark == "](@post:" and post is posts[0]:
                continue  # the oldest post has no older post to link to
            assert mark in post.body, (post.slug, mark)
    assert len({tag for post in posts for tag in post.tags}) > 5
    assert len({group for post in posts for group in post.groups}) > 3


def test_the_wgsite_export_builds_without_a_problem(tmp_path):
    corpus = corpora.make_corpus(20)
    site = corpora.export(corpus, "wgsite", tmp_path / "wgsite")
    done = subprocess.run([sys.executable, "-m", "wgsite", "build", "--site", str(site)],
                          capture_output=True, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr and "error" not in done.stderr, done.stderr
    for post in corpus.posts:
        page = site / "public" / "news" / post.slug / "index.html"
        assert post.title in page.read_text(encoding="utf-8")


def test_every_export_holds_what_its_tool_reads_and_the_same_words(tmp_path):
    corpus = corpora.make_corpus(20)
    sites = {tool: corpora.export(corpus, tool, tmp_path / tool) for tool in corpora.TOOLS}
    hugo = tomllib.loads((sites["hugo"] / "hugo.toml").read_text(encoding="utf-8"))
    assert hugo["taxonomies"] == {"tag": "tags"}
    for layout in ("baseof", "single", "list"):
        assert (sites["hugo"] / "layouts" / f"{layout}.html").is_file()
    mkdocs = yaml.safe_load((sites["mkdocs"] / "mkdocs.yml").read_text(encoding="utf-8"))
    assert mkdocs["site_name"] and (sites["mkdocs"] / "docs" / "index.md").is_file()
    settings: dict = {}
    exec(compile((sites["pelican"] / "pelicanconf.py").read_text(encoding="utf-8"),
                 "pelicanconf.py", "exec"), settings)
    assert settings["PATH"] == "content" and settings["CACHE_CONTENT"] is True
    assert (sites["eleventy"] / ".eleventy.js").read_text(encoding="utf-8").count(
        "module.exports") == 1
    for layout in ("base.njk", "post.njk"):
        assert (sites["eleventy"] / "_includes" / layout).is_file()
    # One paragraph without links reads the same in every tool's file of every post.
    for post in corpus.posts:
        plain = next(block for block in post.body.split("\n\n")
                     if block[0].isalpha() and "(" not in block)
        for tool, site in sites.items():
            text = corpora.post_file(tool, site, post).read_text(encoding="utf-8")
            assert plain in text, (tool, post.slug)
            assert "@post:" not in text, tool


def test_an_export_will_not_replace_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    try:
        corpora.export(corpora.make_corpus(2), "hugo", tmp_path / "mine")
    except SystemExit as stop:
        assert "not a benchmark corpus" in str(stop)
    else:
        raise AssertionError("export replaced a folder it did not write")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_a_quick_run_prints_the_three_scenarios_and_writes_the_results_section(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Mine\n\n<!-- results:start -->\nold table\n<!-- results:end -->\n"
                       "Notes after.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--quick", "--tools", "wgsite",
         "--serve-edits", "1", "--work", str(tmp_path / "work"), "--markdown", str(results)],
        capture_output=True, text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| wgsite | 30 |")]
    assert [row.split("|")[3].strip() for row in rows] == ["cold", "no-change", "one-edit"]
    assert "| yes (" in rows[2]  # the output after the edit equals a clean build's
    assert "save to reload message at 30 posts" in done.stdout
    written = results.read_text(encoding="utf-8")
    assert written.startswith("# Mine\n") and written.endswith("Notes after.\n")
    assert "old table" not in written and written.count("<!-- results:start -->") == 1
    assert rows[0] in written


def test_the_bilingual_export_translates_30_percent_and_builds_both_languages(tmp_path):
    corpus = corpora.make_corpus(20)
    site = corpora.export_with(corpora.export_bilingual, corpus, tmp_path / "two")
    translations = sorted((site / "content" / "news").glob("*.fr.md"))
    assert len(translations) == 6  # 30% of 20
    done = subprocess.run([sys.executable, "-m", "wgsite", "build", "--site", str(site)],
                          capture_output=True, text=True, env=ENV)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr and "error" not in done.stderr, done.stderr
    stem = translations[0].name.removesuffix(".fr.md")
    slug = stem[len("YYYY-MM-DD-"):]
    assert (site / "public" / "fr" / "news" / slug / "index.html").is_file()
