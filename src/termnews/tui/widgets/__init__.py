"""Widgets that present data and post intent messages; the main screen acts on them."""
