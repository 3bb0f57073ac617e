"""A user's mistake outside the sources (a bad --out or --site, a missing tool, a file
the system refuses) ends as a problem naming the file, with exit 1, never as a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.sitefiles import build, run_cli, write_site

COUNT = "1 error, 0 warnings: the site was not built; the previous output is unchanged."


def test_an_output_folder_that_is_a_file_is_refused_and_kept(site: Path, capsys):
    out = site.parent / "public.txt"
    out.write_text("not a folder")
    status, err = build(site, "--out", str(out), capsys=capsys)
    assert status == 1
    assert f"{out}: error: the output folder is a file; choose another --out" in err
    assert COUNT in err
    assert out.read_text() == "not a folder"


def test_an_output_folder_inside_a_file_is_refused(site: Path):
    blocker = site.parent / "blocker"
    blocker.write_text("x")
    result = run_cli("build", "--site", str(site), "--out", str(blocker / "public"))
    assert result.returncode == 1
    assert (f"{blocker}: error: is a file, so it cannot hold the output folder "
            f"{blocker / 'public'}; choose another --out") in result.stderr
    assert "Traceback" not in result.stderr and "unexpectedly" not in result.stderr


@pytest.mark.parametrize("command", ["build", "check", "docs", "new"])
def test_a_site_option_that_names_a_file_is_refused(tmp_path: Path, command: str):
    target = tmp_path / "site.txt"
    target.write_text("x")
    extra = ["news", "A title"] if command == "new" else []
    result = run_cli(command, *extra, "--site", str(target))
    assert result.returncode == 1
    assert f"{target}: error: is not a folder; --site names the site's folder" in result.stderr


def test_a_site_option_that_names_nothing_is_refused(tmp_path: Path):
    result = run_cli("build", "--site", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert (f"{tmp_path / 'nowhere'}: error: does not exist; --site names the site's folder"
            in result.stderr)


def test_a_missing_pagefind_is_a_problem_not_a_crash(site: Path, capsys, monkeypatch):
    import wgsite.outputs.search as search

    monkeypatch.setattr(search, "get_executable", lambda: None)
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert ("error: Pagefind, which makes the search index, is not installed; run pip "
            "install 'pagefind[bin]' and build again") in err
    assert COUNT in err
    assert "unexpectedly" not in err
    assert not (site / "public").exists()


def test_a_layout_that_does_not_exist_names_the_page_that_asked(site: Path, capsys):
    write_site(site, {"content/about.md": "---\ntitle: About\nlayout: nosuch\n---\nx\n"})
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "error: there is no template 'nosuch'" in err
    assert "content/about.md" in err
    assert "Traceback" not in err and "unexpectedly" not in err


def test_a_source_that_is_a_symlink_loop_is_named(site: Path, capsys):
    (site / "content" / "loop.md").symlink_to("loop.md")
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "content/loop.md: error: cannot read the file: " in err
    assert "unexpectedly" not in err


def test_a_data_file_that_is_a_symlink_loop_is_named(site: Path, capsys):
    (site / "data" / "action_types.yaml").unlink()
    (site / "data" / "action_types.yaml").symlink_to("action_types.yaml")
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "data/action_types.yaml: error:" in err
    assert "unexpectedly" not in err


def test_a_file_the_system_refuses_is_named_relative_to_the_site(site: Path, capsys,
                                                                 monkeypatch):
    import wgsite.writer as writer

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(site / "public" / "index.html"))

    monkeypatch.setattr(writer.tempfile, "mkdtemp", refused)
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert "public/index.html: error: cannot read or write it: Permission denied" in err
    assert "unexpectedly" not in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="permissions do not bind root")
def test_a_site_folder_without_permission_is_named(site: Path):
    (site / "content" / "news").chmod(0)
    try:
        result = run_cli("build", "--site", str(site))
    finally:
        (site / "content" / "news").chmod(0o755)
    assert result.returncode == 1
    assert "content/news" in result.stderr and "Permission denied" in result.stderr
    assert "unexpectedly" not in result.stderr


def test_serve_shows_an_output_folder_that_is_a_file_as_a_problem(site: Path):
    from wgsite.commands.serve import Builder
    from wgsite.folders import SiteFolders
    from wgsite.options import BuildOptions

    out = site.parent / "public.txt"
    out.write_text("not a folder")
    shown = Builder(SiteFolders.at(site, out), BuildOptions(drafts=True))([])
    assert shown == [f"{out}: error: the output folder is a file; choose another --out"]


def test_a_cms_backend_asked_for_without_decap_is_a_warning(site: Path, capsys, monkeypatch):
    import wgsite.outputs.admin as admin

    monkeypatch.setattr(admin, "DECAP", Path("node_modules/no-such-package"))
    status, err = build(site, "--cms-backend", "test-repo", capsys=capsys)
    assert status == 0
    assert ("warning: --cms-backend test-repo: /admin/ has no content manager: Decap CMS is "
            "not installed; run `npm ci --ignore-scripts`") in err
    status, err = build(site, "--cms-backend", "test-repo", "--strict", capsys=capsys)
    assert status == 1


def test_a_base_url_that_cannot_be_read_is_a_problem_with_its_line(site: Path, capsys):
    site_yaml = (site / "data/site.yaml").read_text(encoding="utf-8")
    write_site(site, {"data/site.yaml": site_yaml.replace(
        "base_url: https://test.example.org/", 'base_url: "https://[::1/"')})
    line = site_yaml.splitlines().index("base_url: https://test.example.org/") + 1
    status, err = build(site, capsys=capsys)
    assert status == 1
    assert f"data/site.yaml:{line}: error: 'base_url'" in err
    assert "unexpectedly" not in err


def test_a_base_url_option_that_is_no_web_address_is_refused(site: Path):
    result = run_cli("build", "--site", str(site), "--base-url", "https://[::1/")
    assert result.returncode == 2, "a usage error, as argparse reports every other"
    assert "argument --base-url: 'https://[::1/' is not a web address" in result.stderr
    assert not (site / "public").exists()


def test_serve_names_a_missing_pagefind_when_the_index_comes_later(site: Path, capsys):
    from wgsite.commands.serve import Builder
    from wgsite.folders import SiteFolders
    from wgsite.options import BuildOptions
    from wgsite.problems import BuildFailed

    def index() -> None:
        raise BuildFailed.one("", "Pagefind, which makes the search index, is not installed")

    builder = Builder(SiteFolders.at(site), BuildOptions(drafts=True), pending=index)
    builder.finish()
    assert capsys.readouterr().err == ("error: Pagefind, which makes the search index, is not "
                                       "installed (the search index was not updated)\n")
