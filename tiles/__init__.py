"""Vector tiles and map aggregates (built by the leaders' dashboard issue)."""
