"""Reading a Netscape bookmark file: the format Delicious, Pinboard and every browser export.

Pure: no Django. `read_bookmark_file(data)` returns a `BookmarkFile` (each bookmark with its line,
and each link refused with why) or raises `BookmarkFileError` for a file it will not read, so that
nothing is written from it. Parsed with the standard library's html.parser, never patterns: the
format is loose HTML (unclosed <DT>, <P> and <DD>), which that parser reads as a stream of tags.

The format:
    <!DOCTYPE NETSCAPE-Bookmark-file-1>
    <DL><p>
      <DT><H3>Folder</H3>
      <DL><p>
        <DT><A HREF="https://..." ADD_DATE="1700000000" PRIVATE="1" TAGS="a,b">Title</A>
        <DD>A description, up to the next tag
      </DL><p>
    </DL><p>

Encoding: UTF-8 (with or without a byte-order mark), as every current exporter writes it. A file
whose <META> declares another character set (old Netscape and Delicious exports said
windows-1252 or ISO-8859-1) is decoded with that one, and the file's summary says so. A file that
is not valid UTF-8 and declares nothing else is refused with the line and byte that are wrong:
guessing would store mojibake titles in a shared library.
"""

from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Final

from kitbag.resources.addresses import UnsafeAddress, normalise_tags, normalise_url

DOCTYPE: Final = "netscape-bookmark-file-1"
TITLE_MAX_LENGTH: Final = 300
DESCRIPTION_MAX_LENGTH: Final = 5000
# Where a charset declaration is looked for: the <META> of every exporter is near the top.
_HEAD_BYTES: Final = 2048


class BookmarkFileError(ValueError):
    """The file cannot be imported at all; the message says why and, where it can, where."""


@dataclass
class Bookmark:
    url: str  # normalised (addresses.normalise_url)
    title: str
    line: int
    description: str = ""
    tags: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)  # outermost first
    private: bool = False
    added: dt.datetime | None = None


@dataclass(frozen=True)
class Refused:
    line: int
    address: str  # as written in the file, cut short
    reason: str


@dataclass
class BookmarkFile:
    bookmarks: list[Bookmark]
    refused: list[Refused]
    encoding: str
    # Lines whose address had already appeared: merged into the first (address: line merged into).
    duplicates: list[tuple[int, int]] = field(default_factory=list)

    def with_folders_as_tags(self) -> BookmarkFile:
        for bookmark in self.bookmarks:
            bookmark.tags = normalise_tags([*bookmark.tags, *bookmark.folders])
        return self


def read_bookmark_file(data: bytes) -> BookmarkFile:
    text, encoding = _decode(data)
    parser = _BookmarkParser()
    parser.feed(text)
    parser.close()
    if not parser.saw_doctype:
        raise BookmarkFileError(
            "this is not a Netscape bookmark file: it does not begin with "
            "<!DOCTYPE NETSCAPE-Bookmark-file-1>. Export your bookmarks as HTML from your browser, "
            "Pinboard or Delicious and upload that file."
        )
    if not parser.links_seen:
        raise BookmarkFileError("the bookmark file has no bookmarks; there is nothing to import")
    merged: dict[str, Bookmark] = {}
    duplicates: list[tuple[int, int]] = []
    for bookmark in parser.bookmarks:
        first = merged.get(bookmark.url)
        if first is None:
            merged[bookmark.url] = bookmark
            continue
        # The same address twice in one file is one bookmark: what either said is kept, and it
        # is private only if every copy was.
        duplicates.append((bookmark.line, first.line))
        first.tags = normalise_tags([*first.tags, *bookmark.tags])
        first.description = first.description or bookmark.description
        first.title = first.title or bookmark.title
        first.private = first.private and bookmark.private
        first.folders = first.folders or bookmark.folders
    return BookmarkFile(
        bookmarks=list(merged.values()),
        refused=parser.refused,
        encoding=encoding,
        duplicates=duplicates,
    )


