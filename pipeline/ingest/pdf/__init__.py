"""PDF ingestion: PDF bytes → `RawDocument`, the text lines of every page in reading order.

Works from the characters and their boxes, never from a library's text extraction:

1. characters come from pypdfium2's text page (the default) or, with
   `char_source="pdfplumber"`, from pdfplumber (the values of `page.chars`, read from the
   pdfminer layout underneath), several times slower; both give the same lines; a character
   drawn twice at the same place (fake bold, shadow) is kept once;
2. characters are grouped into rows by their bottom edge, whatever their order in the content
   stream: a list number drawn as its own run (Word, InDesign and macOS Quartz draw automatic
   numbering apart from its text, before or after it) joins the line it stands on;
3. running headers, footers and page numbers go: rows near the top or bottom edge whose text
   (digits masked) repeats at the same height on many pages, and edge rows holding only the
   page's own number; the title on page 1 stays, as it stands elsewhere than the header;
4. each page is searched for a column gutter: a vertical band, with text on both sides, that
   more rows leave empty than cross, between two columns of prose (each wide, and filled by
   most of its rows: a strip of list numbers at a hanging indent is no column, nor is a
   table, which is read row by row as printed); rows that cross it (a title, a preamble) stay
   whole; a page with too few rows to show columns (the last) keeps the other pages' gutter;
5. the page is read band by band (a run of rows that keep to the columns, or one crossing row)
   and, within a band, column by column: each row's part left of the gutter is one line of the
   left column, read before the right column's.

Every line keeps its page, box, column and per-character boxes (`RawLine`). A PDF whose text
layer is missing (a scan), unusable ('(cid:NN)' glyphs, control characters), encrypted,
truncated or not a PDF at all fails with an `IngestError` naming the reason in one line.

The modules, in the order the data flows:
- `options`: `PdfOptions`, every tolerance of the layout analysis, with its default;
- `chars`: `Char` and `Page`, the characters an engine gives, before any layout, and the same
  column by column (`PageChars`, `CharRow`: parallel lists, one numpy array per page), the
  shape the layout works on, with no tuple per character on the way;
- `checks`: the one-line failures (not a PDF, truncated, encrypted, damaged, no text layer);
- `pdfium_chars`, `pdfplumber_chars`: each engine's characters (step 1);
- `lines`: characters → rows → `RawLine`s, with the spaces the gaps stand for (step 2);
  `rowstats`: every row's extremes (highest top, widest gap, ...) found for the page at once;
  `pagerows`: the rows of every page found together, in one pass of numpy calls;
- `headers`: running headers, footers and page numbers (step 3);
- `columns`: the gutter and the reading order (steps 4 and 5);
- `reader`: `read_pdf`, the stage that runs them in turn.
"""

from pipeline.ingest.pdf.chars import CharSource
from pipeline.ingest.pdf.options import DEFAULT_OPTIONS, PdfOptions
from pipeline.ingest.pdf.reader import read_pdf

__all__ = ["DEFAULT_OPTIONS", "CharSource", "PdfOptions", "read_pdf"]
