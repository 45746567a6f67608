"""Load the UI translation: ``[ui] language`` if set, else the system locale's language.

The catalogues are ``resources/i18n/agentdesk_<language>.qm``, compiled from the .ts files by
``scripts/i18n.py release`` and committed, so running the app needs no Qt tools.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parents[3] / "resources" / "i18n"
"""In a checkout, an editable install and the PyInstaller bundle (build.spec ships resources/)."""
INSTALLED_I18N_DIR = Path(sys.prefix) / "share" / "agentdesk" / "i18n"
"""Where a wheel puts the catalogues (pyproject ``[tool.setuptools.data-files]``)."""
CATALOGUES = ("zh_CN",)
"""Languages with an AgentDesk catalogue; English is the source language."""

log = logging.getLogger(__name__)

_language: str | None = None


def ui_language() -> str | None:
    """The catalogue the UI shows (``zh_CN``), ``None`` for English: labels the admin writes
    in two languages (dispositions) show in this one."""
    return _language


def choose_language(configured: str | None, system: QLocale | None = None) -> str | None:
    """The catalogue to load: ``None`` means English (the strings in the code).

    ``configured`` is ``[ui] language`` (``None`` for "follow the system").
    """
    if configured is not None:
        return configured if configured in CATALOGUES else None
    locale = system if system is not None else QLocale.system()
    # Only Simplified Chinese has a catalogue: zh_TW / zh_HK (Traditional) stay English.
    if (
        locale.language() == QLocale.Language.Chinese
        and locale.script() == QLocale.Script.SimplifiedHanScript
    ):
        return "zh_CN"
    return None


def install_translators(app: QCoreApplication, language: str | None) -> list[QTranslator]:
    """Install AgentDesk's catalogue for ``language`` and Qt's own (dialog buttons...).

    Returns the installed translators (children of ``app``, so they live as long as it does);
    an empty list for English. A missing catalogue is logged, and the UI stays in English.
    """
    global _language
    if language is None:
        return []
    installed: list[QTranslator] = []
    ours = QTranslator(app)
    name = f"agentdesk_{language}.qm"
    if any(ours.load(str(folder / name)) for folder in (I18N_DIR, INSTALLED_I18N_DIR)):
        app.installTranslator(ours)
        installed.append(ours)
        _language = language
    else:
        log.warning(
            "no %s in %s or %s: the UI stays in English", name, I18N_DIR, INSTALLED_I18N_DIR
        )
        return installed
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{language}", qt_dir) or qt.load(f"qt_{language}", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    global _language
    if translators:
        _language = None
    for translator in translators:
        app.removeTranslator(translator)
        translator.deleteLater()
