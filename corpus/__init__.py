"""The bundled document families: each folder is the data of one family (source text and PDF,
manifest, hand-checked expectations) and declares the family in its `__init__.py`; the families
are registered in pyproject.toml's `yakkan.families` entry point group, never imported by name."""
