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
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Iterator

from wgsite.assets import Assets

try:
    import fcntl
except ImportError:  # Windows: builds of one folder are not serialised
    fcntl = None  # type: ignore[assignment]


class UnsafeOutput(Exception):
    """The output would overwrite the site's sources or leave the output folder."""


SOURCE_FOLDERS = ("content", "data", "layouts", "assets")


def check_output_folder(out: Path, *roots: Path) -> None:
    """Refuse an output folder that is, or holds, the sources of the site or the theme."""
    out = out.resolve()
    for root in (r.resolve() for r in roots):
        folders = [root / name for name in SOURCE_FOLDERS]
        if out == root or root.is_relative_to(out) or any(out.is_relative_to(f) for f in folders):
            raise UnsafeOutput(f"the output folder {out} would overwrite the sources in "
                               f"{root}; choose another --out")


def _inside(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if (not relative or path.is_absolute() or ".." in path.parts or "\\" in relative
            or "\x00" in relative or ":" in path.parts[0]):
        raise UnsafeOutput(f"refusing to write {relative!r} outside the output folder")
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


def write_site(out: Path, files: dict[str, bytes], assets: Assets) -> None:
    """Replace `out` with exactly `files` plus the assets, all or nothing."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with _turn(out):
        _remove_leftovers(out)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
        try:
            for relative, data in sorted(files.items()):
                target = staging / _inside(relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            for asset in assets.by_path.values():
                target = staging / _inside(asset.output)
                target.parent.mkdir(parents=True, exist_ok=True)
                if asset.data is not None:  # made by the build (css/colours.css)
                    target.write_bytes(asset.data)
                else:
                    shutil.copyfile(asset.source, target)
            os.chmod(staging, 0o755)
            retired = _swap(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)


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
