#!/usr/bin/env bash
# The whole check: lint, format, types, layer contracts and every test (SQLite, PostgreSQL, SIP, UI).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_agentdesk test
export QT_QPA_PLATFORM=offscreen
# Tests must never touch the real user's data folder or keyring.
export XDG_DATA_HOME="$(mktemp -d)" XDG_CONFIG_HOME="$(mktemp -d)"
export PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring

echo "== ruff check";        .venv/bin/ruff check .
echo "== ruff format";       .venv/bin/ruff format --check .
echo "== mypy (strict)";     .venv/bin/mypy
echo "== import contracts";  .venv/bin/lint-imports
echo "== pytest";            exec .venv/bin/pytest "$@"
