"""The desk's journal: every change for the shared database is kept locally first, then applied."""
