"""A chart with two series in a report's PDF carries a legend naming each colour, in the
report's language (issue 16); a one-series chart has none."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.graphics.charts.legends import Legend

from agentdesk.sales.pdf_layout import register_font
from agentdesk.supervision.report_files import charts
from agentdesk.supervision.report_labels import labels
from agentdesk.supervision.report_pdf import SERIES_COLOURS, bar_chart

HOURLY: dict[str, Any] = {
    "report": "hourly",
    "rows": [{"hour": f"{h:02d}:00", "offered": h, "answered": h // 2} for h in range(24)],
}
AGENTS: dict[str, Any] = {
    "report": "agents",
    "rows": [{"agent": "ava", "handled_in": 3, "handled_out": 1}],
}
DISPOSITIONS: dict[str, Any] = {
    "report": "dispositions",
    "rows": [{"disposition": "sale", "label": "Sale", "label_zh": None, "calls": 4}],
}


def _legends(report: dict[str, Any], language: str | None) -> list[list[tuple[Any, str]]]:
    font, words = register_font(), labels(language)
    found = []
    for chart in charts(report):
        names = [words[n] for n in chart.names]
        drawing = bar_chart(words[chart.title], chart.categories, chart.series, font,
                            names=names)  # fmt: skip
        found += [list(c.colorNamePairs) for c in drawing.contents if isinstance(c, Legend)]
    return found


@pytest.mark.parametrize(
    ("report", "language", "names"),
    [
        (HOURLY, None, ["Offered", "Answered"]),
        (HOURLY, "zh_CN", ["呼入", "接通"]),
        (AGENTS, None, ["In", "Out"]),
        (AGENTS, "zh_CN", ["呼入", "呼出"]),
    ],
)
def test_two_series_get_a_legend(
    report: dict[str, Any], language: str | None, names: list[str]
) -> None:
    (pairs,) = _legends(report, language)
    assert pairs == list(zip(SERIES_COLOURS, names, strict=True))


def test_one_series_has_no_legend() -> None:
    assert _legends(DISPOSITIONS, None) == []
