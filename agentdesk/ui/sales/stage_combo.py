"""The opportunity editor's stage choice: the active stages in the admin's order, and the
opportunity's own stage when no move enters it (retired, or a code without a stage row).

An opportunity is never shown in another stage than its own: a save of the form would move
it there without anyone choosing it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QWidget

from agentdesk.sales.opportunity_edit import StageChoice
from agentdesk.ui.sales.common import stage_name


class StageCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # filled later
        self.choices: dict[str, StageChoice] = {}

    def set_stages(self, stages: Sequence[StageChoice], current: str | None) -> None:
        """Offer the active ``stages`` and ``current`` (``None``: a new opportunity's, active
        ones only); ``current`` is chosen, or the first. Tells no change (the caller shows
        the probability)."""
        self.blockSignals(True)
        self.clear()
        self.choices = {choice.stage: choice for choice in stages}
        if current is not None and current not in self.choices:
            # no stage row: open, at the chance rule's 0 % unless overridden (crm/chance.py)
            self.choices[current] = StageChoice(current, 0, fixed=False, active=False)
        for choice in self.choices.values():
            if choice.active or choice.stage == current:
                self.addItem(f"{stage_name(choice.stage)} · {choice.probability} %", choice.stage)
        self.setCurrentIndex(max(self.findData(current), 0) if current is not None else 0)
        self.blockSignals(False)

    @property
    def choice(self) -> StageChoice | None:
        return self.choices.get(self.currentData())
