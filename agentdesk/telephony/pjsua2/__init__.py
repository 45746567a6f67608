"""pjsua2."""
