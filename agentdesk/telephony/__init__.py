"""Telephony: the Softphone port, the pjsua2 adapter and SIP/CTI header parsing."""
