"""Imported by the batch's fork server before it forks workers: spaCy, the components, and the
pipeline warmed up once.

Importing this module imports spaCy (without its command-line package, as the extraction stage
does), registers yakkan's components and runs the pipeline on a tiny document (`warm_up`), so
each worker forked from the server starts with the spaCy Language and Sudachi built instead of
paying spaCy's import (~0.3 s) and the Language's construction (~0.2 s) itself, again after
every pool restart. It has no other use: nothing else imports it.
"""

from __future__ import annotations

from pipeline.extract.language import import_spacy

import_spacy()

import extractors.components  # noqa: E402,F401 - after spaCy, as the extraction stage loads it
from pipeline.store.work import warm_up  # noqa: E402 - after the components it runs

warm_up()
