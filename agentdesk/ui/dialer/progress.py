"""The dialer tab's numbers at the bottom: dialed, remaining, contacted, successes."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from agentdesk.ui.desk.pop_views import title_label

# The dialer panel's translation context, where they were first translated; translated when
# the strip is built (the translator is installed by then, not at import).
_TITLES = (
    ("dialed", QT_TRANSLATE_NOOP("DialerPanel", "Dialed")),
    ("remaining", QT_TRANSLATE_NOOP("DialerPanel", "Remaining")),
    ("contacted", QT_TRANSLATE_NOOP("DialerPanel", "Contacted")),
    ("successes", QT_TRANSLATE_NOOP("DialerPanel", "Successes")),
)


class ProgressStrip(QFrame):
    """Four big numbers with their captions; ``labels`` maps a progress field to its number."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.labels: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        for column, (key, title) in enumerate(_TITLES):
            number = title_label("–", self, 4)
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = QLabel(QCoreApplication.translate("DialerPanel", str(title)), self)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption.setStyleSheet("color: #666;")
            grid.addWidget(number, 0, column)
            grid.addWidget(caption, 1, column)
            self.labels[key] = number
