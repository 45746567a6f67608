"""Campaign settings: the script, calling hours and days, attempts and retry rules, priority;
pause, resume and archive. The same service as ``agentdesk campaign set|pause|resume|archive``.

What the form shows is sent whole on "Save settings" (the service audits only what changed);
a refused save keeps the form as typed.
"""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService, AdminSnapshot
from agentdesk.dialer.campaign_admin import CampaignChanges
from agentdesk.dialer.campaigns import CampaignInfo
from agentdesk.dialer.scripts import MERGE_FIELDS
from agentdesk.ui.admin.common import AdminTab, button_row, choose_data, note_label

DAY_NAMES = (
    QT_TRANSLATE_NOOP("CampaignSettingsTab", "Mon"),
    QT_TRANSLATE_NOOP("CampaignSettingsTab", "Tue"),
    QT_TRANSLATE_NOOP("CampaignSettingsTab", "Wed"),
    QT_TRANSLATE_NOOP("CampaignSettingsTab", "Thu"),
    QT_TRANSLATE_NOOP("CampaignSettingsTab", "Fri"),
    QT_TRANSLATE_NOOP("CampaignSettingsTab", "Sat"),
    QT_TRANSLATE_NOOP("CampaignSettingsTab", "Sun"),
)


def retry_text(rules: dict[str, dict[str, object]]) -> str:
    """``no_answer=120, busy=15, declined=final``: the rules as the field edits them."""
    parts = []
    for outcome, rule in rules.items():
        minutes = rule.get("retry_after_minutes", 0)
        value = "final" if rule.get("final") else f"{float(str(minutes)):g}"
        parts.append(f"{outcome}={value}")
    return ", ".join(parts)


