"""The sales screens: pipeline, quote editor, orders, forecast, the party\x27s sales."""
