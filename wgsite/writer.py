"""Writing the output: all of it into a staging folder beside it, then one swap.

A build that fails or is interrupted leaves the previous output exactly as it
was; readers and the dev server never see a half-written site. Builds of one
output folder take turns (a lock file beside it), and a staging folder left by
a killed build is removed by the next one. Nothing is written outside the
output folder: every path is checked before it is joined.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import filecmp
import os
import shutil
import tempfile
import threading
from collections import deque
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator, NamedTuple, Protocol

from wgsite.folders import SITE_FOLDERS
from wgsite.problems import BuildFailed

try:
    import fcntl
except ImportError:  # Windows: builds of one folder are not serialised
    fcntl = None  # type: ignore[assignment]


class UnsafeOutput(BuildFailed):
    """The output would overwrite the site's sources or a file, or leave the output folder."""


def write_atomically(path: Path, data: bytes | Path) -> None:
    """Make `path` hold `data` (bytes, or a file to copy), whole or not at all.

    The bytes go into a file beside it, which is then renamed over it: a reader,
    or the next build after this one was killed, never sees half a file. The
    temporary name is this process's and thread's own, so two builds never share
    one. Raises OSError, having left nothing behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        if isinstance(data, Path):
            shutil.copyfile(data, temporary)
        else:
            temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def check_output_folder(out: Path, *roots: Path) -> None:
    """Refuse an output folder that is, or holds, the sources of the site or the theme,
    or that is a file, or lies inside one."""
    out = out.resolve()
    for root in (r.resolve() for r in roots):
        folders = [root / name for name in SITE_FOLDERS]
        if out == root or root.is_relative_to(out) or any(out.is_relative_to(f) for f in folders):
            raise UnsafeOutput.one(out, "the output folder would overwrite the sources in "
                                   f"{root}; choose another --out")
    for place in (out, *out.parents):
        if place.exists():
            if place == out and not place.is_dir():
                raise UnsafeOutput.one(place, "the output folder is a file; choose another "
                                       "--out")
            if not place.is_dir():
                raise UnsafeOutput.one(place, "is a file, so it cannot hold the output "
                                       f"folder {out}; choose another --out")
            return


def _checked(relative: str) -> str:
    """`relative` as _inside gives it back, as a string; a plain path (news/x/index.html:
    no empty, . or .. part, no backslash) is its own answer without pathlib's cost."""
    if (relative and "\\" not in relative and "\x00" not in relative
            and not relative.startswith("/") and not relative.endswith("/")):
        parts = relative.split("/")
        if ":" not in parts[0] and not any(part in ("", ".", "..") for part in parts):
            return relative
    return str(_inside(relative))