def _decode(data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise BookmarkFileError("the file is empty")
    if b"\x00" in data[:_HEAD_BYTES]:
        raise BookmarkFileError(
            "the file is binary or UTF-16, not a bookmark file saved as UTF-8 text"
        )
    declared = _declared_charset(data[:_HEAD_BYTES])
    if declared not in {None, "utf-8"}:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise BookmarkFileError(
                f"line {line}: the file says it is {declared}, but byte "
                f"0x{data[error.start : error.start + 1].hex().upper()} is not {declared}"
            ) from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex().upper()
        raise BookmarkFileError(
            f"line {line}: not valid UTF-8 (byte 0x{byte}), and the file declares no other "
            "character set. Export it again as UTF-8, or add "
            '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1252"> '
            "if that is what it is."
        ) from None


class _CharsetFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta" or self.charset:
            return
        values = {name: value or "" for name, value in attrs}
        if values.get("charset"):
            self.charset = values["charset"]
        elif values.get("http-equiv", "").lower() == "content-type":
            for part in values.get("content", "").split(";"):
                name, _, value = part.strip().partition("=")
                if name.lower() == "charset" and value:
                    self.charset = value.strip("\"' ")


def _declared_charset(head: bytes) -> str | None:
    finder = _CharsetFinder()
    # Only ASCII matters for a <META>; anything else in the head is left to the real decoding.
    finder.feed(head.decode("ascii", errors="replace"))
    if not finder.charset:
        return None
    try:
        return codecs.lookup(finder.charset).name.replace("_", "-")
    except LookupError:
        raise BookmarkFileError(
            f"the file declares the character set {finder.charset!r}, which is not one known"
        ) from None


class _BookmarkParser(HTMLParser):
    """Collects bookmarks as the tags stream past: a folder is an <H3> followed by a <DL>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.saw_doctype = False
        self.links_seen = 0
        self.bookmarks: list[Bookmark] = []
        self.refused: list[Refused] = []
        self._folders: list[str | None] = []  # one entry per open <DL>: its folder, if named
        self._pending_folder: str | None = None
        self._heading: list[str] | None = None
        self._anchor: tuple[dict[str, str], int] | None = None
        self._anchor_text: list[str] = []
        self._description: list[str] | None = None
        self._describes: Bookmark | None = None
        self._last: Bookmark | None = None

    def handle_decl(self, decl: str) -> None:
        if decl.lower().replace(" ", "").startswith("doctype" + DOCTYPE):
            self.saw_doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"dt", "dl", "h3", "a"}:
            self._end_description()
        if tag == "h3":
            self._heading = []
        elif tag == "dl":
            self._folders.append(self._pending_folder)
            self._pending_folder = None
        elif tag == "dd":
            self._end_description()
            self._description = []
            self._describes = self._last
        elif tag == "a":
            self._anchor = ({name: value or "" for name, value in attrs}, self.getpos()[0])
            self._anchor_text = []
        elif tag == "dt":
            self._last = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "h3" and self._heading is not None:
            self._pending_folder = " ".join("".join(self._heading).split()) or None
            self._heading = None
        elif tag == "a" and self._anchor is not None:
            self._end_anchor()
        elif tag == "dl":
            self._end_description()
            if self._folders:
                self._folders.pop()
        elif tag == "dd":
            self._end_description()

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)
        elif self._anchor is not None:
            self._anchor_text.append(data)
        elif self._description is not None:
            self._description.append(data)

    def close(self) -> None:
        super().close()
        if self._anchor is not None:
            self._end_anchor()
        self._end_description()

    def _end_anchor(self) -> None:
        assert self._anchor is not None
        attrs, line = self._anchor
        self._anchor = None
        if "href" not in attrs:
            return  # a named anchor, not a link
        self.links_seen += 1
        written = attrs["href"]
        try:
            url = normalise_url(written)
        except UnsafeAddress as unsafe:
            shown = written if len(written) <= 80 else written[:77] + "..."
            self.refused.append(Refused(line=line, address=shown, reason=str(unsafe)))
            self._last = None
            return
        title = " ".join("".join(self._anchor_text).split())[:TITLE_MAX_LENGTH]
        bookmark = Bookmark(
            url=url,
            title=title or url,
            line=line,
            tags=normalise_tags(attrs.get("tags", "").split(",")),
            folders=[folder for folder in self._folders if folder],
            private=attrs.get("private", "0").strip() == "1",
            added=_timestamp(attrs.get("add_date", "")),
        )
        self.bookmarks.append(bookmark)
        self._last = bookmark

    def _end_description(self) -> None:
        if self._description is None:
            return
        text = "".join(self._description).strip()
        if self._describes is not None and text:
            # Paragraphs kept; runs of spaces within a line folded.
            lines = [" ".join(line.split()) for line in text.splitlines()]
            self._describes.description = "\n".join(lines).strip()[:DESCRIPTION_MAX_LENGTH]
        self._description = None
        self._describes = None


def _timestamp(value: str) -> dt.datetime | None:
    value = value.strip()
    if not value.isdigit():
        return None
    seconds = int(value)
    # Some exporters (Firefox) write microseconds in LAST_MODIFIED; ADD_DATE is seconds.
    if seconds > 10**11:
        seconds //= 1_000_000
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
