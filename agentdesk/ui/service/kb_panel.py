"""The knowledge-base side panel: search in Chinese or English, the hits with their snippets
(the terms highlighted), an article opened below, and "Add to case" / "Solved by".

A snippet comes from the service as HTML whose only markup is ``<mark>`` around the matched
terms, the text itself escaped (``service/kb_terms.snippet``); the title is escaped here. Qt's
rich text does not know ``<mark>``, so it becomes a styled span.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.service_desk import CaseDeskService
from agentdesk.service.kb import Hit
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background

HIGHLIGHT = '<span style="background-color:#ffe066;font-weight:bold">'
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def snippet_html(snippet: str) -> str:
    """The service's snippet for a QLabel: ``<mark>`` as a highlighted span. Anything else
    that looks like markup was escaped by the service, so it shows as text."""
    return snippet.replace("<mark>", HIGHLIGHT).replace("</mark>", "</span>")


def hit_html(hit: Hit) -> str:
    return f"<b>{html.escape(hit.title)}</b><br>{snippet_html(hit.snippet)}"


class KbPanel(QWidget):
    addRequested = Signal(object, bool)
    """(article id, solved): the case desk adds the article to its case."""

    def __init__(
        self, service: CaseDeskService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kbPanel")
        self._service = service
        self._executor = executor
        self.hits: list[Hit] = []
        self.busy = 0
        """Reads not finished yet (the tests wait for none)."""
        self.article_id: uuid.UUID | None = None

        self.queryEdit = QLineEdit(self)
        self.queryEdit.setPlaceholderText(self.tr("Search articles (中文/English)"))
        self.queryEdit.setClearButtonEnabled(True)
        self.queryEdit.returnPressed.connect(self.run_search)
        self.searchButton = QPushButton(self.tr("Search"), self)
        self.searchButton.clicked.connect(self.run_search)
        top = QHBoxLayout()
        top.addWidget(self.queryEdit, 1)
        top.addWidget(self.searchButton)

        self.results = QListWidget(self)
        self.results.setWordWrap(True)
        self.results.setObjectName("kbResults")
        self.results.currentItemChanged.connect(lambda item, _: self._open(item))
        self.articleView = QTextBrowser(self)
        self.articleView.setOpenExternalLinks(False)
        self.addButton = QPushButton(self.tr("Add to case"), self)
        self.addButton.clicked.connect(lambda: self._add(False))
        self.solvedButton = QPushButton(self.tr("Solved by this"), self)
        self.solvedButton.setToolTip(self.tr("Add the article to the case as what solved it"))
        self.solvedButton.clicked.connect(lambda: self._add(True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.addButton)
        buttons.addWidget(self.solvedButton)
        buttons.addStretch(1)
        self.messageLabel = QLabel(self)
        self.messageLabel.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(self.tr("<b>Knowledge base</b>"), self))
        layout.addLayout(top)
        layout.addWidget(self.results, 3)
        layout.addWidget(self.articleView, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.messageLabel)
        self.set_case_open(False)

    def set_case_open(self, open_: bool) -> None:
        """Whether there is a case the user may work to add an article to."""
        self._case_open = open_
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        enabled = self._case_open and self.article_id is not None
        self.addButton.setEnabled(enabled)
        self.solvedButton.setEnabled(enabled)

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], what: str) -> None:
        self.busy += 1

        def ok(result: object) -> None:
            self.busy -= 1
            done(result)

        def failed(error: BaseException) -> None:
            self.busy -= 1
            self.messageLabel.setText(what.format(e=request_error_text(error)))

        run_in_background(self, self._executor, work, ok, failed)

    def run_search(self) -> None:
        query = self.queryEdit.text().strip()
        if not query:
            return
        self.messageLabel.clear()
        self._run(
            lambda: self._service.search(query),
            self.show_hits,
            self.tr("The search failed: {e}"),
        )

    def show_hits(self, hits: Sequence[Hit]) -> None:
        self.hits = list(hits)
        self.results.clear()
        self.article_id = None
        self.articleView.clear()
        for hit in hits:
            item = QListWidgetItem(self.results)
            item.setData(ID_ROLE, hit.id)
            label = QLabel(hit_html(hit))
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setContentsMargins(4, 3, 4, 3)
            item.setSizeHint(label.sizeHint())
            self.results.setItemWidget(item, label)
        if not hits:
            self.messageLabel.setText(self.tr("No article matches."))
        self._sync_buttons()

    def hit_label(self, row: int) -> QLabel:
        widget = self.results.itemWidget(self.results.item(row))
        assert isinstance(widget, QLabel)
        return widget

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        article_id: uuid.UUID = item.data(ID_ROLE)

        def shown(result: tuple[str, str]) -> None:
            title, body = result
            self.article_id = article_id
            self.articleView.setMarkdown(f"# {title}\n\n{body}")
            self._sync_buttons()

        self._run(lambda: self._service.article(article_id), shown, self.tr("Cannot open it: {e}"))

    def _add(self, solved: bool) -> None:
        if self.article_id is not None:
            self.addRequested.emit(self.article_id, solved)