def _inside(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if (not relative or path.is_absolute() or ".." in path.parts or "\\" in relative
            or "\x00" in relative or ":" in path.parts[0]):
        raise UnsafeOutput.one("", f"refusing to write {relative!r} outside the output folder")
    return path


@contextmanager
def _turn(out: Path) -> Iterator[None]:
    """Hold the output folder's lock: one build writes it at a time."""
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _remove_leftovers(out: Path) -> None:
    """Staging and retired folders of builds that were killed before they cleaned up."""
    for prefix in (f".{out.name}.staging-", f".{out.name}.old-"):
        for leftover in out.parent.glob(prefix + "*"):
            shutil.rmtree(leftover, ignore_errors=True)


class Written(NamedTuple):
    """What a write changed: files written anew and their bytes (linked ones are not)."""

    files: int
    bytes: int


class Copied(Protocol):
    """A file published as it is, or as made in memory (an asset: wgsite.markup.assets)."""

    output: str  # its path in the output folder
    source: Path
    data: bytes | None  # its bytes when made by the build, else None: copy `source`


def write_site(out: Path, files: dict[str, bytes], assets: Iterable[Copied]) -> Written:
    """Replace `out` with exactly `files` plus the assets, all or nothing: a Staging
    given them all at once. Returns how many files were written anew, and their size."""
    staging = Staging(out, hold=0)
    try:
        for relative, data in files.items():
            staging.add(relative, data)
        for asset in assets:
            staging.add(asset.output, asset.data if asset.data is not None else asset.source)
        return staging.commit()
    except BaseException:
        staging.discard()
        raise


class Known(Protocol):
    """What a long-lived process knows it wrote (wgsite.incremental.session.Session)."""

    def unchanged(self, out: Path | str, relative: str, data: bytes) -> bool: ...

    def holds(self, relative: str, data: bytes) -> bool: ...

    def wrote(self, out: Path, relative: str, data: bytes) -> None: ...

    def paths(self, out: Path) -> frozenset[str] | None: ...

    def left(self, out: Path, paths: Iterable[str] | None) -> None: ...


# Pages a build holds before it starts writing them as they come: below this, they are
# written while Pagefind indexes (in another process), above it the oldest are written
# at once, so memory stays bounded whatever the size of the site.
HOLD_BYTES = 64 * 2**20


class Staging:
    """A new output folder written beside the old one file by file; `commit` swaps it in.

    What `write_site` does, for files that come one at a time: a build hands
    each page over as soon as it is rendered. Up to `hold` bytes of them wait
    in memory, to be written by `flush` while the search indexer works, since
    creating thousands of files and folders takes a while; beyond that the
    oldest are written at once, so a build never holds more. A file whose
    bytes the output already holds is linked, not written again, so it keeps
    its modification time: the dev server's reload and rsync see only real
    changes; when nothing changed at all, the output is left alone. The output
    folder's lock is held from the start to the commit or the discard; until
    the commit, the previous output stays whole.
    """

    def __init__(self, out: Path, hold: int = HOLD_BYTES):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self._turn = _turn(out)
        self._turn.__enter__()
        try:
            _remove_leftovers(out)
            self.folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-",
                                                dir=out.parent))
        except BaseException:
            self._turn.__exit__(None, None, None)
            raise
        self._paths: set[str] = set()
        self._made: set[str] = set()
        self._hold, self._held, self._held_bytes = hold, deque(), 0
        self._previous = out.is_dir()  # a first build has nothing to compare with
        self._done = False
        self.written = Written(0, 0)

    @property
    def paths(self) -> frozenset[str]:
        """Every path the new output holds (once committed)."""
        return frozenset(self._paths)

    def add(self, relative: str, data: bytes | Path) -> None:
        """One file of the new output (bytes, or a file to copy); a path given twice
        holds what it was given last."""
        path = _checked(relative)
        size = len(data) if isinstance(data, bytes) else self._hold + 1
        while self._held and self._held_bytes + size > self._hold:
            self._write(*self._held.popleft())
        if size <= self._hold:
            self._held.append((path, data))
            self._held_bytes += size
        else:
            self._write(path, data)

    def flush(self) -> None:
        """Write every file still held."""
        while self._held:
            self._write(*self._held.popleft())

    def _write(self, path: str, data: bytes | Path) -> None:
        """Plain strings, not paths: this runs for every page, and pathlib's own cost
        would be a good part of it."""
        if isinstance(data, bytes):
            self._held_bytes -= len(data)
        target = os.path.join(self.folder, path)
        parent = os.path.dirname(path)
        if parent not in self._made:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            self._made.add(parent)
        if path in self._paths:
            os.unlink(target)
        self._paths.add(path)
        if self._previous:
            previous = os.path.join(self.out, path)
            if _same(Path(previous), data) and _link(Path(previous), Path(target)):
                return
        if isinstance(data, Path):
            shutil.copyfile(data, target)
        else:
            with open(target, "wb") as file:
                file.write(data)
        self.written = Written(self.written.files + 1, self.written.bytes + _size(data))

    def commit(self) -> Written:
        """Put the new output in place of the old, unless it is the same file for file;
        returns what was written anew."""
        try:
            self.flush()
            if (self._previous and self.written.files == 0
                    and _files_in(self.out) == len(self._paths)):
                shutil.rmtree(self.folder, ignore_errors=True)
                return self.written
            os.chmod(self.folder, 0o755)
            retired = _swap(self.folder, self.out)
            if retired is not None:
                shutil.rmtree(retired, ignore_errors=True)
            return self.written
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        finally:
            self._release()

    def discard(self) -> None:
        """Leave the previous output as it was (the build failed or was interrupted)."""
        if not self._done:
            shutil.rmtree(self.folder, ignore_errors=True)
            self._release()

    def _release(self) -> None:
        if not self._done:
            self._done = True
            self._turn.__exit__(None, None, None)


