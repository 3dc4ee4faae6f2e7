"""The language layer: numerals and the structure grammar (markers, headings), used by
the stages and by `extractors/` alike; it imports no stage."""
