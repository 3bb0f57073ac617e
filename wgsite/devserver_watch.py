"""Which sources changed, for `serve`: mtimes polled with os.scandir, bursts coalesced.

Polling needs no dependency and sees every kind of save (in place, by rename,
over a network share). A burst of saves (an editor writing a swap file, a
`git checkout`) settles into one change set once the tree has stopped moving.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from wgsite.folders import SiteFolders

# The folders a build reads: the site's, and the theme's that fill its gaps.
SITE_FOLDERS = ("content", "data", "layouts", "assets")
THEME_FOLDERS = ("data", "layouts", "assets")

Snapshot = dict[str, tuple[int, int, int]]


def is_editor_temp(name: str) -> bool:
    """Swap, backup and lock files that editors write beside the file being edited."""
    return name.endswith(("~", ".swp", ".swo", ".swx")) or name.startswith(".#")


def watched_folders(folders: SiteFolders) -> list[Path]:
    """The source folders of the site and, when it is another folder, of the theme."""
    roots = [folders.root / name for name in SITE_FOLDERS]
    if folders.theme.resolve() != folders.root.resolve():
        roots += [folders.theme / name for name in THEME_FOLDERS]
    return roots


def snapshot(roots: Iterable[Path], ignored: Iterable[Path]) -> Snapshot:
    """Every file under `roots` (path -> mtime, size, inode), skipping `ignored` folders."""
    skip = {os.path.realpath(path) for path in ignored}
    files: Snapshot = {}
    visited: set[str] = set()
    pending = [str(root) for root in roots]
    while pending:
        folder = pending.pop()
        real = os.path.realpath(folder)
        if real in skip or real in visited:  # visited: a symlink loop
            continue
        visited.add(real)
        try:
            entries = list(os.scandir(folder))
        except OSError:  # absent, or removed while we looked
            continue
        for entry in entries:
            if is_editor_temp(entry.name):
                continue
            try:
                if entry.is_dir():
                    pending.append(entry.path)
                    continue
                stat = entry.stat()
            except OSError:
                continue
            files[entry.path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return files


class SourceWatcher:
    """Reports the files changed since the last report, once the tree is quiet.

    Call `poll` every interval: a poll that finds the tree as the previous poll
    left it, but different from the last report, reports. So a burst of saves
    closer together than one interval ends in one report.
    """

    def __init__(self, roots: list[Path], ignored: list[Path]):
        self.roots, self.ignored = roots, ignored
        self._reported = self._latest = snapshot(roots, ignored)

    def poll(self) -> list[str]:
        """The changed (added, edited, removed) paths once settled, else []."""
        now = snapshot(self.roots, self.ignored)
        if now != self._latest:
            self._latest = now
            return []
        if now == self._reported:
            return []
        before, self._reported = self._reported, now
        return sorted(path for path in before.keys() | now.keys()
                      if before.get(path) != now.get(path))
