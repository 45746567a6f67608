"""Labels an admin configures (dispositions), one per language, and which one a reader sees.

The UI's own words go through Qt's catalogue; a label the admin writes is data, stored in
English and Chinese (``label`` and ``label_zh``). The desk shows the one of its UI language,
the CLI's exports the one of the configured language.
"""

from __future__ import annotations

from dataclasses import dataclass


def is_chinese(language: str | None) -> bool:
    """``zh_CN``, ``zh_SG``, ``zh``: a language whose readers get the Chinese label."""
    return language is not None and language.replace("-", "_").split("_")[0].lower() == "zh"


@dataclass(frozen=True, slots=True)
class Label:
    """One label in English and, when the admin gave one, in Chinese."""

    en: str
    zh: str | None = None

    def text(self, language: str | None) -> str:
        """The label in ``language`` (``None``: English); English where no Chinese is set."""
        return self.zh if self.zh and is_chinese(language) else self.en
