"""Feeds and sites: parsing RSS, Atom and JSON Feed, and reading feedless sites."""
