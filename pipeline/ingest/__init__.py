"""Ingest: PDF and text sources → `RawDocument` (pages, lines, boxes, columns).

- `sources`: reading a file safely (regular files only, size limit), decoding text files by
  their detected encoding, and handing PDF bytes to `pdf`;
- `pdf`: the PDF reader, from each page's characters to its lines in reading order.
"""
