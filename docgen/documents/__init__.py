"""One module per document: each builds its content from the Summary and writes its file."""
