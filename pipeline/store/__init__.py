"""Feeding other systems: the SQLite store, batch processing into it, and export."""
