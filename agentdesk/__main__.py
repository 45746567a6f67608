from __future__ import annotations

from agentdesk.cli.main import main

raise SystemExit(main())
