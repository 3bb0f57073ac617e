"""The folder of pages that the search indexer reads, kept from build to build.

Pagefind indexes a folder of HTML files. Laying out every indexed page there
anew costs a folder and a file per page (about 0.4 s at 1,000 posts, 1.2 s at
4,000), while an edit changes a few; so the folder is kept, and each build
rewrites only the pages that differ.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: builds do not take turns at a kept folder of pages
    fcntl = None  # type: ignore[assignment]


class SearchLayout:
    """A folder of pages laid out for Pagefind, brought up to date build after build.

    Pagefind's index is a pure function of the pages in the folder it reads (not
    of their order or time stamps), so the folder is kept between builds: in
    the site's cache (`kept`), or for a process's life in the system's
    temporary folder. Each build writes only the pages whose markup differs from
    what the folder holds, and `end` removes the pages the build did not add.
    A page this object wrote is known by its SHA-256 (and trusted while a file
    of its size is there); a page it found in a kept folder is read and
    compared once, so a folder restored by CI (every time
    stamp new), or left by a build that was killed while writing, is brought up
    to date as well as a fresh one. One build uses a kept folder at a time (a
    lock beside its pages); the next one meanwhile lays its pages out afresh.
    """

    def __init__(self, folder: Path | None = None, lock: Any = None) -> None:
        """Use `kept` for a kept folder; without `folder`, a temporary one of its own."""
        self._folder = tempfile.TemporaryDirectory(prefix="wgsite-search-") \
            if folder is None else None
        self.root = Path(self._folder.name) if self._folder is not None else folder
        self._lock = lock
        self._site = self.root / "site"
        # output file -> SHA-256 of the markup it holds; None: found there, not yet read
        self._held: dict[str, str | None] = {}
        self._added: set[str] = set()
        self._folders: set[str] = set()
        if folder is not None:
            self._held, self._folders = _pages_under(str(self._site))

    @classmethod
    def kept(cls, folder: Path) -> "SearchLayout | None":
        """The folder kept at `folder`, or None while another build uses it."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            lock = open(folder / ".lock", "a")
        except OSError:
            return None
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # another build's
                lock.close()
                return None
        return cls(folder, lock)

    def begin(self) -> None:
        """A build starts laying out its pages."""
        self._added = set()

    def add(self, output: str, markup: bytes, digest: str) -> None:
        self._added.add(output)
        held = self._held.get(output, "")
        target = os.path.join(self._site, output)
        if held == digest and _size(target) == len(markup):
            return  # as written here, and still there (the cache may be deleted at will)
        if held is None and _holds(target, markup):
            self._held[output] = digest
            return
        self._held.pop(output, None)  # until it is written whole
        parent = os.path.dirname(target)
        if parent not in self._folders or not os.path.isdir(parent):
            os.makedirs(parent, exist_ok=True)
            self._folders.add(parent)
        with open(target, "wb") as file:
            file.write(markup)
        self._held[output] = digest

    def end(self) -> Path:
        """Remove the pages this build did not add; the folder of pages, for Pagefind."""
        self._site.mkdir(parents=True, exist_ok=True)
        for output in [output for output in self._held if output not in self._added]:
            del self._held[output]
            target = os.path.join(self._site, output)
            with suppress(FileNotFoundError):
                os.unlink(target)
            # and its folders, once empty: a later page may be a file where one stood
            parent = os.path.dirname(target)
            while parent != str(self._site) and parent.startswith(str(self._site)):
                try:
                    os.rmdir(parent)
                except OSError:
                    break
                self._folders.discard(parent)
                parent = os.path.dirname(parent)
        return self._site

    def release(self) -> None:
        """Let the next build use a kept folder (this object must not be used again)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def cleanup(self) -> None:
        """Remove a temporary folder; a kept one stays for the next build."""
        self._held, self._folders = {}, set()
        if self._folder is not None:
            self._folder.cleanup()
        else:
            self.release()


def _pages_under(site: str) -> tuple[dict[str, str | None], set[str]]:
    """The files under a kept folder of pages (not yet read) and its folders; a file
    of another kind (a symbolic link) is removed, since Pagefind would follow it."""
    files: dict[str, str | None] = {}
    folders: set[str] = set()
    pending = [site]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        folders.add(folder)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                files[os.path.relpath(entry.path, site).replace(os.sep, "/")] = None
            else:
                with suppress(OSError):
                    os.unlink(entry.path)
    return files, folders


def _size(path: str) -> int:
    """The size of the file at `path`; -1 when there is none."""
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def _holds(path: str, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data`."""
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as file:
            return file.read() == data
    except OSError:
        return False
