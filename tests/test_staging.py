"""The writer's Staging: a new output written file by file beside the old, then swapped in.

A build hands each page over as it is rendered; Staging holds up to a budget of
bytes (written later, while Pagefind indexes) and writes the oldest at once
beyond it, so memory stays bounded. The output is all or nothing either way.
"""

from __future__ import annotations

from pathlib import Path

from wgsite.writer import Staging


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()}


def _staged(staging: Staging) -> set[str]:
    return {p.relative_to(staging.folder).as_posix()
            for p in staging.folder.rglob("*") if p.is_file()}


PAGES = {f"news/post-{n}/index.html": f"<p>post {n}</p>".encode() * 4 for n in range(6)}


def test_beyond_the_budget_pages_are_written_as_they_come_and_the_output_is_whole(tmp_path):
    out = tmp_path / "public"
    staging = Staging(out, hold=110)  # each page is 52 bytes: two fit
    for relative, data in PAGES.items():
        staging.add(relative, data)
    assert len(_staged(staging)) == len(PAGES) - 2, "all but the two newest already written"
    assert not out.exists(), "nothing is in place before the commit"
    written = staging.commit()
    assert _tree(out) == PAGES
    assert written.files == len(PAGES) and written.bytes == sum(map(len, PAGES.values()))


def test_under_the_budget_pages_wait_for_flush(tmp_path):
    staging = Staging(tmp_path / "public")
    for relative, data in PAGES.items():
        staging.add(relative, data)
    assert _staged(staging) == set()
    staging.flush()
    assert _staged(staging) == set(PAGES)
    staging.commit()
    assert _tree(tmp_path / "public") == PAGES


def test_a_discarded_staging_leaves_the_previous_output_and_unchanged_files_are_linked(
        tmp_path):
    out = tmp_path / "public"
    first = Staging(out, hold=0)
    for relative, data in PAGES.items():
        first.add(relative, data)
    first.commit()
    inode = (out / "news/post-0/index.html").stat().st_ino

    failed = Staging(out, hold=0)
    failed.add("news/post-0/index.html", b"half a build")
    failed.discard()
    assert _tree(out) == PAGES
    assert not list(tmp_path.glob(".public.staging-*"))

    again = Staging(out, hold=0)
    for relative, data in {**PAGES, "news/post-5/index.html": b"edited"}.items():
        again.add(relative, data)
    written = again.commit()
    assert written.files == 1, "only the edited page is written anew"
    assert (out / "news/post-0/index.html").stat().st_ino == inode, "the others are linked"
    assert (out / "news/post-5/index.html").read_bytes() == b"edited"


def test_the_same_files_again_leave_the_output_folder_alone(tmp_path):
    out = tmp_path / "public"
    for _ in range(2):
        staging = Staging(out)
        for relative, data in PAGES.items():
            staging.add(relative, data)
        written = staging.commit()
    assert written.files == 0
    assert _tree(out) == PAGES
