"""A report as PDF with reportlab: title, period, filters, the service-level formula in
words, charts (reportlab.graphics) and the table with its header on every page, "page N of
M" at the foot. Text is set in the embedded TrueType CJK font of ``sales.pdf_layout``, so
Chinese prints in either language."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from agentdesk.domain.contact_metrics import ServiceLevelFormula
from agentdesk.sales.pdf_layout import register_font
from agentdesk.supervision.report_labels import formula_words, labels
from agentdesk.supervision.report_table import RowsTable

PAGE = landscape(A4)
MARGIN = 14 * mm
CHART_W, CHART_H = 250 * mm, 55 * mm
SERIES_COLOURS = (colors.HexColor("#2f6db5"), colors.HexColor("#7fb069"))
TEXT_KEYS = frozenset(
    {"queue", "interval_start", "hour", "day", "agent", "disposition", "label", "label_zh",
     "campaign"}
)  # fmt: skip


class Chart(NamedTuple):
    """One chart of a report: its title's word key, the categories, one series of values
    per colour, the top of the scale (``None``: reportlab's), and the series' word keys
    (a legend says which colour is which once there are two)."""

    title: str
    categories: Sequence[str]
    series: Sequence[Sequence[float]]
    top: float | None = None
    names: Sequence[str] = ()


def _numbered(font: str, words: Mapping[str, str]) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no types
        """Keeps every page until the end, to print "page N of M" with M known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self.setFont(font, 8)
                self.setFillColor(colors.grey)
                text = words["page"].format(n=self._pageNumber, m=total)
                self.drawRightString(PAGE[0] - MARGIN, 8 * mm, text)
                super().showPage()
            super().save()

    return NumberedCanvas


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key == "interval_start" and isinstance(value, str):
        return value.replace("T", " ")[:16]
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(
    rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    words: Mapping[str, str],
    font: str,
    totals: Mapping[str, Any] | None,
) -> RowsTable:
    """The rows under a header repeated on every page, numbers aligned right."""
    body = [[_cell(k, r.get(k)) for k in keys] for r in rows]
    if totals is not None:
        body.append([words["total"], *(_cell(k, totals.get(k)) for k in keys[1:])])
    width = (PAGE[0] - 2 * MARGIN) / len(keys)
    header = [words.get(f"col.{k}", k) for k in keys]
    right = [k not in TEXT_KEYS for k in keys]
    return RowsTable(header, body, [width] * len(keys), right, font,
                     last_is_total=totals is not None)  # fmt: skip


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Sequence[float]],
    font: str,
    *,
    top: float | None = None,
    names: Sequence[str] = (),
) -> Drawing:
    """Bars per category (one colour per series), every label in ``font`` (reportlab's
    charts default to Helvetica, which has no Chinese); with two series or more, a legend
    of ``names`` at the top right."""
    drawing = Drawing(CHART_W, CHART_H)
    drawing.add(String(0, CHART_H - 10, title, fontName=font, fontSize=10))
    if len(series) > 1:
        drawing.add(_legend(names, font))
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = CHART_W - 40, CHART_H - 50
    data = [list(s) for s in series if s]
    if not data or not categories:  # an empty period still prints its (empty) chart
        data, categories = [[0]], [""]
    chart.data = data
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6
    if len(categories) > 12:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if top is not None:
        chart.valueAxis.valueMax = top
    for i, colour in enumerate(SERIES_COLOURS[: len(chart.data)]):
        chart.bars[i].fillColor = colour
    drawing.add(chart)
    return drawing


def _legend(names: Sequence[str], font: str) -> Legend:
    """The series' colours and names in one row, right-aligned above the bars."""
    legend = Legend()
    legend.colorNamePairs = list(zip(SERIES_COLOURS, names, strict=False))
    legend.fontName = font
    legend.fontSize = 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 70
    legend.dx = legend.dy = 8
    legend.x = CHART_W - 70 * len(legend.colorNamePairs)
    legend.y = CHART_H - 4
    return legend


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=20, spaceAfter=4),
        "text": base,
        "h2": ParagraphStyle("h2", parent=base, fontSize=11, leading=14, spaceBefore=6),
    }


def render_pdf(
    report: Mapping[str, Any],
    keys: Sequence[str],
    charts: Sequence[Chart],
    language: str | None,
    extra: tuple[Sequence[Mapping[str, Any]], Sequence[str]] | None = None,
) -> bytes:
    """The PDF of ``report`` (the JSON of ``reports``): ``keys`` are the table's columns;
    ``charts`` are drawn above it, their words in ``language``."""
    font = register_font()
    words = labels(language)
    styles = _styles(font)
    formula = ServiceLevelFormula(report["service_level_formula"])
    filters = report["filters"]
    given = (
        ", ".join(f"{words.get(k, k)} = {v or words['none']}" for k, v in filters.items())
        or words["none"]
    )
    period = (
        f"{report['from']} – {report['to']} ({report['period_start']} – {report['period_end']})"
    )
    sl_words = formula_words(formula, language)
    story: list[Any] = [
        Paragraph(words[f"title.{report['report']}"], styles["title"]),
        Paragraph(f"{words['period']}: {period}", styles["text"]),
        Paragraph(f"{words['time_zone']}: {report['time_zone']}", styles["text"]),
        Paragraph(f"{words['filters']}: {given}", styles["text"]),
        Paragraph(f"{words['formula']} = {sl_words}. {words['threshold']}", styles["text"]),
        Spacer(1, 4 * mm),
    ]
    for chart in charts:
        names = [words[name] for name in chart.names]
        drawing = bar_chart(
            words[chart.title], chart.categories, chart.series, font, top=chart.top, names=names
        )
        story += [drawing, Spacer(1, 3 * mm)]
    story.append(_table(report["rows"], keys, words, font, report.get("totals")))
    if extra is not None and extra[0]:
        story += [Paragraph(words["by_agent"], styles["h2"]), Spacer(1, 2 * mm)]
        story.append(_table(extra[0], extra[1], words, font, None))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=16 * mm, title=words[f"title.{report['report']}"],
    )  # fmt: skip
    doc.build(story, canvasmaker=_numbered(font, words))
    return out.getvalue()
