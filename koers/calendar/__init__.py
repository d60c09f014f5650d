"""The appreciation calendar (waarderingskalender): yearly and relation moments."""
