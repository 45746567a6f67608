"""PySide6 widgets, item models and controllers. Talks to agentdesk.app only."""
