"""spaCy components that extract typed values from terms text, one module per kind."""
