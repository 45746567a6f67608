"""``[ui] language``: which values the config accepts and what they mean."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentdesk.config.settings import ConfigError, load_settings, parse_settings


@pytest.mark.parametrize(
    ("doc", "language"),
    [
        ({}, None),
        ({"ui": {}}, None),
        ({"ui": {"language": "system"}}, None),
        ({"ui": {"language": "en"}}, "en"),
        ({"ui": {"language": "zh_CN"}}, "zh_CN"),
    ],
)
def test_language_values(doc: dict[str, object], language: str | None) -> None:
    assert parse_settings(doc).ui.language == language


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"ui": {"language": "fr"}}, r"\[ui\] language 'fr' is not one of system, en, zh_CN"),
        ({"ui": {"language": "zh-cn"}}, "is not one of"),
        ({"ui": {"language": 3}}, r"\[ui\] language must be str, not int"),
        ({"ui": "zh_CN"}, r"\[ui\] must be a table"),
    ],
)
def test_bad_language_values_name_the_key(doc: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_settings(doc)


def test_language_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "agentdesk.toml"
    path.write_text('[ui]\nlanguage = "zh_CN"\n\n[agent]\nusername = "li.na"\n', encoding="utf-8")
    settings = load_settings(path)
    assert (settings.ui.language, settings.agent.username) == ("zh_CN", "li.na")