def update_site(out: Path, files: dict[str, bytes], assets: Iterable[Copied],
                known: Known | None = None) -> Written | None:
    """Make `out` exactly `files` plus the assets by changing only what differs.

    For the dev server's rebuilds, where an edit changes a few files of
    thousands: rebuilding the whole tree in a staging folder costs a folder
    and a link per page. Each changed file is replaced whole (written beside
    it, then renamed over it), so a reader never sees half a file, though it
    may see the output halfway between two builds. `known` remembers what it
    wrote, so a page it wrote and nobody touched since is not read again to be
    compared. Returns how many files were written and their size, or None,
    having changed nothing, when the output is not a plain tree of folders and
    files (a symbolic link, say): then `write_site`.
    """
    # plain strings, not paths: for thousands of files, pathlib's own cost is most of it
    plan: dict[str, bytes | Path] = {}
    for relative, data in files.items():
        plan[_checked(relative)] = data
    for asset in assets:
        plan[_checked(asset.output)] = asset.data if asset.data is not None \
            else asset.source
    if known is not None:
        known.left(out, None)  # until every file is confirmed again (see write_changed)
    with _turn(out):
        _remove_leftovers(out)
        found = _tree(str(out))
        if found is None:
            return None  # only write_site replaces what is not ours
        present, folders = found
        needed = {parent for path in plan for parent in _parents(path)}
        if any(path in folders for path in plan) or needed & present:
            return None  # a file where a folder must go, or the other way round
        written = size = 0
        where = os.path.join(os.fspath(out), "")  # out/, joined to each path as a string
        for path in sorted(plan):
            data = plan[path]
            remembered = known is not None and isinstance(data, bytes)
            if path in present:
                if remembered and known.unchanged(where, path, data):  # type: ignore[union-attr]
                    continue
                target = out / path
                if _same(target, data):
                    if remembered:
                        known.wrote(out, path, data)  # type: ignore[union-attr]
                    continue
            write_atomically(out / path, data)
            if remembered:
                known.wrote(out, path, data)  # type: ignore[union-attr]
            written += 1
            size += _size(data)
        for path in present - plan.keys():
            os.unlink(os.path.join(out, path))
        for folder in sorted(folders - needed, key=lambda f: f.count("/"), reverse=True):
            shutil.rmtree(os.path.join(out, folder), ignore_errors=True)
    if known is not None:
        known.left(out, plan)
    return Written(written, size)


def write_changed(out: Path, files: dict[str, bytes], assets: Iterable[Copied],
                  known: Known) -> Written | None:
    """Write the files whose bytes are not those `known` last wrote to `out`, trusting the
    output to be as `known` left it; None, having written nothing, when the paths are not
    those it left there (a page added or removed): then `update_site`.

    For the dev server's first write after an edit, while the editor waits for the
    reload: `update_site` also walks the output and looks at each file on disk, a good
    third of a rebuild of a thousand pages. The dev server runs `update_site` once the
    search index is made, so a file changed or removed by hand in the output is mended
    then, a moment after the reload rather than before it.
    """
    plan: dict[str, bytes | Path] = dict(files)
    for asset in assets:
        plan[asset.output] = asset.data if asset.data is not None else asset.source
    if known.paths(out) != plan.keys():  # paths as `update_site` checked them, or others
        return None
    written = size = 0
    with _turn(out):
        for path, data in plan.items():
            if isinstance(data, bytes):
                if known.holds(path, data):
                    continue
            elif _same(out / path, data):  # a file copied as it is: compared on disk
                continue
            write_atomically(out / path, data)
            if isinstance(data, bytes):
                known.wrote(out, path, data)
            written += 1
            size += _size(data)
    return Written(written, size)


def _tree(out: str) -> tuple[set[str], set[str]] | None:
    """The files and the folders under `out` (relative, with /), or None when anything
    there is neither (a symbolic link, a socket)."""
    files: set[str] = set()
    folders: set[str] = set()
    pending = [("", out)]
    while pending:
        relative, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = f"{relative}{entry.name}"
                if entry.is_symlink():
                    return None
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    pending.append((name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files.add(name)
                else:
                    return None
    return files, folders


def _parents(path: str) -> Iterator[str]:
    """news/x/index.html -> news/x, news."""
    while "/" in path:
        path = path.rsplit("/", 1)[0]
        yield path


def _size(data: bytes | Path) -> int:
    return data.stat().st_size if isinstance(data, Path) else len(data)


def _same(previous: Path, data: bytes | Path) -> bool:
    """Whether the output already holds exactly these bytes at this path."""
    try:
        if previous.is_symlink() or not previous.is_file():
            return False
        if isinstance(data, Path):
            return filecmp.cmp(previous, data, shallow=False)
        return previous.stat().st_size == len(data) and previous.read_bytes() == data
    except OSError:
        return False


def _files_in(folder: Path) -> int:
    """How many entries of any kind but folders `folder` holds, at any depth."""
    count = 0
    for parent, folders, names in os.walk(folder):
        count += len(names) + sum(os.path.islink(os.path.join(parent, f)) for f in folders)
    return count


def _link(previous: Path, target: Path) -> bool:
    """The unchanged file into the new output, keeping its inode and time stamps."""
    try:
        os.link(previous, target, follow_symlinks=False)
        return True
    except OSError:  # a file system without hard links
        try:
            shutil.copy2(previous, target)
            return True
        except OSError:
            return False


def _swap(staging: Path, out: Path) -> Path | None:
    """Put staging in place of out; returns the old output's new name, to delete."""
    if not out.exists():
        staging.rename(out)
        return None
    if _exchange(staging, out):
        return staging  # staging now holds the old output
    retired = staging.with_name(staging.name.replace(".staging-", ".old-"))
    out.rename(retired)
    try:
        staging.rename(out)
    except BaseException:
        retired.rename(out)
        raise
    return retired


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step where the system can (Linux renameat2)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
