"""Responsive images: each raster image a page uses, in a few widths, as WebP and as itself.

For assets/images/news/map.png (1600 px wide) the output gains
assets/images/news/map.<hash>.480w.webp, .800w.webp, .1200w.webp, .1600w.webp
and the same widths as PNG; templates offer them through srcset, so a phone
fetches a small WebP and an old browser still gets a PNG. Never wider than
the original. SVG and other formats scale by themselves and pass through.

Resizing is the slow step, so every copy is cached in the site's
.wgsite-cache/ under a hash of everything that decides its bytes (source,
width, format, encoder settings, codec versions, VERSION). A cached copy is
checked before it is used (its own digest, then its format and size); one
that fails is made again. Copies carry no metadata and are encoded with fixed
settings, so the same sources give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import PIL
from PIL import Image, ImageCms, features

from wgsite.markup.assets import Asset, Assets
from wgsite.problems import Problems
from wgsite.writer import write_atomically

VERSION = 1  # bump whenever a change here changes the bytes of a copy
WIDTHS = (480, 800, 1200)  # plus the original width; never wider than the original
# The width an image takes on screen: the text column (70ch is about 50rem), or
# the whole viewport on narrow screens. Templates add "auto" for lazy images,
# which browsers that know it replace by the laid-out width (a card's, a logo's).
SIZES = "(min-width: 54rem) 50rem, 100vw"

# Pillow's name of each raster format we resize, by file suffix.
RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".gif": "GIF"}
MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
SETTINGS: dict[str, dict[str, Any]] = {
    "WEBP": {"quality": 80, "method": 6},
    "JPEG": {"quality": 82, "optimize": True, "progressive": True, "subsampling": 2},
    "PNG": {"optimize": True},
    "GIF": {"optimize": True},
}
# What else decides the bytes of a copy: Pillow's resampling (major version) and the
# codec libraries its wheels bundle, which change output between minor releases.
CODECS = {"pillow": PIL.__version__.split(".")[0],
          **{name: features.version(name) for name in ("webp", "jpg", "zlib", "littlecms2")}}
_ORIENTATION = 0x0112  # EXIF: how the camera was held
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}
_CACHE_MAGIC = b"wgsite image cache\n"


@dataclass(frozen=True)
class Rendition:
    """One resized copy: where it goes in the output, and its size."""

    output: str  # e.g. assets/images/news/map.1a2b3c4d5e.800w.webp
    width: int
    height: int
    mime: str


class ResponsiveImage:
    """One raster image: its upright size, and its copies in a format, made on first use.

    A Markdown <img> asks for the original's format only, so no WebP is made for it.
    """

    def __init__(self, renditions: "Renditions", asset: Asset, fmt: str, data: bytes,
                 orientation: int, width: int, height: int):
        self.width, self.height = width, height  # upright, for width/height attributes
        self.mime = MIME[fmt]  # the original's format; WebP copies are offered before it
        self._renditions, self._asset, self._fmt = renditions, asset, fmt
        self._data, self._orientation = data, orientation
        self._digest = hashlib.sha256(data).hexdigest()
        self._picture: Image.Image | None = None  # decoded only when a copy is not cached
        self._copies: dict[str, list[Rendition]] = {}

    @property
    def alternatives(self) -> list[str]:
        """Formats to offer in <source> before the original's, best first."""
        return [mime for mime in ("image/webp",) if mime != self.mime]

    def fallback(self, href: Callable[[str], str]) -> str:
        """The <img src>: the original's size and format, so that `width` and `height`
        describe it too (og:image states them), but without its metadata."""
        own = self.copies(self.mime)
        return href(own[-1].output if own else self._asset.output)

    def srcset(self, mime: str, href: Callable[[str], str]) -> str:
        """`a.480w.webp 480w, a.800w.webp 800w, ...`, each output path made an href."""
        return ", ".join(f"{href(c.output)} {c.width}w" for c in self.copies(mime))

    def copies(self, mime: str) -> list[Rendition]:
        """Every width in format `mime`, from the cache or encoded now; [] if unreadable."""
        if mime not in self._copies:
            fmt = next(f for f, m in MIME.items() if m == mime)
            self._copies[mime] = self._make(fmt)
        return self._copies[mime]

    def _make(self, fmt: str) -> list[Rendition]:
        stem = str(PurePosixPath(self._asset.output).with_suffix(""))
        suffix = ".webp" if fmt == "WEBP" and self._fmt != "WEBP" else \
            PurePosixPath(self._asset.output).suffix
        made = []
        for width in sorted({w for w in WIDTHS if w < self.width} | {self.width}):
            size = (width, max(1, round(self.height * width / self.width)))
            key = _key(self._digest, width, fmt)
            payload = self._renditions.cache.get(key, fmt, size)
            if payload is None:
                try:
                    if self._picture is None:
                        self._picture = _upright_srgb(self._data, self._orientation)
                    payload = encode(_resized(self._picture, size), fmt)
                except Exception as exc:  # a file whose header reads but whose pixels do not
                    self._renditions.unreadable(self._asset, exc)
                    return []
                self._renditions.cache.put(key, payload)
            output = f"{stem}.{width}w{suffix}"
            path = output.removeprefix("assets/")
            self._renditions.assets.by_path[path] = Asset(None, path, output, size[0],
                                                          size[1], data=payload)
            made.append(Rendition(output, size[0], size[1], MIME[fmt]))
        return made


