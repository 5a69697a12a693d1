"""Printed documents of a case as PDF: the acceptance receipt (受理通知书) and the one-time
notice (一次性告知书), each with the case number and a QR code that opens the tracking page.

Written directly in PDF operators, without a PDF library: text in the Adobe-GB1 font
STSong-Light, which every PDF reader supplies for Chinese (nothing is embedded), and the QR
code drawn as filled squares from segno's matrix.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import segno

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
LINE = 20
MAX_UNITS = 68  # half-width units per line at 13 pt across the text width


def _hex(text: str) -> str:
    # UniGB-UCS2-H reads two-byte UCS-2 codes; characters outside the BMP become "?".
    safe = "".join(c if ord(c) < 0x10000 else "?" for c in text)
    return safe.encode("utf-16-be").hex().upper()


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _wrap(text: str, width: int = MAX_UNITS) -> list[str]:
    """Lines of at most `width` half-width units (a Chinese character is two)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for char in paragraph:
            if used + _width(char) > width:
                lines.append(line)
                line, used = "", 0
            line += char
            used += _width(char)
        lines.append(line)
    return lines


def _qr(url: str, x: float, y: float, size: float) -> str:
    matrix = segno.make(url, error="m").matrix
    cells = len(matrix)
    cell = size / cells
    ops = ["0 0 0 rg"]
    for row, bits in enumerate(matrix):
        for col, bit in enumerate(bits):
            if bit:
                ops.append(
                    f"{x + col * cell:.2f} {y + (cells - 1 - row) * cell:.2f} "
                    f"{cell:.2f} {cell:.2f} re f"
                )
    return "\n".join(ops)


def document_pdf(title: str, lines: Sequence[str], qr_url: str = "") -> bytes:
    """One A4 page: the title, the lines (wrapped) and, bottom right, a QR code of `qr_url`."""
    body: list[str] = ["BT", f"/F1 20 Tf {MARGIN} {PAGE_HEIGHT - MARGIN - 20} Td"]
    body.append(f"<{_hex(title)}> Tj")
    body.append(f"/F1 13 Tf 0 {-2 * LINE} Td")
    for line in lines:
        for part in _wrap(line):
            body.append(f"<{_hex(part)}> Tj 0 {-LINE} Td")
    body.append("ET")
    if qr_url:
        body.append(_qr(qr_url, PAGE_WIDTH - MARGIN - 120, MARGIN, 120))
    stream = "\n".join(body).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>"
        ).encode(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> "
        b"/FontDescriptor 7 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
        b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 880 /StemV 93 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
