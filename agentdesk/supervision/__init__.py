"""Supervisors' module: agent presence, queue and agent figures, the board and reports."""
