#!/usr/bin/env bash
# Run AgentDesk on the embedded SQLite database (created with demo data on first run).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_agentdesk app
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "app: no display found; running offscreen (set DISPLAY to see the window)" >&2
  export QT_QPA_PLATFORM=offscreen
fi
exec .venv/bin/agentdesk "$@"
