"""Use cases joining crm, telephony and dialer, and the composition root (bootstrap)."""
