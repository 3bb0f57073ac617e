"""The build cache: results of the expensive pure steps, kept between builds.

Each entry is a JSON file under the site's .wgsite-cache/, named by a hash of
everything that decides its value (its inputs and ENGINE, the hash of
wgsite's own code and of the libraries that shape output). An entry is only a
shortcut: one that cannot be read, or does not have the shape its reader
expects, is ignored and made again, never trusted. Nothing in the cache is
code (no pickle), so a foreign file there can do no harm.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from wgsite.writer import write_atomically

_PACKAGE = Path(__file__).resolve().parents[1]  # wgsite/, every subpackage included
# Libraries whose version changes the bytes of what the cached steps make.
_LIBRARIES = ("markdown", "nh3", "jinja2", "markupsafe", "pagefind", "pagefind-bin",
              "babel")  # Babel: its CLDR data writes the dates and numbers


def _engine() -> str:
    """A hash of wgsite's code (and the script it adds to /admin/) and the versions
    of the libraries that shape output."""
    digest = hashlib.sha256()
    for module in sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("*.js")]):
        name = module.relative_to(_PACKAGE).as_posix().encode()
        digest.update(name + b"\0" + module.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


ENGINE = _engine()


def key_of(*parts: Any) -> str:
    """A cache key: the hash of ENGINE and `parts` (JSON-serialisable values)."""
    text = json.dumps([ENGINE, *parts], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Store:
    """One kind of cached result (e.g. "markdown") in its own folder of the cache."""

    def __init__(self, cache: Path, kind: str, deferred: bool = False):
        """`deferred`: `put` keeps each entry in memory until `write`, so that a build
        writes its cache while the search indexer works, not on its way there. (The
        values are those the build holds anyway until its pages are rendered.)"""
        self.folder = cache / kind
        self.used: set[str] = set()  # keys this build read or wrote
        self._deferred = deferred
        self._pending: dict[str, Any] = {}  # stored key -> value, not yet written

    def prune(self, spare: int) -> None:
        """Remove the entries this build did not use, but for the `spare` newest.

        Without it every edit would leave an entry behind for ever. The spare
        ones keep another variant warm: `serve` converts links for its own
        address, so its entries and those of `build` differ.
        """
        try:
            entries = [entry for folder in os.scandir(self.folder) if folder.is_dir()
                       for entry in os.scandir(folder.path)
                       if entry.name.removesuffix(".json") not in self.used]
            entries.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
            for entry in entries[spare:]:
                os.unlink(entry.path)
        except OSError:
            pass

    def keep(self, key: str) -> None:
        """Count the entry under `key` as used by this build (read from memory instead)."""
        self.used.add(key_of(key))

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    # Keys come from wgsite.reuse.content_key; each is stored under key_of(key), which
    # adds ENGINE, so a change to wgsite's code or libraries never reads an old entry.

    def get(self, key: str) -> Any:
        """The value stored under `key`, or None when absent, damaged or not ours.

        An entry is a header line naming its key and the digest of the value's
        bytes, then the value as JSON: a file cut short, changed by one bit or
        copied from another entry does not match its header.
        """
        key = key_of(key)
        if key in self._pending:
            self.used.add(key)
            return self._pending[key]
        try:
            header, _, body = self._path(key).read_bytes().partition(b"\n")
            entry = json.loads(header)
            if (not isinstance(entry, dict) or entry.get("key") != key
                    or entry.get("sha256") != hashlib.sha256(body).hexdigest()):
                return None
            value = json.loads(body)
        except (OSError, ValueError):
            return None
        self.used.add(key)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store `value`; a cache that cannot be written only makes the next build slower."""
        key = key_of(key)
        self.used.add(key)
        if self._deferred:
            self._pending[key] = value
        else:
            self._write(key, value)

    def write(self) -> None:
        """Write the entries `put` kept back (a deferred store's)."""
        pending, self._pending = self._pending, {}
        for key, value in pending.items():
            self._write(key, value)

    def _write(self, key: str, value: Any) -> None:
        path = self._path(key)
        body = json.dumps(value, ensure_ascii=False).encode("utf-8")
        header = json.dumps({"key": key, "sha256": hashlib.sha256(body).hexdigest()})
        try:
            write_atomically(path, header.encode("ascii") + b"\n" + body)
        except OSError:
            pass
