"""The admin screen: users, teams, the role matrix, dispositions, campaign assignment."""
