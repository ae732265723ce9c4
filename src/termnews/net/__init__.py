"""Fetching: the one HTTP client, its error hierarchy and the decoding of bodies."""
