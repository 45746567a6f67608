"""The organisation: users, teams, roles and their permissions, ownership and sharing."""
