"""The printable e-licence (电子证照打印件): one A4 page in PDF with the licence's metadata,
its face fields (照面) and the QR code of its verification URL (decision 0029, error
correction Q).

Drawn with reportlab in the Adobe-GB1 font STSong-Light, which every PDF reader supplies
for Chinese, so nothing is embedded. The QR is drawn as filled squares from segno's matrix,
sharp at any zoom. The verification URL is also the document's subject and a link over the
QR: the verification page reads it from an uploaded printout without decoding an image
(decision 0037).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import segno
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
MARGIN = 56
QR_SIZE = 150
QR_ERROR = "q"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _bmp(text: str) -> str:
    # The CID font maps the basic multilingual plane only.
    return "".join(c if ord(c) < 0x10000 else "?" for c in str(text))


def _wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    for paragraph in _bmp(text).splitlines() or [""]:
        line = ""
        for char in paragraph:
            if line and pdfmetrics.stringWidth(line + char, FONT, size) > width:
                # Chinese breaks between any two characters; a Latin word moves whole to
                # the next line unless it is longer than a line (an identifier, a URL).
                head, space, word = line.rpartition(" ")
                if space and head and not char.isspace():
                    lines.append(head)
                    line = word
                else:
                    lines.append(line)
                    line = ""
                if not line and char.isspace():
                    continue
            line += char
        lines.append(line)
    return lines


def _qr(page: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    matrix = segno.make(text, error=QR_ERROR).matrix
    # A quiet zone of 4 modules around the code, inside `size`.
    cells = len(matrix) + 8
    cell = size / cells
    page.setFillColorRGB(0, 0, 0)
    for row, bits in enumerate(matrix):
        for col, bit in enumerate(bits):
            if bit:
                page.rect(
                    x + (col + 4) * cell,
                    y + (cells - 5 - row) * cell,
                    cell,
                    cell,
                    stroke=0,
                    fill=1,
                )


def licence_pdf(
    *,
    title: str,
    facts: Sequence[tuple[str, str]],
    face: Sequence[tuple[str, str]],
    face_heading: str,
    verify_url: str,
    identifier: str,
    footer: str,
) -> bytes:
    """One A4 page: the title, the metadata (label, value), the face fields under their
    heading, and bottom right the QR of `verify_url` with the URL printed under it."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True, pageCompression=1)
    width, height = A4
    font = _font()
    page.setTitle(_bmp(title))
    page.setSubject(verify_url)
    page.setKeywords(identifier)
    page.setCreator("onestop")

    page.setFont(font, 22)
    page.drawCentredString(width / 2, height - MARGIN - 22, _bmp(title))
    y = height - MARGIN - 70
    label_width = 120
    value_width = width - 2 * MARGIN - label_width
    for heading, rows in ((None, facts), (face_heading, face)):
        if heading:
            y -= 10
            page.setFont(font, 15)
            page.drawString(MARGIN, y, _bmp(heading))
            page.setLineWidth(0.5)
            page.line(MARGIN, y - 5, width - MARGIN, y - 5)
            y -= 26
        for label, value in rows:
            page.setFont(font, 12)
            page.drawString(MARGIN, y, _bmp(label))
            for line in _wrap(value, value_width, 12):
                page.drawString(MARGIN + label_width, y, line)
                y -= 18
            y -= 4
    qr_x, qr_y = width - MARGIN - QR_SIZE, MARGIN + 30
    _qr(page, verify_url, qr_x, qr_y, QR_SIZE)
    page.linkURL(verify_url, (qr_x, qr_y, qr_x + QR_SIZE, qr_y + QR_SIZE), relative=0)
    page.setFont("Helvetica", 7)
    page.drawRightString(width - MARGIN, qr_y - 4, verify_url)
    page.setFont(font, 9)
    for n, line in enumerate(_wrap(footer, width - 2 * MARGIN - QR_SIZE - 20, 9)):
        page.drawString(MARGIN, MARGIN + 30 + QR_SIZE - 12 - n * 13, line)
    page.showPage()
    page.save()
    return buffer.getvalue()
