from __future__ import annotations

from agentdesk.cli import main

raise SystemExit(main())
