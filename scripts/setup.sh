#!/usr/bin/env bash
# Installs what AgentDesk needs on Debian: system packages (only the missing ones), a virtualenv
# in .venv and the Python packages. Sourced by scripts/app.sh and scripts/test.sh.
# Usage: setup_agentdesk app|test
set -euo pipefail

AGENTDESK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Qt's runtime libraries (offscreen and xcb) and fonts that cover Chinese; the quote PDFs
# embed the TrueType WenQuanYi Zen Hei (reportlab cannot load Noto CJK's CFF outlines).
APP_DEBS=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
          libxcb-randr0 libxcb-render-util0 libxcb-image0 fonts-noto-cjk fonts-wqy-zenhei
          python3-venv)
# Real peers for the tests: SIPp, Kamailio, PostgreSQL, Xvfb for screenshots, pdftoppm.
TEST_DEBS=(sip-tester kamailio postgresql xvfb poppler-utils)

_missing_debs() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

_install_debs() {
  local missing
  missing=$(_missing_debs "$@")
  [ -z "$missing" ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing system packages: $missing (install them with your package manager)" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing Debian packages: $(echo $missing | tr '\n' ' ')" >&2
  # policy-rc.d keeps the packaged Kamailio/PostgreSQL services from starting: tests run their own.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

_python() {
  local cand
  for cand in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$cand" ] || continue
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      echo "$cand"; return 0
    fi
  done
  echo "setup: Python 3.11 or newer is required (apt-get install python3)" >&2
  return 1
}

setup_agentdesk() {
  local what="${1:-app}" extra="" stamp py
  if [ "$what" = test ]; then
    _install_debs "${APP_DEBS[@]}" "${TEST_DEBS[@]}"
    extra="[test]"
  else
    _install_debs "${APP_DEBS[@]}"
  fi
  cd "$AGENTDESK_ROOT"
  py=$(_python)
  if [ ! -x .venv/bin/python ]; then
    "$py" -m venv .venv
  fi
  # Reinstall only when the project's dependencies changed: keeps repeated runs fast.
  stamp=".venv/.agentdesk-$what-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".$extra"
    touch "$stamp"
  fi
}
