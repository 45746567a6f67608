"""Pure domain: value objects, enums and state machines. No I/O, no agentdesk imports."""
