"""Screens of the reader: the main two-pane screen and its modal dialogs."""
