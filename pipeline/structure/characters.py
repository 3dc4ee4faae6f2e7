"""Pass 1 of `normalize`: fold each character, remembering the raw offset it came from.

Full-width ASCII → half-width (ＮＥＣ → NEC, １３ → 13, （１） → (1)), ideographic space → space,
half-width kana → full-width (ｶﾞ → ガ), Kangxi radicals → ideographs (⽤ → 用), control and
zero-width characters dropped, Markdown emphasis and heading marks dropped. Circled digits, 〜, ー
and the month counters ヶ/ヵ are left as they are: they carry meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

MappedLine = tuple[str, list[int]]
"""A run of normalized text and, per character, the raw offset it came from.

Text and offsets are kept apart (not a list of (character, offset) pairs): the passes then
work on strings with str methods and slices, and a line costs two objects, not one per
character.
"""

RawLine = tuple[str, Sequence[int]]
"""A raw line's folded text and the raw offset of each character: a `range` when they are the
raw positions themselves (most lines: no list is built for them), else a list."""

_MARKDOWN_HEADING = re.compile(r"^#{1,6}[ 　]+")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_EMPHASIS = re.compile(r"\*\*")


def map_char(ch: str) -> str:
    """The normalized form of one character ('' to drop it)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if ch in "\u3000\u00a0\t":
        return " "
    if 0x2E80 <= code <= 0x2FDF:
        # CJK radicals and Kangxi radicals that PDFs emit in place of ideographs (⽤ → 用).
        return unicodedata.normalize("NFKC", ch)
    if 0xFF61 <= code <= 0xFF9F:
        return unicodedata.normalize("NFKC", ch)
    if ch in "\u200b\u200c\u200d\u2060\ufeff" or (unicodedata.category(ch) == "Cc" and ch != "\n"):
        return ""
    return ch


_VOICED_MARKS = {"\uff9e": "\u3099", "\uff9f": "\u309a"}


def _folding_tables() -> tuple[dict[int, str], re.Pattern[str], re.Pattern[str]]:
    """`map_char` as a `str.translate` table for the characters it turns into exactly one other
    character, and a pattern matching every character it treats otherwise (dropped, expanded,
    or a voiced mark that composes with the kana before it); the same pattern without the
    newline, for a whole text (a line holds none)."""
    table: dict[int, str] = {}
    irregular: list[str] = ["\u200b\u200c\u200d\u2060\ufeff", *_VOICED_MARKS]
    candidates = [0x3000, 0x00A0, 0x09, *range(0xFF01, 0xFF5F), *range(0x2E80, 0x2FE0)]
    candidates += range(0xFF61, 0xFFA0)
    for code in candidates:
        mapped = map_char(chr(code))
        if chr(code) in _VOICED_MARKS or len(mapped) != 1:
            irregular.append(chr(code))
        elif mapped != chr(code):
            table[code] = mapped
    # Control characters (category Cc) but the tab are dropped.
    others = "\x0b-\x1f\x7f-\x9f" + re.escape("".join(irregular))
    in_line = re.compile("[\x00-\x08\n" + others + "]")
    return table, in_line, re.compile("[\x00-\x08" + others + "]")


_FOLD, _IRREGULAR, _IRREGULAR_IN_TEXT = _folding_tables()
_FOLDABLE = re.compile("[" + re.escape("".join(map(chr, _FOLD))) + "]")
"""A character `_FOLD` changes."""
_FOLD_CHARS = {chr(code): mapped for code, mapped in _FOLD.items()}
MAX_REPLACED_CHARS = 128
"""Up to this many distinct foldable characters, `fold` replaces each in turn (one C pass over
the text per character, a fraction of a nanosecond per character each) rather than translate
(a table look-up per character of the text, some fifty nanoseconds each)."""


def fold(text: str) -> str:
    """`text` with every character `_FOLD` changes folded (ＮＥＣ → NEC, ｶ → カ, ⽤ → 用).

    The same as `text.translate(_FOLD)`: no character is folded into one that `_FOLD`
    changes again, so the replacements do not depend on their order, and a translate of the
    text partly replaced gives what it gives of the whole.
    """
    replaced = 0
    at = 0
    # The first foldable character left, sought from where the last one was first found
    # (none stands before it any more): the searches read the text once in all.
    while (found := _FOLDABLE.search(text, at)) is not None:
        if replaced == MAX_REPLACED_CHARS:
            return text.translate(_FOLD)
        ch = found.group()
        text = text.replace(ch, _FOLD_CHARS[ch])
        replaced += 1
        at = found.start()
    return text


