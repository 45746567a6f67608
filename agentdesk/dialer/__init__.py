"""Call lists, next-entry selection, do-not-call, calling hours, retries and pacing."""
