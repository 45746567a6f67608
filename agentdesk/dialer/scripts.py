"""Call scripts: the text the preview screen shows, with ``{field}`` merge fields filled in."""

from __future__ import annotations

import re
from collections.abc import Mapping

MERGE_FIELDS = (
    "first_name",
    "last_name",
    "name",
    "company",
    "city",
    "phone",
    "agent_name",
    "campaign",
)
_FIELD = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def render_script(template: str, values: Mapping[str, str | None]) -> str:
    """Fill ``{field}`` placeholders from ``values``.

    A known field without a value becomes empty; an unknown name stays visible as ``{name}``
    so a typo in the script shows on screen instead of silently vanishing. ``{{`` and ``}}``
    are literal braces.
    """

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = match.group(1)
        if name in values:
            return values[name] or ""
        return "" if name in MERGE_FIELDS else token

    return _FIELD.sub(replace, template)


def unknown_fields(template: str) -> tuple[str, ...]:
    """Placeholder names in ``template`` that are not merge fields (to warn the admin)."""
    names = [m.group(1) for m in _FIELD.finditer(template) if m.group(1)]
    return tuple(dict.fromkeys(n for n in names if n not in MERGE_FIELDS))
