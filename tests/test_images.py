"""Responsive images: resized WebP and original-format copies, cached, deterministic."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.htmlpage import HtmlPage
from tests.sitefiles import SITE, build, write_site
from wgsite.markup import images

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20">'
       '<rect width="40" height="20" fill="#1f4e79"/></svg>\n')


def picture(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """Shapes on a light ground: an image whose copies differ from width to width."""
    image = Image.new(mode, size, (241, 243, 245))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse([width // 8, height // 8, width // 2, height * 7 // 8], fill=(31, 78, 121))
    draw.rectangle([width // 2, height // 3, width * 7 // 8, height * 2 // 3], fill=(200, 16, 46))
    return image


def png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(buffer, "PNG")
    return buffer.getvalue()


def sideways_jpeg() -> bytes:
    """A 600x900 photo (red above, blue below) stored lying on its side, as cameras do:
    900x600 pixels with EXIF orientation 6, an artist and a comment that must not leak."""
    upright = Image.new("RGB", (600, 900), (200, 16, 46))
    ImageDraw.Draw(upright).rectangle([0, 450, 600, 900], fill=(31, 78, 121))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees clockwise to show
    exif[0x013B] = "Jane Photographer"  # artist
    buffer = io.BytesIO()
    upright.rotate(90, expand=True).save(buffer, "JPEG", quality=95, exif=exif,
                                         comment=b"taken at home")
    return buffer.getvalue()


ABOUT = """\
---
title: About us
---
Our region in pictures.

![Red above blue, a photo](images/photo.jpg)

![A small sketch](images/small.png)

![A map of the region](images/map.svg)
"""

FILES = {
    "assets/images/wide.png": png((1300, 650)),
    "assets/images/small.png": png((300, 200)),
    "assets/images/photo.jpg": sideways_jpeg(),
    "assets/images/map.svg": SVG,
    "content/about.md": ABOUT,
    "content/news/2026-01-10-first-news.md": """\
