"""Turn Markdown or plain text into lintable prose without moving a single character.

`prepare` returns a *masked* copy of the text with the same length, so every offset found
in it is an offset in the original:

- fenced code blocks (``` or ~~~), indented code blocks after a blank line (outside
  lists), HTML comments and tags, and link targets become spaces;
- inline code spans, bare URLs, quoted phrases of up to three words (a mention, not a
  use: the "human error" label) and quoted program output of any length ("the error
  read '...'") become ``\\x01`` runs, which the grammar reads as one
  system noun ("`deploy.sh` failed to start" is about a script) and which no rule matches;
- heading, list, task-box and quote markers become spaces and start a new block;
- typographic apostrophes and quotes are folded to ASCII so "shouldn’t" matches "shouldn't".

Sentences are then cut at blank lines, block starts, table pipes and sentence punctuation.
Opt-out markers are read from the original lines before anything is masked.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r" {0,3}#{1,6}(?=\s|$)")
_HEADING_TAIL = re.compile(r"\s#+\s*$")
_QUOTE = re.compile(r" {0,3}(?:>[ \t]?)+")
_LIST = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?")
_RULE_LINE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_TABLE_DIVIDER = re.compile(r"[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
# A quoted word or short phrase is mentioned, not used: a label ("obviously dangerous"), a
# term under discussion ("human error") or scare quotes that distance the writer from it.
_SHORT_QUOTE = re.compile(r'(?<![\w"])"(?=[^"\s])([^"\n]{1,40}?)(?<=\S)"(?![\w"])')
# The same in single quotes, told apart from apostrophes: the opening quote follows no letter
# ("the engineers' fix" is no quote) and nothing inside is an apostrophe ("'it's fine'").
_SHORT_SINGLE_QUOTE = re.compile(r"(?<![\w'])'(?=[^'\s])([^'\n]{1,40}?)(?<=[^\s'])'(?![\w'])")
# Output quoted after a word that introduces what a program printed ("the error message
# read '...'", "the CLI printed: \"...\"") is the program's text, not the writer's, at any length.
_OUTPUT_QUOTE = re.compile(
    r"\b(?:read|reads|printed|prints|displayed|displays|showed|shows|logged|logs|returned|returns|"
    r"emitted|emits|outputs|output|error|warning|message|prompt|banner)\s*:?\s*"
    r"(\"[^\"\n]{1,300}\"|'[^'\n]{1,300}'(?![\w']))",
    re.IGNORECASE,
)
_URL = re.compile(r"\b(?:https?|ftp)://[^\s)>\]]+|\bwww\.[^\s)>\]]+")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
# One character for one, so no offset moves: curly and low quotes, modifier-letter and prime
# apostrophes, typographic hyphens, and the spaces word processors and chat apps insert.
_TYPOGRAPHY = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
    "\u00b4": "'", "\uff07": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\uff02": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00ad": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u2002": " ",
    "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ", "\u205f": " ",
    "\u3000": " ",
})
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[^a-z\s])|\|")
MAX_SENTENCE = 800
_MARKER = re.compile(r"pminterview:\s*ignore(-next-line)?(?:\[([A-Za-z, _-]*)\])?")


@dataclass(frozen=True, slots=True)
class Prepared:
    """A text made ready for the rules: masked prose, sentence spans, line starts, opt-outs."""

    masked: str
    sentences: tuple[tuple[int, int, bool], ...]  # (start, end, in_list_item)
    line_starts: tuple[int, ...]
    ignored: dict[int, frozenset[str] | None]  # 1-based line -> categories (None = all)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


def _blank(segment: str) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in segment)


def _fill(match: re.Match[str], char: str = "\x01") -> str:
    return char * len(match.group())


def _mention(match: re.Match[str]) -> str:
    # Up to three words; a longer quotation is speech and is linted like any prose.
    if len(match.group(1).split()) > 3:
        return match.group()
    return "\x01" * len(match.group())


def _output(match: re.Match[str]) -> str:
    start, end = match.span(1)
    whole = match.group()
    offset = start - match.start()
    return whole[:offset] + "\x01" * (end - start) + whole[offset + end - start :]


def prepare(text: str) -> Prepared:
    """Mask non-prose, find sentences and read the opt-out markers of *text*."""
    if not text.isascii():
        text = text.translate(_TYPOGRAPHY)
    lines = text.splitlines(keepends=True)
    ignored = _read_markers(lines)
    text = _COMMENT.sub(lambda m: _blank(m.group()), text)
    lines = text.splitlines(keepends=True)

    masked_lines: list[str] = []
    block_starts: set[int] = set()  # indices of lines that start a new block
    list_lines: set[int] = set()
    fence: str | None = None
    in_list = False
    previous_blank = True
    previous_quote = False
    for index, line in enumerate(lines):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        if fence is not None:
            if body.strip().startswith(fence):
                fence = None
            masked_lines.append(" " * len(body) + ending)
            previous_blank = True
            continue
        opening = _FENCE.match(body)
        if opening:
            fence = opening.group(1)[0] * 3
            masked_lines.append(" " * len(body) + ending)
            previous_blank = True
            continue
        if not body.strip():
            masked_lines.append(body + ending)
            previous_blank = True
            previous_quote = False
            continue
        if previous_blank and not in_list and (body.startswith("    ") or body.startswith("\t")):
            masked_lines.append(" " * len(body) + ending)
            continue
        if _RULE_LINE.match(body) or _TABLE_DIVIDER.match(body) and "|" in body:
            masked_lines.append(" " * len(body) + ending)
            previous_blank = True
            continue
        prefix = 0
        quote = _QUOTE.match(body)
        if quote:
            prefix = quote.end()
            if not previous_quote:
                block_starts.add(index)
            previous_quote = True
        else:
            previous_quote = False
        heading = _HEADING.match(body, prefix)
        item = _LIST.match(body, prefix)
        if heading:
            prefix = heading.end()
            block_starts.add(index)
            tail = _HEADING_TAIL.search(body)
            if tail:
                body = body[: tail.start()] + " " * (len(body) - tail.start())
            in_list = False
        elif item:
            prefix = item.end()
            block_starts.add(index)
            list_lines.add(index)
            in_list = True
        elif previous_blank:
            block_starts.add(index)
            if not body.startswith((" ", "\t")):
                in_list = False
        elif in_list and index - 1 in list_lines:
            list_lines.add(index)  # a wrapped list item stays an action item
        prose = body[prefix:]
        # Most lines have no markup at all; skip the substitutions for them.
        if "`" in prose:
            prose = _CODE_SPAN.sub(_fill, prose)
        if '"' in prose or "'" in prose:
            prose = _OUTPUT_QUOTE.sub(_output, prose)
        if '"' in prose:
            prose = _SHORT_QUOTE.sub(_mention, prose)
        if "'" in prose:
            prose = _SHORT_SINGLE_QUOTE.sub(_mention, prose)
        if "://" in prose or "www." in prose:
            prose = _URL.sub(_fill, prose)
        if "](" in prose:
            prose = _LINK_TARGET.sub(lambda m: "]" + " " * (len(m.group()) - 1), prose)
        if "<" in prose:
            prose = _TAG.sub(lambda m: " " * len(m.group()), prose)
        masked_lines.append(" " * prefix + prose + ending)
        previous_blank = False

    masked = "".join(masked_lines)
    line_starts = [0]
    for line in masked_lines[:-1]:
        line_starts.append(line_starts[-1] + len(line))
    sentences = _split(masked, masked_lines, line_starts, block_starts, list_lines)
    return Prepared(masked, tuple(sentences), tuple(line_starts), ignored)


def _split(
    masked: str,
    lines: list[str],
    line_starts: list[int],
    block_starts: set[int],
    list_lines: set[int],
) -> list[tuple[int, int, bool]]:
    # Group lines into blocks (paragraphs, items, headings), then cut blocks into sentences.
    blocks: list[tuple[int, int, bool]] = []
    start: int | None = None
    in_item = False
    for index, line in enumerate(lines):
        begin = line_starts[index]
        if not line.strip():
            if start is not None:
                blocks.append((start, begin, in_item))
                start = None
            continue
        if index in block_starts and start is not None:
            blocks.append((start, begin, in_item))
            start = None
        if start is None:
            start = begin
            in_item = index in list_lines
    if start is not None:
        blocks.append((start, len(masked), in_item))

    sentences: list[tuple[int, int, bool]] = []
    for block_start, block_end, item in blocks:
        cursor = block_start
        for match in _SENTENCE_END.finditer(masked, block_start, block_end):
            end = match.end()
            if end - cursor > 1:
                _add(sentences, masked, cursor, end, item)
            cursor = end
        if block_end - cursor > 0 and masked[cursor:block_end].strip():
            _add(sentences, masked, cursor, block_end, item)
    return sentences


def _add(sentences: list[tuple[int, int, bool]], masked: str, start: int, end: int, item: bool) -> None:
    # A run-on "sentence" (a paste without punctuation) is cut into pieces of at most
    # MAX_SENTENCE characters, at a comma or semicolon if there is one, else at a space:
    # the grammar's work per trigger grows with sentence length.
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max(masked.rfind(",", start + MAX_SENTENCE // 2, limit), masked.rfind(";", start + MAX_SENTENCE // 2, limit))
        if cut == -1:
            cut = masked.rfind(" ", start + MAX_SENTENCE // 2, limit)
        cut = limit if cut == -1 else cut + 1
        sentences.append((start, cut, item))
        start = cut
    sentences.append((start, end, item))


def _read_markers(lines: list[str]) -> dict[int, frozenset[str] | None]:
    ignored: dict[int, frozenset[str] | None] = {}
    for number, line in enumerate(lines, start=1):
        if "pminterview" not in line:
            continue
        for match in _MARKER.finditer(line):
            target = number + 1 if match.group(1) else number
            listed = match.group(2)
            categories = None
            if listed is not None and listed.strip():
                categories = frozenset(c.strip().lower() for c in listed.split(",") if c.strip())
            if categories is None or ignored.get(target, frozenset()) is None:
                ignored[target] = None
            else:
                ignored[target] = ignored.get(target, frozenset()) | categories
    return ignored
