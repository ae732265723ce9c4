"""The Textual reader: imported only when the TUI is launched, never by the core."""
