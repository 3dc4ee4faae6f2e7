"""Ingest: PDF and text sources → `RawDocument` (pages, lines, boxes, columns)."""