def encode(image: Image.Image, fmt: str) -> bytes:
    """`image` in `fmt` with our fixed settings and no metadata (tests count the calls)."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **SETTINGS[fmt])
    return buffer.getvalue()


class ImageCache:
    """Encoded copies on disk by key; an entry that does not check out is a miss."""

    def __init__(self, folder: Path):
        self.folder = folder / "images"

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str, fmt: str, size: tuple[int, int]) -> bytes | None:
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        header = _CACHE_MAGIC + key.encode() + b"\n"
        digest_end = len(header) + 65
        if not data.startswith(header) or len(data) < digest_end:
            return None
        digest, payload = data[len(header):digest_end - 1], data[digest_end:]
        if data[digest_end - 1:digest_end] != b"\n" or \
                hashlib.sha256(payload).hexdigest().encode() != digest:
            return None
        try:
            with Image.open(io.BytesIO(payload)) as image:
                if image.format != fmt or image.size != size:
                    return None
        except Exception:  # Pillow raises many kinds of errors on foreign bytes
            return None
        return payload

    def put(self, key: str, payload: bytes) -> None:
        """Store atomically; a cache that cannot be written only costs time later."""
        path = self._path(key)
        digest = hashlib.sha256(payload).hexdigest().encode()
        try:
            write_atomically(path, _CACHE_MAGIC + key.encode() + b"\n" + digest + b"\n" + payload)
        except OSError:
            pass


class Renditions:
    """The resized copies of every raster image the site's pages use, made once each.

    Each copy joins `assets` as a file the build made, so the writer publishes it.
    """

    def __init__(self, assets: Assets, cache_folder: Path, problems: Problems):
        self.assets = assets
        self.cache = ImageCache(cache_folder)
        self.problems = problems
        self._images: dict[str, ResponsiveImage | None] = {}

    def of(self, asset: Asset) -> ResponsiveImage | None:
        """The copies of `asset`, or None for an image that passes through (SVG...)."""
        fmt = RASTER.get(PurePosixPath(asset.path).suffix.lower())
        if fmt is None:
            return None
        if asset.output not in self._images:
            self._images[asset.output] = self._open(asset, fmt)
        return self._images[asset.output]

    def _open(self, asset: Asset, fmt: str) -> ResponsiveImage | None:
        """Reads only the header: a rebuild whose copies are all cached decodes nothing."""
        try:
            data = asset.source.read_bytes()
            with Image.open(io.BytesIO(data)) as image:
                found = image.format
                orientation = image.getexif().get(_ORIENTATION, 1)
                width, height = image.size
        except Exception as exc:  # Pillow raises many kinds of errors on broken files
            self.unreadable(asset, exc)
            return None
        if found != fmt and not (fmt == "JPEG" and found == "MPO"):  # MPO: a camera's JPEG
            self.problems.error(f"assets/{asset.path}", None, f"this file is named like {fmt} "
                                f"but holds {found or 'something else'}; give it the right "
                                "extension")
            return None
        if orientation in (5, 6, 7, 8):  # turned a quarter: its upright shape is the other way
            width, height = height, width
        return ResponsiveImage(self, asset, fmt, data, orientation, width, height)

    def unreadable(self, asset: Asset, exc: Exception) -> None:
        self.problems.error(f"assets/{asset.path}", None, f"this image cannot be read ({exc}); "
                            "save it again as PNG, JPEG, WebP or GIF")


def _key(source_digest: str, width: int, fmt: str) -> str:
    """A hash of everything that decides the bytes of one copy."""
    recipe = {"version": VERSION, "codecs": CODECS, "source": source_digest, "width": width,
              "format": fmt, "settings": SETTINGS[fmt]}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


def _upright_srgb(data: bytes, orientation: int) -> Image.Image:
    """The first frame, turned as the camera meant, in sRGB, as RGB or RGBA."""
    with Image.open(io.BytesIO(data)) as opened:
        opened.seek(0)
        profile = opened.info.get("icc_profile")
        image = opened.convert("RGBA") if opened.mode in ("P", "PA") else opened.copy()
    if orientation in _TRANSPOSE:
        image = image.transpose(_TRANSPOSE[orientation])
    mode = "RGBA" if image.has_transparency_data else "RGB"
    if mode == "RGBA" and image.convert("RGBA").getchannel("A").getextrema() == (255, 255):
        mode = "RGB"  # an alpha channel that hides nothing only makes the copies bigger
    converted = None
    if profile and image.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:  # the copies carry no profile, so their pixels must already be sRGB
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"), outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # an unusable profile: take the pixels as they are
    image = converted or image
    if image.mode != mode:
        image = image.convert(mode)
    image.info.clear()
    return image


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.size == size:
        return image
    resized = image.resize(size, Image.Resampling.LANCZOS)
    resized.info.clear()  # resize copies info: no profile, EXIF or comment may ride along
    return resized
