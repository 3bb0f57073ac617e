"""The record of the last build, so that a build with nothing to do does nothing.

A build is a pure function of its inputs: the bytes of every file under the
folders it reads (the site's and the theme's), wgsite's own code and the
libraries that shape output (cache.ENGINE), its options, and the time, which
it sees only through a Clock. After each successful build the manifest keeps
a digest of those inputs, the span of time the build's output holds for, the
state of every output file (size, time stamp, inode), and what the build
reported. The next build hashes its inputs first, before reading anything
else: if they are the same, the clock is inside that span and the output is
exactly as left, the output is already the one a full build would write, and
the build only repeats its report. Any doubt (a changed or added file, a file
touched in public/, a corrupt manifest) means a full build.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wgsite.content import history
from wgsite.incremental.cache import ENGINE
from wgsite.clock import Clock
from wgsite.folders import SiteFolders
from wgsite.problems import Problem, Problems
from wgsite.writer import write_atomically

_VERSION = 1
# The npm packages a build copies from, named by their package.json (which holds
# the version): installing or upgrading one changes /admin/.
NPM_INPUTS = ("node_modules/decap-cms/package.json", "node_modules/js-yaml/package.json")


# A file's digest, as a long-lived process remembers it: by path, then by its stat
# (modification and change times, size, inode), which no write leaves as it was.
Digests = dict[str, tuple[tuple[int, int, int, int], bytes]]


def input_digest(folders: SiteFolders, options: Any, known: Digests | None = None
                 ) -> tuple[str, int]:
    """A hash of everything a build reads, and how many files that is. `known`: the digest
    of each file as an earlier call found it, taken again while the file's stat is the
    same (serve's; it is brought up to date)."""
    digest = hashlib.sha256()
    settings = [ENGINE, sys.version, options.drafts, options.base_url, options.preview,
                options.strict, options.cms_backend,
                history.state(folders.root)]  # the commit dates calendars and sitemap read
    digest.update(json.dumps(settings, default=str).encode() + b"\0")
    digest.update(npm_state(folders))
    skip = {os.path.realpath(folders.out), os.path.realpath(folders.cache)}
    count = 0
    seen: set[str] = set()
    for number, root in enumerate(folders.sources()):
        for relative, path in _files_under(root, skip):
            digest.update(f"{number}:{relative}\0".encode("utf-8", "surrogateescape"))
            try:
                digest.update(_file_digest(path, known, seen))
            except OSError as exc:  # unreadable: the build will say so; never match
                digest.update(f"unreadable {exc.errno} {os.urandom(8).hex()}".encode())
            count += 1
    if known is not None:
        for path in [path for path in known if path not in seen]:
            del known[path]
    return digest.hexdigest(), count


def npm_state(folders: SiteFolders) -> bytes:
    """The package.json of each npm package /admin/ copies from node_modules, when there."""
    parts = []
    for package in NPM_INPUTS:
        for root in dict.fromkeys((folders.root, folders.theme)):
            try:
                parts.append((root / package).read_bytes())
            except OSError:
                parts.append(b"absent")
            parts.append(b"\0")
    return b"".join(parts)


def _file_digest(path: str, known: Digests | None, seen: set[str]) -> bytes:
    """The SHA-256 of a file's bytes; from `known` while its stat is the one hashed."""
    if known is None:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()
    seen.add(path)
    remembered = known.get(path)
    if remembered is not None:  # a stat without opening the file: most files are as they were
        stat = os.stat(path)
        if remembered[0] == (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino):
            return remembered[1]
    with open(path, "rb") as handle:
        # the stat of the file opened, before its bytes are read: a write after this
        # changes the stat, so the next call reads the file again
        stat = os.fstat(handle.fileno())
        state = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
        value = hashlib.file_digest(handle, "sha256").digest()
    known[path] = (state, value)
    return value


def _files_under(root: Path, skip: set[str]) -> list[tuple[str, str]]:
    """(path relative to root, path) of every file, symlinks followed, in a fixed order."""
    found: list[tuple[str, str]] = []
    visited: set[str] = set()
    for folder, folders, names in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in skip or real in visited:  # the output inside a source, or a loop
            folders[:] = []
            continue
        visited.add(real)
        folders.sort()
        relative = os.path.relpath(folder, root)
        found += [(os.path.join(relative, name), os.path.join(folder, name))
                  for name in sorted(names)]
    return found


def output_state(out: Path) -> dict[str, list[int]]:
    """Every entry of the output: path -> [size, modification time, inode] of a file
    or link, [-1] of a folder (an empty folder added by hand is a change too)."""
    state: dict[str, list[int]] = {}
    for folder, folders, names in os.walk(out):
        for name in folders + names:
            path = os.path.join(folder, name)
            try:
                stat = os.lstat(path)
            except OSError:
                continue
            relative = os.path.relpath(path, out)
            if os.path.isdir(path) and not os.path.islink(path):
                state[relative] = [-1]
            else:
                state[relative] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return state


@dataclass
class Manifest:
    """What the last successful build of one output folder read, made and said."""

    inputs: str
    since: datetime | None
    until: datetime | None
    output: dict[str, list[int]]
    problems: list[Problem]
    result: dict[str, Any]  # pages, files, sources, base_url of the BuildResult

    @staticmethod
    def place(folders: SiteFolders) -> Path:
        return folders.kept_for_output("builds")

    @classmethod
    def load(cls, folders: SiteFolders) -> "Manifest | None":
        """The last build's manifest; None when absent, unreadable or not one of ours."""
        try:
            data = json.loads(cls.place(folders).read_bytes())
            if data.get("version") != _VERSION or data.get("engine") != ENGINE:
                return None
            return cls(
                inputs=str(data["inputs"]),
                since=_moment(data["since"]), until=_moment(data["until"]),
                output={str(k): [int(n) for n in v] for k, v in data["output"].items()},
                problems=[Problem(str(p), None if line is None else int(line), str(m),
                                  str(severity), None if column is None else int(column))
                          for p, line, m, severity, column in data["problems"]],
                result=dict(data["result"]))
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None

    def holds(self, inputs: str, clock: Clock, out: Path) -> bool:
        """Whether a build now, of these inputs, would leave `out` exactly as it is."""
        return (inputs == self.inputs and clock.holds_at(self.since, self.until)
                and output_state(out) == self.output)

    def replay(self, problems: Problems) -> None:
        """Report again what the build reported."""
        problems.items.extend(self.problems)

    def save(self, folders: SiteFolders) -> None:
        """Keep the manifest; one that cannot be written only costs the next build time."""
        data = {"version": _VERSION, "engine": ENGINE, "inputs": self.inputs,
                "since": _iso(self.since), "until": _iso(self.until), "output": self.output,
                "problems": [[p.path, p.line, p.message, p.severity, p.column]
                             for p in self.problems],
                "result": self.result}
        try:
            write_atomically(self.place(folders),
                             json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _moment(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a moment without a time zone")
    return moment
