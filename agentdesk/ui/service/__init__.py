"""The service desk: the case list, the case form with its timeline, the knowledge base."""
