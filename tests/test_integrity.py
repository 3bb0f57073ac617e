"""Invariants: encodings read alike, builds are reproducible, a crash leaves public/ alone."""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

import pytest

from tests.sitefiles import REPO, build, run_cli, write_site


def tree(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_bom_and_crlf_files_build_exactly_as_their_clean_twins(site: Path, tmp_path: Path, capsys):
    assert build(site, "--out", str(tmp_path / "clean"), capsys=capsys)[0] == 0
    for path in list((site / "content").rglob("*.md")) + list((site / "data").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    status, err = build(site, "--out", str(tmp_path / "crlf"), capsys=capsys)
    assert status == 0, err
    assert tree(tmp_path / "clean") == tree(tmp_path / "crlf")


def test_line_numbers_are_right_in_crlf_files_with_a_bom(site: Path, capsys):
    write_site(site, {"content/about.md": b"\xef\xbb\xbf---\r\ntitle: A\r\nsumary: x\r\n---\r\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "content/about.md:3: error: unknown key 'sumary' (did you mean 'summary'?)" in err


@pytest.mark.parametrize("seed,tz", [("0", "UTC"), ("12345", "Pacific/Auckland"),
                                     ("random", "America/Los_Angeles")])
def test_builds_are_byte_identical_whatever_the_hash_seed_and_time_zone(site, tmp_path, seed, tz):
    write_site(site, {"content/events/naive.md":
                      "---\ntitle: Naive\nstart: 2026-09-01 10:00\n---\nx\n"})
    digests = set()
    for run in ("a", "b"):
        out = tmp_path / f"{seed}-{run}"
        result = run_cli("build", "--site", str(site), "--out", str(out),
                         env={"PYTHONHASHSEED": seed if run == "a" else "999", "TZ": tz})
        assert result.returncode == 0, result.stderr
        digest = hashlib.sha256()
        for name, data in tree(out).items():
            digest.update(name.encode() + b"\0" + data)
        digests.add(digest.hexdigest())
    assert len(digests) == 1
    html = (tmp_path / f"{seed}-a" / "events/naive/index.html").read_text()
    assert "2026-09-01T10:00:00+02:00" in html, "a naive time is read in the site's time zone"


def test_reference_build_does_not_depend_on_the_machine_time_zone(site, tmp_path):
    outs = []
    for tz in ("UTC", "Asia/Tokyo"):
        out = tmp_path / tz.replace("/", "-")
        assert run_cli("build", "--site", str(site), "--out", str(out),
                       env={"TZ": tz}).returncode == 0
        outs.append(tree(out))
    assert outs[0] == outs[1]


def test_a_crash_mid_render_leaves_the_previous_output_untouched(site, capsys, monkeypatch):
    assert build(site, capsys=capsys)[0] == 0
    before = tree(site / "public")
    import wgsite.render.pages as pipeline

    calls = {"n": 0}
    real = pipeline._render

    def crash_on_tenth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 10:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_render", crash_on_tenth)
    # A template every page uses: every page is rendered again, not taken from the last build.
    footer = (REPO / "layouts/partials/footer.html").read_text()
    write_site(site, {"layouts/partials/footer.html": footer + "<p>changed</p>\n"})
    status, err = build(site, capsys=capsys)
    assert calls["n"] == 10
    assert status == 2
    assert "wgsite failed unexpectedly" in err and "RuntimeError: disk on fire" in err
    assert "Traceback" not in err
    assert tree(site / "public") == before
    assert not list(site.glob(".public.*-*"))


def test_a_crash_while_writing_leaves_no_staging_folder(site, tmp_path, capsys, monkeypatch):
    # A temporary folder of this test's own: other builds on the machine come and go
    # in the shared one.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    assert build(site, capsys=capsys)[0] == 0
    before = tree(site / "public")
    import wgsite.writer as writer

    def fail(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.shutil, "copyfile", fail)
    monkeypatch.setattr(writer, "_link", fail)  # unchanged files are linked, not copied
    page = site / "content" / "about.md"  # an indexed page: the indexer must run again
    page.write_text(page.read_text() + "\nA sentence that makes this build write.\n")
    searching = set(Path(tempfile.gettempdir()).glob("wgsite-search-*"))
    status, _ = build(site, capsys=capsys)
    assert status == 130
    assert tree(site / "public") == before
    assert not list(site.glob(".public.staging-*"))
    # the indexer worked in the folder of pages kept in the cache: it had the new page,
    # and was stopped with its bundle removed and the folder free for the next build
    kept = next((site / ".wgsite-cache/search-pages").glob("*"))
    assert b"A sentence that makes this build write." in \
        (kept / "site/about/index.html").read_bytes(), "the indexer ran"
    assert not (kept / "bundle").exists()
    from wgsite.outputs.search_layout import SearchLayout

    layout = SearchLayout.kept(kept)
    assert layout is not None, "the kept folder's turn was given back"
    layout.release()
    assert set(Path(tempfile.gettempdir()).glob("wgsite-search-*")) == searching


def test_debug_shows_the_traceback_of_a_crash(site, monkeypatch):
    import wgsite.render.pages as pipeline
    from wgsite.cli import main

    monkeypatch.setattr(pipeline, "_render", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        main(["build", "--site", str(site), "--debug"])


def test_template_content_is_never_evaluated(site, capsys):
    write_site(site, {"content/about.md": "---\ntitle: \"{{ 7*7 }}\"\n---\n{{ 7*7 }} "
                      "{% for x in range(3) %}loop{% endfor %}\n"})
    assert build(site, capsys=capsys)[0] == 0
    html = (site / "public/about/index.html").read_text()
    text = re.sub(r"<[^>]*>", " ", html)  # the words, not asset names ("search.1fe4948e6d.css")
    assert "{{ 7*7 }}" in html and "49" not in text
    assert "{% for x in range(3) %}loop{% endfor %}" in html


def test_yaml_keeps_what_the_editor_wrote(site, capsys):
    write_site(site, {"content/about.md": "---\ntitle: no\nsummary: 1.10\ntags: [012, on]\n"
                      "---\nx\n"})
    assert build(site, capsys=capsys)[0] == 0
    html = (site / "public/about/index.html").read_text()
    assert "<h1>no</h1>" in html or ">no</h1>" in html
    assert "1.10" in html
    assert (site / "public/tags/012/index.html").is_file()
    assert (site / "public/tags/on/index.html").is_file()


def test_two_concurrent_builds_leave_one_complete_output(site, tmp_path):
    import subprocess
    import sys

    from tests.sitefiles import BUILD_EPOCH, REPO
    env = {"SOURCE_DATE_EPOCH": BUILD_EPOCH, "PATH": "/usr/bin:/bin"}
    builds = [subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site",
                                str(site)], env=env, stderr=subprocess.PIPE, text=True)
              for _ in range(4)]
    for process in builds:
        assert process.wait(timeout=120) == 0, process.stderr.read()
    reference = tmp_path / "reference"
    assert run_cli("build", "--site", str(site), "--out", str(reference)).returncode == 0
    assert tree(site / "public") == tree(reference)
    assert not list(site.glob(".public.staging-*")) and not list(site.glob(".public.old-*"))


def test_aligned_table_columns_use_classes_not_styles(site, capsys):
    write_site(site, {"content/about.md": "---\ntitle: About\n---\n| a | b | c |\n"
                      "|:--|:-:|--:|\n| 1 | 2 | 3 |\n"})
    assert build(site, capsys=capsys)[0] == 0
    html = (site / "public/about/index.html").read_text()
    assert '<td class="align-left">1</td>' in html
    assert '<td class="align-center">2</td>' in html
    assert '<th class="align-right">c</th>' in html
    assert "style=" not in html


def test_a_table_scrolls_in_a_region_a_keyboard_reaches_named_after_its_heading(
        site, capsys):
    # At 390 px a wide table scrolls sideways; a scrolling box that takes no focus
    # hides its columns from keyboard users (axe: scrollable-region-focusable).
    write_site(site, {"content/about.md": "---\ntitle: About\n---\n## Our *bodies*\n\n"
                      "| Body | Role |\n| --- | --- |\n| Board | Steers |\n\n"
                      "> | Lone | Table |\n> | --- | --- |\n> | 1 | 2 |\n"})
    assert build(site, capsys=capsys)[0] == 0
    html = (site / "public/about/index.html").read_text()
    assert ('<div aria-label="Our bodies" class="table-scroll" role="region" tabindex="0">\n'
            "<table>") in html
    assert html.count('class="table-scroll"') == 2
    assert '<blockquote>\n<div aria-label="Our bodies"' in html, "the heading above it"
    assert html.count("</table>\n</div>") == 2


def test_raw_html_gets_no_role_or_tab_stop_but_a_scrolling_regions(site, capsys):
    write_site(site, {"content/about.md": "---\ntitle: About\n---\nText\n\n"
                      '<div role="button" tabindex="3" aria-label="Go">x</div>\n\n'
                      '<div role="region" tabindex="0" aria-label="Wide">y</div>\n'})
    assert build(site, capsys=capsys)[0] == 0
    html = (site / "public/about/index.html").read_text()
    assert '<div aria-label="Go">x</div>' in html
    assert '<div role="region" tabindex="0" aria-label="Wide">y</div>' in html


def test_an_unsafe_srcset_in_raw_html_is_removed_with_a_warning(site, capsys):
    write_site(site, {"content/about.md": "---\ntitle: About\n---\nText\n\n"
                      '<p><img alt="x" srcset="javascript:alert(1) 1x, /a.png 2x"></p>\n'})
    status, err = build(site, capsys=capsys)
    assert status == 0
    assert ("content/about.md:6: warning: removed a javascript: URL in the srcset of <img> "
            "from raw HTML") in err
    assert "javascript:" not in (site / "public/about/index.html").read_text()
