"""Extraction: the spaCy `Language` over a Document's passages, the SudachiPy tokenizer it
runs on, and version history read from the extracted dates."""
