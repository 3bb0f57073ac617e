"""Where a site's sources are, and where the default theme fills the gaps."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# What of assets/ belongs to the theme (and ships in the wheel); in a checkout the
# rest of assets/ is the example site's own, never another site's.
THEME_ASSET_FOLDERS = ("css", "js")
# The folders a build reads: the site's, and the theme's that fill its gaps.
SITE_FOLDERS = ("content", "data", "layouts", "assets")
THEME_FOLDERS = ("data", "layouts", "assets")


def theme_root() -> Path:
    """The default theme: bundled in the wheel, or the repository root in a checkout."""
    bundled = _PACKAGE / "_theme"
    return bundled if bundled.is_dir() else _PACKAGE.parent


@dataclass(frozen=True)
class SiteFolders:
    """The folders of one site; layouts and assets fall back to the theme's."""

    root: Path
    out: Path
    theme: Path

    @classmethod
    def at(cls, root: Path | str, out: Path | str | None = None) -> "SiteFolders":
        root = Path(root).resolve()
        out_path = Path(out).resolve() if out else root / "public"
        return cls(root=root, out=out_path, theme=theme_root())

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def cache(self) -> Path:
        return self.root / ".wgsite-cache"

    def kept_for_output(self, kind: str) -> Path:
        """The cache file of `kind` kept for this output folder: a build into
        public/ and one into --out elsewhere each have their own. An output folder
        inside the site is named by its path relative to the site, so a copy of the
        site in another folder (a CI build of a fresh clone, its cache and public/
        restored) finds the file kept for it."""
        try:
            where = "site:" + self.out.relative_to(self.root).as_posix()
        except ValueError:  # elsewhere: its absolute path (never starts with "site:")
            where = str(self.out)
        name = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
        return self.cache / kind / f"{name[:32]}.json"

    def layered(self, name: str) -> list[Path]:
        """The site's folder `name` first, then the theme's, for those that exist."""
        folders = [self.root / name]
        if self.theme.resolve() != self.root:
            folders.append(self.theme / name)
        return [f for f in folders if f.is_dir()]

    def sources(self) -> list[Path]:
        """Every folder a build reads: the site's and, when it is elsewhere, the theme's."""
        roots = [self.root / name for name in SITE_FOLDERS]
        if self.theme.resolve() != self.root.resolve():
            roots += [self.theme / name for name in THEME_FOLDERS]
        return roots

    def contains(self, path: Path) -> bool:
        """Whether `path`, symlinks followed, stays inside the site or the theme."""
        resolved = _real(path)
        return _below(resolved, os.fspath(self.root)) is not None \
            or _below(resolved, _real_folder(str(self.theme))) is not None

    def relative(self, path: Path) -> str:
        """A path as editors see it: relative to the site folder, with forward slashes."""
        resolved = _real(path)
        inside = _below(resolved, os.fspath(self.root))
        if inside is not None:
            return inside
        inside = _below(resolved, os.fspath(self.theme))
        if inside is not None:
            return "theme/" + inside
        return Path(path).as_posix()


def _below(path: str, folder: str) -> str | None:
    """`path` relative to `folder` with forward slashes ("." for the folder itself), or
    None when it is not inside it: Path.relative_to on strings (both are normalised
    absolute paths), without pathlib's cost for every page of a build."""
    folder = folder.rstrip(os.sep) or os.sep
    case_path, case_folder = os.path.normcase(path), os.path.normcase(folder)
    if case_path == case_folder:
        return "."
    prefix = case_folder if case_folder.endswith(os.sep) else case_folder + os.sep
    if not case_path.startswith(prefix):
        return None
    return path[len(prefix):].replace(os.sep, "/")


def _real(path: Path | str) -> str:
    """`path` with symlinks followed; a symlink loop stays as it is (Path.resolve raises),
    for the reader to report as a file it cannot read. The folders on the way are
    resolved once per build (see forget_folders), the file itself every time: a
    thousand pages in one folder cost a thousand checks, not seven thousand."""
    text = os.fspath(path)
    folder, name = os.path.split(text)
    if not name or not folder or os.path.islink(text):
        return os.path.realpath(text)
    return os.path.join(_real_folder(folder), name)


_FOLDERS: dict[str, str] = {}  # folder -> its real path, for the build under way


def _real_folder(folder: str) -> str:
    if folder not in _FOLDERS:
        _FOLDERS[folder] = os.path.realpath(folder)
    return _FOLDERS[folder]


def forget_folders() -> None:
    """Resolve folders afresh: a build starts with none known (a folder may have become
    a symbolic link since the last build of a long-lived process)."""
    _FOLDERS.clear()


def is_editor_temp(name: str) -> bool:
    """Swap, backup and lock files that editors write beside the file being edited:
    never a source, never worth a word (the dev server and reading skip them)."""
    return name.endswith(("~", ".swp", ".swo", ".swx")) or name.startswith(".#") \
        or (name.startswith("#") and name.endswith("#"))
