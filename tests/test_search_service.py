"""serve's search index, kept in a running `pagefind --service` (outputs.search_service).

A rebuild re-adds to that index only the pages whose markup changed; a page
added or removed makes the index anew from the folder of pages. Either way
the published index must be, byte for byte, the one a clean build makes
with Pagefind's command line, and when the service fails the command line
makes it instead.
"""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest

from tests.sitefiles import BUILD_EPOCH, SITE, write_site
from tests.test_languages import BILINGUAL
from tests.test_serve_memory import _clean_build, _tree
from wgsite.commands.serve import Builder
from wgsite.folders import SiteFolders
from wgsite.options import BuildOptions
from wgsite.outputs.search import SearchCancelled, _Indexer
from wgsite.outputs.search_layout import SearchLayout
from wgsite.outputs.search_service import SearchService

NEWS = "content/news/2026-01-10-first-news.md"
THIRD = "content/news/2026-03-10-third-news.md"


def _search_files(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in tree.items() if path.startswith("pagefind/")}


def _index(out: Path) -> dict[str, bytes]:
    return _search_files(_tree(out))


def _clean_index(site: Path, where: Path, options: BuildOptions) -> dict[str, bytes]:
    return _search_files(_clean_build(site, where, options))


def _serve(tmp_path: Path, files: dict, base: str) -> tuple[Path, Builder, BuildOptions]:
    site = write_site(tmp_path / "site", files)
    options = BuildOptions(drafts=True, base_url=base)
    builder = Builder(SiteFolders.at(site), options)
    assert builder([]) == []
    return site, builder, options


def _edit(builder: Builder, site: Path, files: dict[str, str | None]) -> None:
    write_site(site, files)
    assert builder([str(site / name) for name in files]) == []
    builder.finish()


def _service(builder: Builder) -> SearchService:
    service = builder.session._search_service
    assert service is not None, "serve's rebuild made its index without the service"
    return service


@pytest.fixture(autouse=True)
def _epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000/", "http://127.0.0.1:8000/wg/"])
def test_an_edit_re_adds_one_page_and_the_index_is_a_clean_builds(tmp_path, base):
    site, builder, options = _serve(tmp_path, SITE, base)
    try:
        steps = [  # (the edit, how many pages the service re-adds: -1 when it reads the
            # whole folder, None when it is not asked, the cache holding that index)
            ({NEWS: SITE[NEWS].replace("\n---\n", "\n---\nA word: zebrafinch.\n\n", 1)}, -1),
            ({NEWS: SITE[NEWS].replace("\n---\n", "\n---\nA word: kingfisher.\n\n", 1)}, 1),
            ({"content/about.md": SITE["content/about.md"] + "\nMore about us.\n"}, 1),
            ({THIRD: None}, -1),  # a page gone: Pagefind cannot remove one
            ({THIRD: SITE[THIRD] + "\nA word: wren.\n"}, -1),  # new: Pagefind would number
            # the pages otherwise
            ({NEWS: SITE[NEWS].replace("\n---\n", "\n---\nA word: robin.\n\n", 1)}, 1),
            ({NEWS: SITE[NEWS].replace("\n---\n", "\n---\nA word: kingfisher.\n\n", 1),
              THIRD: SITE[THIRD]}, None),  # the site as at step 2, whose index is cached
        ]
        for number, (files, added) in enumerate(steps):
            if builder.session._search_service is not None:
                builder.session._search_service.added = None
            _edit(builder, site, files)
            assert _service(builder).added == added, f"step {number}"
            want = _clean_index(site, tmp_path / "clean", options)
            assert _index(site / "public") == want, f"step {number}: {files}"
    finally:
        builder.session.close()


def test_a_site_in_two_languages_keeps_an_index_per_language(tmp_path):
    site, builder, options = _serve(tmp_path, BILINGUAL, "http://127.0.0.1:8000/")
    french = "content/news/2026-01-10-first-news.fr.md"
    try:
        for word in ("martin-pêcheur", "mésange"):
            _edit(builder, site, {french: BILINGUAL[french] + f"\nUn mot : {word}.\n"})
        assert _service(builder).added == 1
        index = _index(site / "public")
        assert {"en", "fr"} <= {path.split(".")[1].split("_")[0] for path in index
                                if path.endswith(".pf_meta")}
        assert index == _clean_index(site, tmp_path / "clean", options)
    finally:
        builder.session.close()


def test_a_service_that_died_between_edits_is_started_again(tmp_path):
    site, builder, options = _serve(tmp_path, SITE, "http://127.0.0.1:8000/")
    try:
        _edit(builder, site, {NEWS: SITE[NEWS] + "\nOne.\n"})
        service = _service(builder)
        service._process.kill()
        service._process.wait()
        _edit(builder, site, {NEWS: SITE[NEWS] + "\nTwo.\n"})
        assert service.added == -1  # a new service, which read the folder
        assert _index(site / "public") == _clean_index(site, tmp_path / "clean", options)
    finally:
        builder.session.close()


def test_when_the_service_fails_the_command_line_makes_the_index(tmp_path):
    site, builder, options = _serve(tmp_path, SITE, "http://127.0.0.1:8000/")
    builder.session._search_service = SearchService(Path(shutil.which("false") or "false"))
    _edit(builder, site, {NEWS: SITE[NEWS] + "\nA word: nuthatch.\n"})
    index = _index(site / "public")
    assert index == _clean_index(site, tmp_path / "clean", options)
    builder.session.close()


def test_the_session_stops_its_service(tmp_path):
    site, builder, _ = _serve(tmp_path, SITE, "http://127.0.0.1:8000/")
    _edit(builder, site, {NEWS: SITE[NEWS] + "\nOne.\n"})
    process = _service(builder)._process
    assert process is not None and process.poll() is None
    builder.session.close()
    assert process.poll() is not None
    assert builder.session._search_service is None


def test_an_index_cancelled_while_the_service_works_says_so(tmp_path):
    """A newer edit abandons the index being made: its thread gets SearchCancelled, and
    the service starts afresh for the next one."""
    stalled = tmp_path / "stalled"
    stalled.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    stalled.chmod(0o755)
    service = SearchService(stalled)
    indexer = _Indexer("en", SearchLayout(), service)
    indexer.add("news/x/index.html", b"<html lang='en'><main>Words.</main></html>", "d")
    indexer.start()
    failed: list[BaseException] = []

    def finish() -> None:
        try:
            indexer.finish()
        except BaseException as exc:  # noqa: BLE001 - the test looks at it
            failed.append(exc)

    waiting = threading.Thread(target=finish)
    waiting.start()
    for _ in range(3000):  # until the service is being asked (at most 30 s)
        if service._lock.locked() or not waiting.is_alive():
            break
        waiting.join(0.01)
    indexer.cancel()
    waiting.join(30)
    assert not waiting.is_alive()
    assert [type(exc) for exc in failed] == [SearchCancelled]
    assert service._process is None
