"""Output formats of a Document and of the library: terminal, text, Markdown, EPUB, OPML."""
