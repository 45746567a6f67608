"""The service module: cases with service levels and escalation, business hours, the
knowledge base. Sits between calls (a wrap-up opens a case) and crm (a case's party)."""
