"""The supervisor's screens."""
