"""The Reports dialog's column titles, through Qt's translation (the PDF, made outside Qt,
has its own words in ``supervision.report_labels``). The keys are the report's own
(``supervision.report_files.TABLE_KEYS``); a key without a title shows as itself, and a test
holds every key of every report to a title here."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def column_title(key: str) -> str:
    """The title of the report column ``key`` in the UI's language."""
    translate = QCoreApplication.translate
    match key:
        case "queue":
            return translate("ReportColumns", "Queue")
        case "interval_start":
            return translate("ReportColumns", "Interval")
        case "hour":
            return translate("ReportColumns", "Hour")
        case "offered":
            return translate("ReportColumns", "Offered")
        case "answered":
            return translate("ReportColumns", "Answered")
        case "abandoned":
            return translate("ReportColumns", "Abandoned")
        case "short_abandoned":
            return translate("ReportColumns", "Short abandons")
        case "service_level_pct":
            return translate("ReportColumns", "SL %")
        case "asa_s":
            return translate("ReportColumns", "ASA s")
        case "aht_s":
            return translate("ReportColumns", "AHT s")
        case "longest_wait_s":
            return translate("ReportColumns", "Longest wait s")
        case "agent":
            return translate("ReportColumns", "Agent")
        case "handled_in":
            return translate("ReportColumns", "In")
        case "handled_out":
            return translate("ReportColumns", "Out")
        case "talk_s":
            return translate("ReportColumns", "Talk s")
        case "hold_s":
            return translate("ReportColumns", "Hold s")
        case "wrapup_s":
            return translate("ReportColumns", "Wrap-up s")
        case "not_ready_s":
            return translate("ReportColumns", "Not ready s")
        case "available_s":
            return translate("ReportColumns", "Available s")
        case "occupancy_pct":
            return translate("ReportColumns", "Occupancy %")
        case "calls_per_hour":
            return translate("ReportColumns", "Calls/h")
        case "disposition":
            return translate("ReportColumns", "Disposition")
        case "label":
            return translate("ReportColumns", "Label")
        case "label_zh":
            return translate("ReportColumns", "Label")
        case "calls":
            return translate("ReportColumns", "Calls")
        case "share_pct":
            return translate("ReportColumns", "Share %")
        case "campaign":
            return translate("ReportColumns", "Campaign")
        case "dialed":
            return translate("ReportColumns", "Dialed")
        case "attempts":
            return translate("ReportColumns", "Attempts")
        case "contacted":
            return translate("ReportColumns", "Contacted")
        case "successes":
            return translate("ReportColumns", "Successes")
        case "remaining":
            return translate("ReportColumns", "Remaining")
        case _:
            return key
