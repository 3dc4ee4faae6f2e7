"""A long generated PDF of bare article headings: pages alike but for the article numbers.

Each page holds `per_page` articles, each a heading line '第N条' and two lines of body, drawn
at the same places on every page, so the first row of every page is an article heading whose
text differs from the one on the next page only in its digits. Built with reportlab and the
committed font subset (tests/pdfgen.py); independent of yakkan.
"""

from __future__ import annotations

import io

import pdfgen

BODY = (
    "本約款は、試験のために作成したものとします。",
    "契約者は、当社の定めるところにより申し込むものとします。",
)


def long_pdf(pages: int, per_page: int = 7) -> bytes:
    """A PDF of `pages` A4 pages and pages × per_page articles numbered from 第1条."""
    from reportlab.pdfgen.canvas import Canvas

    font = pdfgen._register_font()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=pdfgen.A4, invariant=1)
    number = 0
    for _ in range(pages):
        y = pdfgen.A4[1] - 60
        for _ in range(per_page):
            number += 1
            canvas.setFont(font, 11)
            canvas.drawString(60, y, f"第{number}条")
            canvas.setFont(font, 10)
            for line in BODY:
                y -= 17
                canvas.drawString(70, y, line)
            y -= 40
        canvas.showPage()
    canvas.save()
    return out.getvalue()
