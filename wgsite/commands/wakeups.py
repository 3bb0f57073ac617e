"""Early wake-ups for serve's source watcher, from Linux's inotify.

serve polls the sources every 50 ms or more (a fifth of a core at most goes to
scanning the tree), then once more after the save has settled: at 1,000 posts
a save was seen a median 93 to 96 ms after it, more than the 100 ms rebuild
that follows took. The kernel can say when a file in a folder changes: the
watcher then polls at once, and the same saves were seen after 42 to 45 ms. The polls still decide what changed (inotify misses changes on some
network and container file systems, and says nothing of a folder not yet
watched), so this only ends a wait early. Where inotify is not at hand
(another system, the limit of watches reached) there are no wake-ups, and
polling alone serves, as before. ctypes and libc: no dependency.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import struct
import sys
from typing import Iterable

# What changes a folder's files: written, closed after writing, attributes, created,
# deleted, moved in or out, the folder itself deleted or moved (inotify(7)).
_MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800
_NONBLOCK, _CLOEXEC = 0o4000, 0o2000000
_IGNORED = 0x8000  # the watch is gone: its folder was deleted, moved away or unmounted
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, length of the name after it


class Wakeups:
    """An inotify instance watching some folders (not their subfolders: `watch` names
    each); `fileno()` is readable when something changed in one, `drain()` clears it."""

    def __init__(self) -> None:
        self._libc = None
        self._fd: int | None = None
        self._watched: dict[str, int] = {}  # folder -> its watch descriptor
        self._full = False  # the system's limit of watches was reached
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop that reads the events
        if not sys.platform.startswith("linux"):
            return
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            fd = libc.inotify_init1(_NONBLOCK | _CLOEXEC)
        except (OSError, AttributeError):
            return
        if fd >= 0:
            self._libc, self._fd = libc, fd

    def fileno(self) -> int | None:
        return self._fd

    def attach(self, loop: asyncio.AbstractEventLoop) -> asyncio.Event:
        """An event that `loop` sets whenever a watched folder changed (never, without
        inotify); `close` detaches it."""
        woken = asyncio.Event()
        if self._fd is not None:
            loop.add_reader(self._fd, lambda: self.drain() and woken.set())
            self._loop = loop
        return woken

    def watch(self, folders: Iterable[str]) -> None:
        """Watch these folders too (those watched already stay; the kernel drops a
        folder's watch when the folder goes)."""
        if self._fd is None or self._full:
            return
        for folder in folders:
            if folder in self._watched:
                continue
            wd = self._libc.inotify_add_watch(self._fd, os.fsencode(folder), _MASK)
            if wd < 0:
                if ctypes.get_errno() == 28:  # ENOSPC: no watches left; polling sees it
                    self._full = True
                    return
                continue  # gone meanwhile, or not readable: polling sees it
            self._watched[folder] = wd

    def drain(self) -> bool:
        """Read the events waiting, if any; whether there were."""
        if self._fd is None:
            return False
        seen = False
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except OSError:  # BlockingIOError: none left
                return seen
            if not chunk:
                return seen
            seen = True
            self._forget(chunk)

    def _forget(self, chunk: bytes) -> None:
        """Drop the folders whose watch the kernel removed, so that a folder made again
        under the same name is watched again."""
        gone = set()
        at = 0
        while at + _EVENT.size <= len(chunk):
            wd, mask, _, length = _EVENT.unpack_from(chunk, at)
            at += _EVENT.size + length
            if mask & _IGNORED:
                gone.add(wd)
        if gone:
            self._watched = {folder: wd for folder, wd in self._watched.items()
                             if wd not in gone}

    def close(self) -> None:
        if self._fd is not None:
            if self._loop is not None:
                self._loop.remove_reader(self._fd)
                self._loop = None
            os.close(self._fd)
            self._fd = None
