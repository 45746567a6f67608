"""A quote laid out as PDF with reportlab: company header (and logo), customer block, the
lines with their header repeated on every page, totals with tax per rate, the amount in
Chinese capitals (大写) on a Chinese quote in renminbi, terms, page numbers.

Text is set in a TrueType CJK font embedded in the file (WenQuanYi Zen Hei from Debian's
``fonts-wqy-zenhei``; reportlab cannot load the CFF Noto CJK fonts): Latin and Chinese both
print on any viewer. The template (company, address, logo, default terms) is a TOML file.
"""

from __future__ import annotations

import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from agentdesk.db.errors import RequestError
from agentdesk.sales.catalogue import plain
from agentdesk.sales.chinese_amount import rmb_capitals
from agentdesk.sales.documents import DocumentView
from agentdesk.sales.pdf_labels import LABELS

FONT = "AgentDeskCJK"
FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
)
FONT_HINT = "install a TrueType CJK font: apt-get install fonts-wqy-zenhei"


def register_font() -> str:
    """Register the embedded CJK font once; :class:`RequestError` with the hint when none."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    for path in FONT_FILES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            return FONT
    raise RequestError(f"no TrueType CJK font for the PDF: {FONT_HINT}")


@dataclass(frozen=True)
class Template:
    """What the company puts on its quotes (``[company]`` and ``[quote]`` in a TOML file)."""

    company: str = ""
    address: tuple[str, ...] = ()
    phone: str = ""
    email: str = ""
    logo: Path | None = None
    terms: Mapping[str, str] = field(default_factory=dict)
    """Default terms per language (``en``, ``zh_CN``), when the quote has none of its own."""


def load_template(path: Path | None) -> Template:
    if path is None or not path.exists():
        return Template()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RequestError(f"{path}: not a readable TOML template ({exc})") from None
    company: dict[str, Any] = data.get("company", {})
    quote: dict[str, Any] = data.get("quote", {})
    logo = company.get("logo")
    return Template(
        company=str(company.get("name", "")),
        address=tuple(str(line) for line in company.get("address", [])),
        phone=str(company.get("phone", "")),
        email=str(company.get("email", "")),
        logo=(path.parent / logo) if logo else None,
        terms={str(k): str(v) for k, v in quote.get("terms", {}).items()},
    )


@dataclass(frozen=True)
class Customer:
    account: str
    city: str | None = None
    contact: str | None = None
    email: str | None = None


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "company": ParagraphStyle("company", parent=base, fontSize=15, leading=19),
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=22, alignment=2),
        "right": ParagraphStyle("right", parent=base, alignment=2),
        "head": ParagraphStyle("head", parent=base, textColor=colors.white),
        "head_right": ParagraphStyle(
            "head_right", parent=base, textColor=colors.white, alignment=2
        ),
    }


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(
    quote: DocumentView,
    customer: Customer,
    template: Template,
    *,
    lang: str,
    issued: date,
    valid_until: date | None,
) -> bytes:
    """The PDF of ``quote`` in ``lang`` (``en`` or ``zh_CN``)."""
    register_font()
    words = LABELS[lang]
    st = _styles()
    width = A4[0] - 36 * mm
    story: list[Any] = []

    left: list[Any] = []
    if template.logo is not None and template.logo.exists():
        left.append(Image(str(template.logo), width=30 * mm, height=15 * mm, kind="proportional"))
    if template.company:
        left.append(Paragraph(_esc(template.company), st["company"]))
    for line in (*template.address, template.phone, template.email):
        if line:
            left.append(Paragraph(_esc(line), st["small"]))
    right = [
        Paragraph(words["title"], st["title"]),
        Paragraph(f"{words['number']}: {quote.number}", st["right"]),
        Paragraph(f"{words['revision']}: {quote.revision}", st["right"]),
        Paragraph(f"{words['date']}: {issued.isoformat()}", st["right"]),
    ]
    if valid_until is not None:
        right.append(Paragraph(f"{words['valid_until']}: {valid_until.isoformat()}", st["right"]))
    header = Table([[left or "", right]], colWidths=[width * 0.55, width * 0.45])
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1f4e79")),
            ]
        )
    )
    story += [header, Spacer(1, 5 * mm)]

    who = [
        Paragraph(f"<font color='#555555'>{words['customer']}</font>", st["small"]),
        Paragraph(_esc(customer.account), st["base"]),
    ]
    for extra in (customer.contact, customer.email, customer.city):
        if extra:
            who.append(Paragraph(_esc(extra), st["base"]))
    story += [*who, Spacer(1, 5 * mm)]

    story.append(_lines_table(quote, words, st, width))
    story += [Spacer(1, 4 * mm), _totals_table(quote, words, st, width)]
    if lang == "zh_CN" and quote.currency == "CNY":
        capitals = f"{words['capitals']}: 人民币{rmb_capitals(quote.gross)}"
        story += [Spacer(1, 2 * mm), Paragraph(capitals, st["base"])]
    terms = quote.terms or template.terms.get(lang)
    if terms:
        story += [Spacer(1, 6 * mm), Paragraph(words["terms"], st["base"])]
        story += [Paragraph(_esc(line), st["small"]) for line in terms.splitlines() if line]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{words['title']} {quote.number}",
        initialFontName=FONT,  # else every page names Helvetica, which nothing embeds
    )

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        text = words["page"].format(page=document.page, number=quote.number)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, text)
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _lines_table(
    quote: DocumentView, words: Mapping[str, str], st: Mapping[str, ParagraphStyle], width: float
) -> LongTable:
    heads = (
        "#",
        words["code"],
        words["description"],
        words["quantity"],
        words["unit_price"],
        words["discount"],
        words["tax_rate"],
        words["net"],
    )
    right_from = 3
    rows: list[list[Any]] = [
        [Paragraph(h, st["head_right" if i >= right_from else "head"]) for i, h in enumerate(heads)]
    ]
    for position, line in enumerate(quote.lines, start=1):
        quantity = plain(line.quantity) + (f" {line.unit}" if line.unit else "")
        cells = (
            str(position),
            line.code,
            line.description,
            quantity,
            str(line.unit_price),
            f"{plain(line.discount_pct)}%",
            f"{plain(line.tax_rate * 100)}%",
            str(line.net),
        )
        rows.append(
            [
                Paragraph(_esc(c), st["right" if i >= right_from else "base"])
                for i, c in enumerate(cells)
            ]
        )
    fractions = (0.05, 0.13, 0.29, 0.11, 0.12, 0.08, 0.08, 0.14)
    table = LongTable(rows, colWidths=[width * f for f in fractions], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f9")]),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.HexColor("#1f4e79")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _totals_table(
    quote: DocumentView, words: Mapping[str, str], st: Mapping[str, ParagraphStyle], width: float
) -> Table:
    code = quote.currency
    rows = [[words["net_total"], f"{code} {quote.net}"]]
    for rate, base, tax in quote.rates:
        label = words["tax_at"].format(rate=plain(rate * 100), base=f"{code} {base}")
        rows.append([label, f"{code} {tax}"])
    rows.append([words["gross_total"], f"{code} {quote.gross}"])
    cells = [[Paragraph(a, st["right"]), Paragraph(b, st["right"])] for a, b in rows]
    table = Table(cells, colWidths=[width * 0.78, width * 0.22])
    table.setStyle(
        TableStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
            ]
        )
    )
    return table