---
title: First news
date: 2026-01-10
working_groups: [mobility]
image: images/wide.png
image_alt: A blue circle beside a red bar
image_credit: Drawing by the tests
---
Body of the first news.
""",
}


@pytest.fixture
def pictured(site: Path) -> Path:
    """The fixture site with the pictures, to change and build."""
    return write_site(site, FILES)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """The fixture site with the pictures, built once for the tests that only read it."""
    root = write_site(tmp_path_factory.mktemp("pictured") / "site", {**SITE, **FILES})
    status, err = build(root)
    assert status == 0, err
    return root / "public"


@pytest.fixture
def encodes(monkeypatch) -> list[tuple[str, tuple[int, int]]]:
    """Every call of the encoder, as (format, size)."""
    calls: list[tuple[str, tuple[int, int]]] = []
    real = images.encode

    def counting(image: Image.Image, fmt: str) -> bytes:
        calls.append((fmt, image.size))
        return real(image, fmt)

    monkeypatch.setattr(images, "encode", counting)
    return calls


def built_ok(root: Path, capsys, *args: str) -> Path:
    status, err = build(root, *args, capsys=capsys)
    assert status == 0, err
    return root / "public"


def srcset(value: str) -> list[tuple[str, int]]:
    """(href, width) for each candidate of a srcset made of `url NNNw` entries."""
    pairs = [entry.strip().rsplit(" ", 1) for entry in value.split(",")]
    return [(href, int(descriptor.removesuffix("w"))) for href, descriptor in pairs]


def opened(out: Path, href: str) -> Image.Image:
    return Image.open(out / href.lstrip("/"))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_raster_image_becomes_a_picture_with_webp_and_png_in_every_width(out: Path):
    page = HtmlPage.read(out / "news/first-news/index.html", main_only=True)
    (source,) = page.all("source")
    (img,) = [i for i in page.all("img") if "wide" in i.attrs["src"]]
    assert source.attrs["type"] == "image/webp"
    for attrs, fmt in ((source.attrs, "WEBP"), (img.attrs, "PNG")):
        candidates = srcset(attrs["srcset"])
        assert [w for _, w in candidates] == [480, 800, 1200, 1300], \
            "the usual widths below the original, then the original's own"
        assert attrs["sizes"] == images.SIZES, "the hero is sized by the text column"
        for href, width in candidates:
            assert re.fullmatch(rf"/assets/images/wide\.[0-9a-f]{{10}}\.{width}w\."
                                rf"{'webp' if fmt == 'WEBP' else 'png'}", href), href
            copy = opened(out, href)
            assert (copy.format, copy.size) == (fmt, (width, round(width / 2)))
    assert (img.attrs["width"], img.attrs["height"]) == ("1300", "650"), \
        "width and height keep the original's shape, so nothing shifts as it loads"
    assert img.attrs["src"].endswith(".1300w.png"), \
        "the fallback is the original's size and format, so width and height describe it"
    assert img.attrs["alt"] == "A blue circle beside a red bar"
    assert "loading" not in img.attrs and img.attrs["decoding"] == "async", \
        "the hero of a news item loads at once"
    figure = [f for f in page.all("figure") if "Drawing by the tests" in f.text]
    assert figure and page.all("figcaption"), "the credit stays with the picture"


def test_cards_load_lazily_and_let_the_browser_size_them(out: Path):
    page = HtmlPage.read(out / "working-groups/mobility/index.html", main_only=True)
    (img,) = [i for i in page.all("img") if "wide" in i.attrs["src"]]
    assert img.attrs["loading"] == "lazy" and img.attrs["decoding"] == "async"
    assert img.attrs["sizes"] == f"auto, {images.SIZES}"
    assert [s.attrs["sizes"] for s in page.all("source")] == [f"auto, {images.SIZES}"]


def test_markdown_images_get_srcset_in_their_own_format_upright_and_without_metadata(
        out: Path):
    page = HtmlPage.read(out / "about/index.html", main_only=True)
    (photo,) = [i for i in page.all("img") if "photo" in i.attrs["src"]]
    assert (photo.attrs["width"], photo.attrs["height"]) == ("600", "900"), \
        "the camera's orientation is applied: the photo stands upright"
    assert photo.attrs["loading"] == "lazy" and photo.attrs["decoding"] == "async"
    assert photo.attrs["sizes"] == f"auto, {images.SIZES}"
    candidates = srcset(photo.attrs["srcset"])
    assert [w for _, w in candidates] == [480, 600]
    for href, width in candidates:
        copy = opened(out, href)
        assert (copy.format, copy.size) == ("JPEG", (width, width * 3 // 2))
        assert not copy.getexif() and "comment" not in copy.info and "icc_profile" not in copy.info
        rgb = copy.convert("RGB")
        top, bottom = rgb.getpixel((width // 2, 5)), rgb.getpixel((width // 2, copy.height - 5))
        assert top[0] > 150 > top[2] and bottom[2] > 80 > bottom[0], "red above, blue below"
    assert not page.all("source") and not page.all("picture")
    assert not list((out / "assets/images").glob("photo.*.webp")), \
        "no WebP is made for an image only Markdown shows (an <img> cannot offer it)"


def test_a_small_image_is_never_enlarged(out: Path):
    page = HtmlPage.read(out / "about/index.html", main_only=True)
    (small,) = [i for i in page.all("img") if "small" in i.attrs["src"]]
    ((href, width),) = srcset(small.attrs["srcset"])
    assert width == 300 and small.attrs["src"] == href
    assert opened(out, href).size == (300, 200)
    assert (small.attrs["width"], small.attrs["height"]) == ("300", "200")
    assert sorted(p.name.split(".", 2)[2] for p in (out / "assets/images").glob("small.*.*w.*")) \
        == ["300w.png"]


def test_svg_passes_through_unchanged(out: Path):
    page = HtmlPage.read(out / "about/index.html", main_only=True)
    (svg,) = [i for i in page.all("img") if ".svg" in i.attrs["src"]]
    assert "srcset" not in svg.attrs and "sizes" not in svg.attrs
    assert (svg.attrs["width"], svg.attrs["height"]) == ("40", "20")
    assert svg.attrs["loading"] == "lazy"
    assert (out / svg.attrs["src"].lstrip("/")).read_text() == SVG
    assert len(list((out / "assets/images").glob("map.*"))) == 1, "no copies of an SVG"


def test_a_rebuild_with_nothing_changed_encodes_nothing(pictured, capsys, encodes):
    first = tree(built_ok(pictured, capsys))
    # wide: 4 widths x (WebP, PNG); photo: 2 widths, JPEG only; small: 1 width, PNG only
    assert len(encodes) == 11
    assert sorted(set(encodes)) == sorted(encodes), "each copy is encoded once per build"
    encodes.clear()
    shutil.rmtree(pictured / "public")  # a full build, not the manifest's shortcut
    second = tree(built_ok(pictured, capsys))
    assert encodes == [], "every copy came from .wgsite-cache"
    assert second == first


def test_a_corrupt_or_foreign_cache_entry_is_made_again(pictured, capsys, encodes):
    first = tree(built_ok(pictured, capsys))
    entries = sorted(p for p in (pictured / ".wgsite-cache" / "images").rglob("*") if p.is_file())
    assert len(entries) == 11
    corrupt, foreign, truncated = entries[0], entries[1], entries[2]
    data = bytearray(corrupt.read_bytes())
    data[-20] ^= 0xFF  # one flipped bit deep in the image: only the digest can tell
    corrupt.write_bytes(bytes(data))
    foreign.write_bytes(png((480, 240)))  # a valid picture, but not one of ours
    truncated.write_bytes(truncated.read_bytes()[:100])
    encodes.clear()
    shutil.rmtree(pictured / "public")
    second = tree(built_ok(pictured, capsys))
    assert len(encodes) == 3, "exactly the three damaged entries were encoded again"
    assert second == first, "the output is what a clean build gives"
    encodes.clear()
    shutil.rmtree(pictured / "public")
    built_ok(pictured, capsys)
    assert encodes == [], "the damaged entries were replaced by good ones"


def test_a_new_encoder_version_makes_every_copy_again(pictured, capsys, encodes, monkeypatch):
    built_ok(pictured, capsys)
    encodes.clear()
    monkeypatch.setattr(images, "VERSION", images.VERSION + 1)
    shutil.rmtree(pictured / "public")  # a new version of wgsite is a new ENGINE: a full build
    built_ok(pictured, capsys)
    assert len(encodes) == 11, "an entry made by another version of wgsite is not used"


def test_two_clean_builds_give_byte_identical_output(pictured, tmp_path, capsys):
    first = tree(built_ok(pictured, capsys))
    shutil.rmtree(pictured / ".wgsite-cache")
    second = tree(built_ok(pictured, capsys, "--out", str(tmp_path / "again")))
    assert second == first
    assert any(name.endswith(".800w.webp") for name in first)


def test_markdown_image_without_alt_text_is_an_error_with_file_and_line(pictured, capsys):
    write_site(pictured, {"content/about.md": "---\ntitle: About us\n---\nText.\n\n"
                                              "![](images/small.png)\n"})
    status, err = build(pictured, capsys=capsys)
    assert status == 1
    assert ("content/about.md:6: error: the image images/small.png has no alt text: say what "
            "it shows between the brackets, ![...](images/small.png), for readers who cannot "
            "see it (an image in the text is never mere decoration; decoration belongs in the "
            "theme)") in err


def test_an_image_that_cannot_be_read_names_the_file(pictured, capsys):
    write_site(pictured, {"assets/images/wide.png": "not a picture\n"})
    status, err = build(pictured, capsys=capsys)
    assert status == 1
    assert "assets/images/wide.png: error: this image cannot be read" in err
    assert "Traceback" not in err
