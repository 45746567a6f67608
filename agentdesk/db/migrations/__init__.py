"""Alembic migrations for the shared schema (run through agentdesk.db.migrate)."""
