"""The access rule's precedence, and the defaults a new database is seeded with."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from agentdesk.domain.access import (
    DEFAULT_CAPABILITIES,
    DEFAULT_PERMISSIONS,
    Action,
    Capability,
    Depth,
    Reach,
    RecordKind,
    Share,
    allows,
)
from agentdesk.domain.enums import Role

R, U, D = Action.READ, Action.UPDATE, Action.DELETE


@pytest.mark.parametrize(
    ("depth", "action", "reach", "share", "expected"),
    [
        (Depth.ALL, D, Reach.OTHER, None, True),  # 1. all reaches everything
        (Depth.NONE, R, Reach.OTHER, Share.READ, True),  # 2. a share, whatever the depth
        (Depth.NONE, U, Reach.OTHER, Share.READ, False),  # a read share does not write
        (Depth.NONE, U, Reach.OTHER, Share.WRITE, True),
        (Depth.OWN, D, Reach.OTHER, Share.WRITE, False),  # a share never deletes
        (Depth.NONE, R, None, None, False),  # 3. none refuses, even the pool
        (Depth.OWN, U, None, None, True),  # 4. the pool, at any depth above none
        (Depth.OWN, U, Reach.SELF, None, True),  # 5. the owner within the depth
        (Depth.OWN, U, Reach.TEAM, None, False),
        (Depth.TEAM, U, Reach.TEAM, None, True),
        (Depth.TEAM, U, Reach.DEPARTMENT, None, False),
        (Depth.DEPARTMENT, U, Reach.DEPARTMENT, None, True),
        (Depth.DEPARTMENT, U, Reach.OTHER, None, False),
    ],
)
def test_precedence(
    depth: Depth, action: Action, reach: Reach | None, share: Share | None, expected: bool
) -> None:
    assert allows(depth, action, reach, share) is expected


def test_the_defaults_fit_a_call_center() -> None:
    agent = DEFAULT_PERMISSIONS[Role.AGENT]
    for kind in (RecordKind.ACCOUNTS, RecordKind.CONTACTS, RecordKind.LEADS):
        assert agent[kind][R] is Depth.ALL  # a screen pop must find any caller
        assert agent[kind][U] is Depth.OWN
    assert DEFAULT_PERMISSIONS[Role.SALES_REP][RecordKind.OPPORTUNITIES][R] is Depth.OWN
    assert DEFAULT_PERMISSIONS[Role.SALES_MANAGER][RecordKind.OPPORTUNITIES][R] is Depth.DEPARTMENT
    assert DEFAULT_PERMISSIONS[Role.SUPERVISOR][RecordKind.CALLS][R] is Depth.DEPARTMENT
    assert all(
        depth is Depth.ALL
        for row in DEFAULT_PERMISSIONS[Role.ADMIN].values()
        for depth in row.values()
    )
    assert DEFAULT_CAPABILITIES[Role.ADMIN] == frozenset(Capability)
    assert Capability.REASSIGN not in DEFAULT_CAPABILITIES[Role.AGENT]


def test_a_new_database_is_seeded_with_the_defaults() -> None:
    """Migration 0008 carries a frozen copy of the matrix; it must match what shipped with it."""
    path = next(Path("agentdesk/db/migrations/versions").glob("0008_org_*.py"))
    spec = importlib.util.spec_from_file_location("m0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    seeded = {
        Role(role): {
            RecordKind(kind): dict(zip(Action, map(Depth, depths.split()), strict=True))
            for kind, depths in kinds.items()
        }
        for role, kinds in module.PERMISSIONS.items()
    }
    assert seeded == DEFAULT_PERMISSIONS
    capabilities = {
        Role(role): frozenset(map(Capability, caps.split()))
        for role, caps in module.CAPABILITIES.items()
    }
    assert capabilities == DEFAULT_CAPABILITIES
