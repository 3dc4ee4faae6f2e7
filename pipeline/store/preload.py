"""Imported by the batch's fork server before it forks workers: spaCy and the components.

Importing this module imports spaCy (without its command-line package, as the extraction stage
does) and registers yakkan's components, so each worker forked from the server starts with them
loaded instead of paying spaCy's import (~0.3 s) itself, again after every pool restart. It has
no other use: nothing else imports it.
"""

from __future__ import annotations

from pipeline.extract.language import import_spacy

import_spacy()

import extractors.components  # noqa: E402,F401 - after spaCy, as the extraction stage loads it
