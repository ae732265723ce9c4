"""Reader mode: a web page turned into a structured, readable Document."""