class CampaignSettingsTab(AdminTab):
    def __init__(self, service: AdminService, executor: Executor, parent: QWidget | None) -> None:
        super().__init__(service, executor, parent)
        self.info: CampaignInfo | None = None
        self.campaignCombo = QComboBox(self)
        self.campaignCombo.setMinimumWidth(240)
        self.campaignCombo.currentIndexChanged.connect(self.load_campaign)
        self.stateLabel = QLabel(self)
        self.stateLabel.setObjectName("campaignState")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Campaign:"), self))
        top.addWidget(self.campaignCombo)
        top.addWidget(self.stateLabel)
        top.addStretch(1)

        self.modeCombo = QComboBox(self)
        for mode, text in (
            ("preview", self.tr("Preview")),
            ("progressive", self.tr("Progressive")),
            ("manual", self.tr("Manual")),
        ):
            self.modeCombo.addItem(text, mode)
        self.windowEdit = QLineEdit(self)
        self.windowEdit.setPlaceholderText("08:00-21:00")
        self.dayChecks: list[QCheckBox] = []
        days = QHBoxLayout()
        for name in DAY_NAMES:
            check = QCheckBox(self.tr(str(name)), self)
            self.dayChecks.append(check)
            days.addWidget(check)
        days.addStretch(1)
        self.attemptsSpin = QSpinBox(self)
        self.attemptsSpin.setRange(1, 99)
        self.prioritySpin = QSpinBox(self)
        self.prioritySpin.setRange(-1000, 1000)
        self.prioritySpin.setToolTip(
            self.tr("Agents get entries of higher-priority campaigns first.")
        )
        self.retryEdit = QLineEdit(self)
        self.retryEdit.setToolTip(
            self.tr("Minutes before an outcome is dialled again, or final: busy=15, declined=final")
        )
        self.scriptEdit = QPlainTextEdit(self)
        self.scriptEdit.setPlaceholderText(
            self.tr("Merge fields: {fields}").format(
                fields=" ".join("{" + field + "}" for field in MERGE_FIELDS)
            )
        )
        form = QFormLayout()
        form.addRow(self.tr("Mode:"), self.modeCombo)
        form.addRow(self.tr("Calling hours (callee's time):"), self.windowEdit)
        form.addRow(self.tr("Days:"), days)
        form.addRow(self.tr("Attempts at most:"), self.attemptsSpin)
        form.addRow(self.tr("Retry after (minutes):"), self.retryEdit)
        form.addRow(self.tr("Priority:"), self.prioritySpin)
        form.addRow(self.tr("Script:"), self.scriptEdit)

        self.saveButton = QPushButton(self.tr("Save settings"), self)
        self.saveButton.clicked.connect(self.save)
        self.pauseButton = QPushButton(self.tr("Pause"), self)
        self.pauseButton.clicked.connect(self.toggle_running)
        self.archiveButton = QPushButton(self.tr("Archive…"), self)
        self.archiveButton.clicked.connect(self.archive)
        self.emptyLabel = note_label(
            self.tr("No campaigns yet: create one with `agentdesk campaign create`."), self
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.emptyLabel)
        layout.addLayout(form, 1)
        layout.addLayout(button_row(self.archiveButton, self.pauseButton, self.saveButton))
        layout.addWidget(self.messageLabel)
        self._enable()

    # -- reading ------------------------------------------------------------------------------

    def show_snapshot(self, snapshot: AdminSnapshot) -> None:
        chosen = self.campaignCombo.currentData()
        self.campaignCombo.blockSignals(True)
        self.campaignCombo.clear()
        for name in snapshot.campaigns:
            self.campaignCombo.addItem(name, name)
        choose_data(self.campaignCombo, chosen)
        self.campaignCombo.blockSignals(False)
        self.emptyLabel.setVisible(not snapshot.campaigns)
        if self.info is None or self.info.name != self.campaignCombo.currentData():
            self.load_campaign()

    def load_campaign(self, *_: object) -> None:
        name = self.campaignCombo.currentData()
        self.info = None
        self._enable()
        if name is not None:
            self.run(lambda s: s.campaign(str(name)), self._show)

    def _show(self, info: CampaignInfo) -> None:
        if info.name != self.campaignCombo.currentData():
            return  # another campaign was picked meanwhile
        self.info = info
        choose_data(self.modeCombo, info.mode)
        self.windowEdit.setText(info.window)
        for day, check in enumerate(self.dayChecks):
            check.setChecked(day in info.weekdays)
        self.attemptsSpin.setValue(info.max_attempts)
        self.prioritySpin.setValue(info.priority)
        self.retryEdit.setText(retry_text(dict(info.retry_rules)))
        self.scriptEdit.setPlainText(info.script or "")
        self._enable()

    def _enable(self) -> None:
        info = self.info
        for widget in (self.saveButton, self.pauseButton, self.archiveButton):
            widget.setEnabled(info is not None)
        if info is None:
            self.stateLabel.setText("")
            return
        self.stateLabel.setText(self.tr("running") if info.active else self.tr("paused"))
        self.pauseButton.setText(self.tr("Pause") if info.active else self.tr("Resume"))

    # -- changing -----------------------------------------------------------------------------

    def changes(self) -> CampaignChanges:
        """The form as a change (read on this thread, before the work goes to the executor)."""
        return CampaignChanges(
            script=self.scriptEdit.toPlainText(),
            window=self.windowEdit.text().strip(),
            weekdays=tuple(day for day, check in enumerate(self.dayChecks) if check.isChecked()),
            max_attempts=self.attemptsSpin.value(),
            retry_rules=None,
            priority=self.prioritySpin.value(),
            mode=str(self.modeCombo.currentData()),
        )

    def save(self) -> None:
        if self.info is None:
            return
        name, changes, retry = self.info.name, self.changes(), self.retryEdit.text()

        def work(service: AdminService) -> CampaignInfo:
            from agentdesk.dialer.campaign_admin import parse_retry

            rules = parse_retry(p for p in retry.replace(";", ",").split(",") if p.strip())
            return service.update_campaign(name, _with_rules(changes, rules))

        def done(info: CampaignInfo) -> None:
            self._show(info)
            self.say(self.tr("Settings of {campaign} saved.").format(campaign=name))

        self.run(work, done, controls=[self.saveButton])

    def toggle_running(self) -> None:
        if self.info is None:
            return
        name, running = self.info.name, not self.info.active

        def done(info: CampaignInfo) -> None:
            self._show(info)
            text = self.tr("{campaign} runs again.") if running else self.tr("{campaign} paused.")
            self.say(text.format(campaign=name))

        self.run(lambda s: s.set_campaign_running(name, running), done, controls=[self.pauseButton])

    def archive(self) -> None:
        if self.info is None:
            return
        name = self.info.name
        answer = QMessageBox.question(
            self,
            self.tr("Archive campaign"),
            self.tr(
                "Archive {campaign}? Agents no longer see it; its calls stay in the reports."
            ).format(campaign=name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.archive_now()

    def archive_now(self) -> None:
        """Archive without asking (the button asks first)."""
        if self.info is None:
            return
        name = self.info.name

        def done(_: str) -> None:
            self.info = None
            self.saved(self.tr("{campaign} archived.").format(campaign=name))

        self.run(lambda s: s.archive_campaign(name), done, controls=[self.archiveButton])


def _with_rules(changes: CampaignChanges, rules: dict[str, object]) -> CampaignChanges:
    from dataclasses import replace

    return replace(changes, retry_rules=rules)
