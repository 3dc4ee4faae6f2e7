"""The language layer: numerals, the structure grammar (headings, numbering markers, numbering
styles) and titles, used by the stages and by `extractors/` alike; it imports no stage."""
