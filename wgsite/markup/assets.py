"""Static assets: the site's and the theme's files, published under fingerprinted names.

A file's name carries a hash of its bytes (css/site.3f2a9c1b7e.css), so a
browser may cache it for ever and still sees every change. The build adds
files of its own the same way (css/colours.css, from data/site.yaml), so
that no page needs an inline <style> and a strict Content-Security-Policy holds.
"""

from __future__ import annotations

import hashlib
import struct
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from wgsite.folders import THEME_ASSET_FOLDERS, SiteFolders
from wgsite.problems import Problems


@dataclass(frozen=True)
class Asset:
    source: Path | None  # None for a file the build made (see `data`)
    path: str  # inside assets/, e.g. images/logo.svg
    output: str  # inside the output folder, e.g. assets/images/logo.1a2b3c4d5e.svg
    width: int | None = None
    height: int | None = None
    data: bytes | None = None  # the bytes of a file the build made


def _fingerprinted(path: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    pure = PurePosixPath(path)
    return str(PurePosixPath("assets") / pure.parent / f"{pure.stem}.{digest}{pure.suffix}")


def image_size(data: bytes, suffix: str) -> tuple[int | None, int | None]:
    """Width and height of a PNG, GIF, JPEG or SVG, read from its header."""
    suffix = suffix.lower()
    try:
        if suffix == ".png" and data[:8] == b"\x89PNG\r\n\x1a\n":
            return struct.unpack(">II", data[16:24])
        if suffix == ".gif" and data[:4] == b"GIF8":
            return struct.unpack("<HH", data[6:10])
        if suffix in (".jpg", ".jpeg"):
            return _jpeg_size(data)
        if suffix == ".svg":
            return _svg_size(data)
    except (struct.error, ET.ParseError, ValueError):
        pass
    return None, None


def _jpeg_size(data: bytes) -> tuple[int | None, int | None]:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    return None, None


def _svg_size(data: bytes) -> tuple[int | None, int | None]:
    root = ET.fromstring(data)
    width, height = root.get("width", ""), root.get("height", "")
    if width.rstrip("px").isdigit() and height.rstrip("px").isdigit():
        return int(width.rstrip("px")), int(height.rstrip("px"))
    box = root.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        return round(float(box[2])), round(float(box[3]))
    return None, None


# data/site.yaml's colours -> the custom properties assets/css/site.css reads
COLOUR_PROPERTIES = (("primary", "--primary"), ("primary_dark", "--primary-dark"),
                     ("accent", "--accent"), ("background", "--background"), ("text", "--text"))
COLOURS_PATH = "css/colours.css"


def colour_stylesheet(colours: dict[str, str]) -> bytes:
    """The site's colours as custom properties on :root, in a fixed order."""
    lines = [f"  {prop}: {colours[key]};" for key, prop in COLOUR_PROPERTIES
             if colours.get(key)]
    return ("/* Made by wgsite from the colours in data/site.yaml. */\n:root {\n"
            + "".join(line + "\n" for line in lines) + "}\n").encode("utf-8")


class Assets:
    """Every asset of the site (the site's own file wins over the theme's)."""

    def __init__(self, folders: SiteFolders, problems: Problems):
        self.folders, self.problems = folders, problems
        self.by_path: dict[str, Asset] = {}
        site_assets = folders.root / "assets"
        for folder in reversed(folders.layered("assets")):
            for source in sorted(folder.rglob("*")):
                if not source.is_file() or source.name.startswith("."):
                    continue
                if folder != site_assets and source.relative_to(folder).parts[0] \
                        not in THEME_ASSET_FOLDERS:
                    continue
                if not folders.contains(source):
                    problems.error(folders.relative(source), None, "this is a symbolic link "
                                   "that leads outside the site folder; copy the file in")
                    continue
                path = source.relative_to(folder).as_posix()
                self.by_path[path] = self._load(source, path)

    @staticmethod
    def _load(source: Path, path: str) -> Asset:
        data = source.read_bytes()
        width, height = image_size(data, source.suffix)
        return Asset(source, path, _fingerprinted(path, data), width, height)

    def add(self, path: str, data: bytes) -> Asset:
        """A file the build made, published like the others under its fingerprinted name."""
        asset = Asset(None, path, _fingerprinted(path, data), data=data)
        self.by_path[path] = asset
        return asset

    def add_colours(self, colours: dict[str, str]) -> None:
        """css/colours.css from data/site.yaml's colours (validation has checked each one)."""
        mine = self.by_path.get(COLOURS_PATH)
        if mine is not None and mine.source is not None:
            self.problems.error(self.folders.relative(mine.source), None,
                                "wgsite writes this file from the colours in data/site.yaml; "
                                "give yours another name")
        self.add(COLOURS_PATH, colour_stylesheet(colours))

    def get(self, path: str) -> Asset | None:
        return self.by_path.get(path.lstrip("/").removeprefix("assets/"))

    def __contains__(self, path: str) -> bool:
        return self.get(path) is not None
