"""Kinds of data a use case reports as changed, so panels refresh only what they show.

A mutating service returns the set of kinds it touched (Anki's ``OpChanges`` idea); the UI
reloads a panel only when one of its kinds is in that set.
"""

from __future__ import annotations

CALLS = "calls"
CALLBACKS = "callbacks"
CASES = "cases"
OPPORTUNITIES = "opportunities"
CONTACTS = "contacts"
LEADS = "leads"
ACCOUNTS = "accounts"
