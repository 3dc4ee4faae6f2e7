"""Extraction: the extractor components over a Document's provisions.

`language` builds the one spaCy Language of the process, on `tokenizer` (SudachiPy morphemes
straight into a Doc); `runner.extract` runs it over the provisions and records what it finds;
`values` says when two extracted values are the same; `versions` reads the version history
from the dates of the 附則.
"""
