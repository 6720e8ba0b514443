"""Reports: figures, HTML and Markdown rendering, CSV/JSON data, and provenance."""
