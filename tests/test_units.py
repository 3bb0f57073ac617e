"""Unit tests of the small pure functions that the stages share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wgsite import writer
from wgsite.writer import write_atomically


def test_write_atomically_replaces_a_file_whole_and_leaves_nothing_beside_it(tmp_path: Path):
    target = tmp_path / "deep" / "er" / "file.json"
    write_atomically(target, b"first")
    write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    source = tmp_path / "source.bin"
    source.write_bytes(b"copied")
    write_atomically(target, source)
    assert target.read_bytes() == b"copied"
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.json"]


def test_write_atomically_follows_the_umask_like_any_written_file(tmp_path: Path):
    plain = tmp_path / "plain"
    plain.write_bytes(b"x")
    write_atomically(tmp_path / "atomic", b"x")
    assert (tmp_path / "atomic").stat().st_mode == plain.stat().st_mode


def test_a_write_that_fails_keeps_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch):
    target = tmp_path / "file"
    target.write_bytes(b"old")

    def refused(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", refused)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["file"]


def test_a_write_under_a_file_raises_os_error(tmp_path: Path):
    (tmp_path / "file").write_bytes(b"x")
    with pytest.raises(OSError):
        write_atomically(tmp_path / "file" / "inside", b"y")
