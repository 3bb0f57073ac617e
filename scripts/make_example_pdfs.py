"""Write the example site's documents: small, valid PDFs made here, not downloaded.

    python scripts/make_example_pdfs.py

writes assets/documents/*.pdf, the files that content/documents/ names. Each is
one A4 page of text in Helvetica (a font every PDF reader has, so nothing is
embedded), written by hand: the objects, then the cross-reference table with
each object's byte offset. Nothing in it depends on the time or the machine,
so running the script again gives the same bytes (git shows no change).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "assets" / "documents"

DOCUMENTS = {
    "mobility-minutes-2026-09-15.pdf": (
        "Mobility working group: minutes of the online meeting of 15 September 2026",
        [
            "Present: representatives of eleven member regions and of Movetia. "
            "Chair: Elin Bergstrom (Region Vastra Gotaland).",
            "1. The group agreed its work plan to the end of 2026: a peer-learning "
            "session on inclusive mobility in vocational education, and a common "
            "position on the Erasmus+ programme after 2027.",
            "2. Three regions reported on how they fund the accompanying staff of "
            "learners with fewer opportunities. The secretariat will collect the "
            "figures in one table before the October meeting.",
            "3. Next meeting: 20 October 2026, 10:00 Stockholm time, online.",
        ]),
    "mobility-minutes-2026-10-20.pdf": (
        "Mobility working group: minutes of the online meeting of 20 October 2026",
        [
            "Present: representatives of nine member regions and of Movetia. "
            "Chair: Martina Keller (Movetia).",
            "1. The group discussed the draft position on Erasmus+ after 2027 and "
            "asked for a shorter section on simplification for small organisations.",
            "2. The table of funding for accompanying staff was presented; it will "
            "be published with the position paper.",
            "3. The group will invite two regions from outside the programme "
            "countries to present their experience in the spring.",
        ]),
    "mobility-position-erasmus-after-2027.pdf": (
        "The regional view on Erasmus+ after 2027: a position of the Mobility "
        "working group",
        [
            "Regions fund, support and organise a large part of the mobility that "
            "Erasmus+ makes possible. The next programme should keep them close to "
            "its decisions.",
            "We ask for: simpler applications for small organisations; a budget "
            "line for the staff who accompany learners with fewer opportunities; "
            "and recognition of learning abroad that works across borders.",
            "We offer: the experience of our member regions, and their networks "
            "of schools, employers and training centres, to test new rules "
            "before they apply everywhere.",
        ]),
}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page_text(title: str, paragraphs: list[str]) -> bytes:
    """The page's content stream: the title in bold, then the paragraphs, wrapped."""
    lines = ["BT", "/F2 15 Tf", "18 TL", "56 780 Td"]
    for line in textwrap.wrap(title, 62):
        lines.append(f"({_escape(line)}) Tj T*")
    lines += ["/F1 11 Tf", "15 TL", "T*"]
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 88):
            lines.append(f"({_escape(line)}) Tj T*")
        lines.append("T*")
    lines.append("ET")
    return "\n".join(lines).encode("ascii")


def pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page PDF 1.4 file holding the text."""
    stream = page_text(title, paragraphs)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + _escape(title).encode("ascii") + b") /Producer (wgsite example) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, len(objects), xref))
    return bytes(out)


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, (title, paragraphs) in DOCUMENTS.items():
        path = FOLDER / name
        path.write_bytes(pdf(title, paragraphs))
        print(f"wrote {path.relative_to(ROOT).as_posix()} ({path.stat().st_size} bytes)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
