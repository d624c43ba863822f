"""A consultation document as numbered blocks: from Markdown, plain text or Word (.docx).

Word is read with python-docx (decision 0031): a paragraph styled "Title" or "Heading N" becomes a
Markdown heading, a list paragraph a list item, every other paragraph a paragraph; tables and
pictures are not carried over (the editor is told so). Everything else is Markdown: blocks are
separated by blank lines (anchoring.split_blocks), and a heading line is a block of its own even
without a blank line around it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO

from kitbag.consultations.anchoring import split_blocks

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
MAX_BLOCKS = 2000


class DocumentError(ValueError):
    """The document cannot be read; the message says why, for the person who gave it."""


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" or "paragraph"
    level: int  # 1-3 for a heading, 0 for a paragraph
    text: str  # without a heading's marks

    @property
    def markdown(self) -> str:
        return f"{'#' * self.level} {self.text}" if self.kind == "heading" else self.text


def _headings_apart(text: str) -> str:
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if HEADING.match(line.strip()):
            lines.extend(["", line.strip(), ""])
        else:
            lines.append(line)
    return "\n".join(lines)


def block_of(markdown: str) -> Block:
    match = HEADING.match(markdown.strip())
    if match and "\n" not in markdown.strip():
        return Block(kind="heading", level=min(len(match[1]), 3), text=match[2].strip())
    return Block(kind="paragraph", level=0, text=markdown.strip())


def blocks_from_markdown(text: str) -> list[Block]:
    """The document's blocks in order; refuses an empty or enormous document."""
    blocks = [block_of(raw) for raw in split_blocks(_headings_apart(text)) if raw.strip()]
    if not blocks:
        raise DocumentError("The document is empty: it needs at least one paragraph.")
    if len(blocks) > MAX_BLOCKS:
        raise DocumentError(f"The document has {len(blocks)} paragraphs; the most is {MAX_BLOCKS}.")
    return blocks


def markdown_from_docx(file: IO[bytes]) -> str:
    """The Word document's text as Markdown, a block per Word paragraph."""
    import docx  # python-docx: imported here so that reading Markdown never loads it

    try:
        document = docx.Document(file)
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentError("This file is not a Word document (.docx) that can be read.") from error
    blocks: list[str] = []
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style == "Title":
            blocks.append(f"# {text}")
        elif style.startswith("Heading"):
            digits = style.removeprefix("Heading").strip()
            level = int(digits) if digits.isdigit() else 2
            blocks.append(f"{'#' * min(max(level, 1), 3)} {text}")
        elif style.startswith("List"):
            blocks.append(f"- {text}")
        else:
            blocks.append(text)
    if not blocks:
        raise DocumentError("The Word document has no text.")
    return "\n\n".join(blocks)