def _map_line(line: str, folded: str, start: int) -> RawLine:
    """Map the characters of one raw line (`folded`: the line through `fold`); strip its edge
    spaces and Markdown marks."""
    if not line:
        return line, range(start, start)  # a blank line (every other line of some texts)
    if _IRREGULAR.search(line) is None:
        # Every character maps to exactly one (the common case): the folded line as it is, no
        # loop, and the offsets are the raw positions themselves, a range.
        text = folded
        if not _has_markdown(text):
            return _plain_line(text, start)
        return _strip_edges(*_strip_markdown(text, list(range(start, start + len(text)))))
    out: list[str] = []
    offsets: list[int] = []
    for offset, ch in enumerate(line):
        if ch in _VOICED_MARKS and out:
            # ｶﾞ → ガ: the half-width voiced mark composes with the kana before it.
            composed = unicodedata.normalize("NFC", out[-1] + _VOICED_MARKS[ch])
            if len(composed) == 1:
                out[-1] = composed
                continue
        for mapped in map_char(ch):
            out.append(mapped)
            offsets.append(start + offset)
    return _strip_edges(*_strip_markdown("".join(out), offsets))


def _plain_line(text: str, start: int) -> RawLine:
    """A folded line whose every character came from one raw character and without Markdown
    marks (starting at raw offset `start`): only its edge spaces stripped, its offsets a range."""
    if text[:1] == " " or text[-1:] == " ":
        lo, hi = _edges(text)
        return text[lo:hi], range(start + lo, start + hi)
    return text, range(start, start + len(text))


def _edges(text: str) -> tuple[int, int]:
    """Where the text starts and ends without the spaces at either end."""
    return len(text) - len(text.lstrip(" ")), len(text.rstrip(" "))


def _strip_edges(text: str, offsets: list[int]) -> MappedLine:
    """The characters without the spaces at either end."""
    lo, hi = _edges(text)
    return text[lo:hi], offsets[lo:hi]


def _has_markdown(text: str) -> bool:
    """Whether a line may hold marks `_strip_markdown` drops (most lines do not); of a whole
    text, whether any of its lines may."""
    return text.startswith("#") or "**" in text or "<" in text or "\n#" in text


def _strip_markdown(text: str, offsets: list[int]) -> MappedLine:
    """Drop Markdown heading marks, ** emphasis and lines of HTML tags (formatting).

    A Markdown quote ('> …', an editorial note beside a clause) keeps its '>' so that the
    segmenter can leave it out of the clauses.
    """
    if not _has_markdown(text):
        return text, offsets  # nothing to drop (most lines): skip the patterns
    drop: set[int] = set()
    m = _MARKDOWN_HEADING.match(text)
    if m:
        drop.update(range(m.start(), m.end()))
    for m in _EMPHASIS.finditer(text):
        drop.update(range(m.start(), m.end()))
    tag = _HTML_TAG.fullmatch(text.strip())
    if tag:
        # A line that is only a tag ('<div style=…>') wraps text; a tag inside a sentence is
        # the document's own text and stays.
        drop.update(range(len(text)))
    if not drop:
        return text, offsets
    kept = [i for i in range(len(text)) if i not in drop]
    return "".join(text[i] for i in kept), [offsets[i] for i in kept]


def mapped_lines(raw: str, raw_lines: list[str]) -> Iterator[RawLine]:
    """Each raw line's characters, folded, with their raw offsets (`raw_lines`: the lines of
    `raw`, split at its newlines)."""
    # Folded as one text, not line by line: `fold` then passes over the text once per
    # character it changes, where lines would each be searched and translated.
    folded = fold(raw)
    folded_lines = folded.split("\n")
    start = 0
    if _IRREGULAR_IN_TEXT.search(raw) is None and not _has_markdown(folded):
        # No line holds a character to drop or expand, nor a Markdown mark (most PDFs): each
        # is its folded self, only edge spaces stripped, as `_map_line` would give it.
        for text in folded_lines:
            yield _plain_line(text, start)
            start += len(text) + 1
        return
    for line, folded_line in zip(raw_lines, folded_lines, strict=True):
        yield _map_line(line, folded_line, start)
        start += len(line) + 1
