"""Defined terms (定義語), in the ways terms documents define them.

- inline, after the thing defined: '株式会社日経統合システム(以下「当社」という。)',
  '日本電気株式会社(以下NECといいます)', '(以下、本条において「利用設備等」という。)',
  '(以下反社会的勢力と総称します)'; the definition is the noun phrase before the bracket;
- a gloss in brackets after the term: '役員(業務を執行する社員…をいう。)',
  '契約不適合(…場合をいいます。以下同じ。)';
- a definition clause: '「海外旅行」とは、国内旅行以外の旅行をいいます。', also for two terms
  at once ('「接触確認アプリケーション」及び「本アプリ」とは、…');
- a definition list: one '・term meaning' line per term (NAS 第2条), or an item whose caption
  is the term and whose text under it the definition ('(1) 会員' then '本規約に同意の上、…
  個人をいいます。').
'(…を含む。以下同じ。)' widens a word without defining it and is not extracted.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.phrases import (
    CONTENT_CHARS,
    LAYOUT_BREAK,
    loose,
    trailing_noun,
    without_determiners,
)
from extractors.spans import Match, component_factory
from pipeline.models import DefinedTermValue

SPAN_KEY = "defined_terms"


_BELOW = loose("以下")
_TOGETHER = f"(?:{loose('あわせて')}|{loose('併せて')}|、)"
_TERM_CHAR = rf"(?:[^「」、。()（）\s]|{LAYOUT_BREAK})"
_SAY = r"\s*と\s*(?:いう|いい(?:ます)?|総称(?:する|します|し)|称(?:する|します))"
QUOTED_RE = re.compile(
    rf"{_BELOW}\s*(?P<mid>[^「」。()（）]{{0,20}}?)「(?P<term>[^「」]{{1,40}})」{_SAY}"
)
UNQUOTED_RE = re.compile(rf"{_BELOW}\s*{_TOGETHER}?\s*(?P<term>{_TERM_CHAR}{{1,30}}?){_SAY}")
_MEANING = "いいます|いう|言う|指します|指す|意味します|意味する"
"""The verbs a definition ends in after を: 'をいいます', 'を指す', 'を意味する'."""
GLOSS_END_RE = re.compile(
    rf"を(?:{_MEANING})。?(?:\s*以下\s*、?\s*同じ(?:とします|です)?。?)?\s*$"
)
LIST_RE = re.compile(
    r"(?m)^[ \t\u3000]*・(?P<term>[^\s・、。]{1,30})[ \t\u3000]+(?P<definition>\S[^\n]*)"
)
_TOHA = r"とは(?!\s*(?:限|言え|いえ))"
"""とは as in a definition, not 'とは限らない' or 'とは言えない'."""
CLAUSE_RE = re.compile(
    r"(?P<terms>「[^「」\n]{1,40}」(?:\s*(?:及び|および|並びに|ならびに|又は|または|、|・)\s*"
    rf"「[^「」\n]{{1,40}}」)*)\s*{_TOHA}\s*[、,，]?"
)
"""'「海外旅行」とは、' and '「A」及び「B」とは、': the terms, quoted, before とは."""
UNQUOTED_CLAUSE_RE = re.compile(rf"(?<![」』]){_TOHA}\s*[、,，]")
"""'受注型企画旅行とは、…': とは after a bare noun, then a comma."""
_SUBJECT_LEADS = ("、", "で", "において", "における", "上")
"""What may stand before a bare term that とは defines: 'この約款で', '本規約において', '、'."""
CAPTION_RE = re.compile(
    r"\A[ \t\u3000]*(?P<term>[^\s、。,，「」『』()（）:：]{1,20})"
    r"(?:(?P<colon>[:：])[ \t\u3000]*(?=\S)|[:：]?[ \t\u3000]*\n)"
)
"""An item's caption alone on its first line ('会員'), the definition on the lines under it; or
the term and a colon before its definition ('契約者:利用契約を当社と締結し、…受ける方')."""
_MEANS = re.compile(rf"(?:の\s*こと\s*)?を\s*(?:{_MEANING}|いい|指し|意味し)")
"""Where a definition ends: 'をいいます', 'をいい、', 'のことをいう', 'を指します', 'を意味する'."""
_QUOTED_TERM = re.compile(r"「([^「」]+)」")
OPENING = {"(": ")", "（": "）", "「": "」"}
CLOSING = {v: k for k, v in OPENING.items()}
_CONTENT = re.compile(rf"[{CONTENT_CHARS}]")
_HIRAGANA = re.compile(r"[ぁ-ゖ]")
_OPEN_BRACKET = re.compile(r"[(（]")


def find_definitions(text: str) -> list[Match]:
    """Every term `text` defines, with its definition where the text gives one."""
    found = (
        _inline(text)
        + _glosses(text)
        + _listed(text)
        + _clauses(text)
        + _bare_clauses(text)
        + _captioned(text)
    )
    return sorted(found, key=lambda m: m.start)


def _inline(text: str) -> list[Match]:
    found: list[Match] = []
    if "以" not in text:
        return found  # both forms start with 以下: most passages can be passed over at once
    for regex in (QUOTED_RE, UNQUOTED_RE):
        for m in regex.finditer(text):
            term = re.sub(r"\s*\n\s*", "", m.group("term")).strip()
            before = text[max(0, m.start() - 300) : m.start()].rstrip()
            in_brackets = before.endswith(("(", "（"))
            definition = None
            if in_brackets:
                preceding = before[:-1].rstrip()
                definition = with_relative_clause(preceding, noun_phrase_before(preceding))
            value = DefinedTermValue(term=term, definition=definition or None, style="inline")
            found.append(Match(m.start(), m.end(), value))
    return found


def _glosses(text: str) -> list[Match]:
    found: list[Match] = []
    if "をい" not in text and "を言" not in text and "を指" not in text and "を意" not in text:
        return found  # a gloss ends in をいう / を言う / を指す / を意味する (GLOSS_END_RE)
    for bracket in _OPEN_BRACKET.finditer(text):
        start = bracket.start()
        end = _closing(text, start)
        if end is None:
            continue
        inner = text[start + 1 : end]
        gloss_end = GLOSS_END_RE.search(inner)
        if gloss_end is None or inner.lstrip().startswith("以下"):
            continue
        term = trailing_noun(text[:start]).removeprefix("当該")
        if not term:
            continue
        value = DefinedTermValue(
            term=term, definition=inner[: gloss_end.start()].strip(), style="inline"
        )
        found.append(Match(start - len(term), end + 1, value))
    return found


def _listed(text: str) -> list[Match]:
    found: list[Match] = []
    if "・" not in text:
        return found
    for m in LIST_RE.finditer(text):
        term = m.group("term")
        if _HIRAGANA.search(term):
            continue
        definition = m.group("definition").rstrip()
        value = DefinedTermValue(term=term, definition=definition, style="list")
        found.append(Match(m.start("term"), m.start("definition") + len(definition), value))
    return found


def _clauses(text: str) -> list[Match]:
    """'「X」とは、D をいう。': each quoted term before とは, defined by D (its sentence up to
    をいう, or the whole sentence where it ends otherwise)."""
    found: list[Match] = []
    if "とは" not in text:
        return found
    for m in CLAUSE_RE.finditer(text):
        definition, end, _ = _definition_from(text, m.end())
        for quoted in _QUOTED_TERM.finditer(m.group("terms")):
            # Each term its own span, from its quote: 「A」及び「B」とは gives two.
            value = DefinedTermValue(
                term=quoted.group(1).strip(), definition=definition or None, style="clause"
            )
            found.append(Match(m.start("terms") + quoted.start(), end, value))
    return found


def _bare_clauses(text: str) -> list[Match]:
    """'受注型企画旅行とは、当社が…契約をいいます。', '期日とは、原則として旅行開始日の7日前を
    指します': the noun that opens the sentence before とは, when the sentence ends its
    definition in をいう (or its kin, `_MEANS`); an unquoted とは elsewhere defines nothing."""
    found: list[Match] = []
    if "とは" not in text:
        return found
    for m in UNQUOTED_CLAUSE_RE.finditer(text):
        opening = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        head = text[opening : m.start()]
        term = trailing_noun(head)
        if not term or len(term) > 20 or _HIRAGANA.search(term):
            continue
        prefix = head[: len(head) - len(term)].rstrip()
        if prefix and not prefix.endswith(_SUBJECT_LEADS):
            continue  # '…を受けるお客様とは': a clause describes the noun; no definition
        definition, end, said = _definition_from(text, m.end())
        if not said or not definition:
            continue
        value = DefinedTermValue(term=term, definition=definition, style="clause")
        found.append(Match(m.start() - len(term), end, value))
    return found


def _captioned(text: str) -> list[Match]:
    """An item that opens with the term it defines: its caption, the definition under it
    ('ユーザー会員' then '会員の運用管理者により指定され、…個人をいいます。'), or the term and a
    colon ('契約者:利用契約を当社と締結し、本サービスの提供を受ける方'). The first sentence
    must read as a definition: it ends in をいう (or its kin, `_MEANS`) or, after a colon, in a
    noun ('…受ける方'); a caption over other text is a heading ('補償対象事故' then '…保険金を
    支払います。'), and 'パック:…1,780円とします。' states a price, not a meaning."""
    m = CAPTION_RE.match(text)
    if m is None or _HIRAGANA.search(m.group("term")[-1:]):
        return []
    definition, stop, said = _definition_from(text, m.end())
    noun_phrase = bool(m.group("colon")) and not _HIRAGANA.search(definition[-1:])
    if not definition or not (said or noun_phrase):
        return []
    value = DefinedTermValue(term=m.group("term"), definition=definition, style="list")
    return [Match(m.start("term"), stop, value)]


def _definition_from(text: str, start: int) -> tuple[str, int, bool]:
    """The definition starting at `start`: its sentence up to をいう (or its kin, `_MEANS`), or
    the whole sentence, layout breaks removed; where it stops; and whether it said をいう."""
    end = _sentence_end(text, start)
    sentence = text[start:end]
    means = _MEANS.search(sentence)
    body, stop = (sentence[: means.start()], start + means.end()) if means else (sentence, end)
    return re.sub(r"\s*\n\s*", "", body).strip(), stop, means is not None


def _sentence_end(text: str, start: int) -> int:
    """Where the sentence from `start` ends: its 。 outside brackets ('(以下「提携会社」と
    いいます。)' does not end it), or the end of the text."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in "(（「『":
            depth += 1
        elif ch in ")）」』":
            depth = max(0, depth - 1)
        elif ch == "。" and depth == 0:
            return i
    return len(text)


def _closing(text: str, start: int) -> int | None:
    """Index of the bracket closing the one at `start`, brackets nested."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in "(（":
            depth += 1
        elif text[i] in ")）":
            depth -= 1
            if depth == 0:
                return i
    return None


def noun_phrase_before(text: str) -> str:
    """The noun phrase `text` ends with: nouns, '…の…' joins, quoted and bracketed parts.

    '本サポートパックの購入者' and '日経統合システム(NAS)サービス' stay whole; a relative
    clause ('…を申し込もうとする者') is not followed past its verb.
    """
    i = len(text)
    while i > 0:
        ch = text[i - 1]
        if ch in CLOSING:
            depth, j = 0, i - 1
            while j >= 0:
                if text[j] == ch:
                    depth += 1
                elif text[j] == CLOSING[ch]:
                    depth -= 1
                    if depth == 0:
                        break
                j -= 1
            if j < 0:
                break
            i = j
        elif _CONTENT.match(ch) or (
            _is_joiner(ch) and i < len(text) and i >= 2 and _CONTENT.match(text[i - 2])
        ):
            i -= 1
        else:
            break
    return text[i:].strip()


_PARTICLES = frozenset("をがにはへとでもやかのより")
"""Hiragana that end a noun's case role; any other hiragana before a noun ends a verb or
adjective, whose clause describes the noun."""


_CLAUSE_STARTS = ("、", "。", "および", "及び", "または", "又は", "ならびに", "並びに")
"""Where a describing clause starts; brackets do not end it ('別紙「…」に定めるサービス')."""
_NESTED_DEFINITION = re.compile(r"[(（]以下[^()（）]*[)）]")
"""'(以下サービス仕様書といいます)' inside a clause defines something else: left out."""


def with_relative_clause(text: str, phrase: str) -> str:
    """Keep the clause that describes `phrase` when a verb or adjective stands right before it.

    '本サービスを申し込もうとする者' rather than '者'; '…に関する情報' rather than '情報'. The
    clause runs back to the nearest clause start (、, 。, および, または…).
    """
    head = len(text) - len(phrase)
    if not phrase or head <= 0:
        return phrase
    before = text[head - 1]
    if not ("\u3040" <= before <= "\u309f") or before in _PARTICLES:
        return phrase
    prefix = _NESTED_DEFINITION.sub("", text[:head])
    found = [(prefix.rfind(b), b) for b in _CLAUSE_STARTS]
    start = max((at + len(b) for at, b in found if at >= 0), default=0)
    clause = re.sub(r"\s*\n\s*", "", prefix[start:] + text[head:]).strip()
    return without_determiners(clause) or phrase


def _is_joiner(ch: str) -> bool:
    """'の' and a space join two nouns into one phrase ('…パックの購入者', 'NEC サービス')."""
    return ch in ("の", " ")


def __getattr__(name: str) -> Any:
    # The spaCy factory lives in extractors.components, so that the finder imports without
    # spaCy; the entry point `extractors.definitions:make_definitions` still finds it here.
    return component_factory(__name__, name, "make_definitions")
