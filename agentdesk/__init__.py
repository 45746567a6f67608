"""AgentDesk: a desktop CTI agent application for call centers."""

from __future__ import annotations

__version__ = "0.1.0"
