"""Reading Netscape bookmark files (pure: no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kitbag.resources.bookmark_files import BookmarkFileError, read_bookmark_file

FIXTURES = Path(__file__).parent / "fixtures"


def _read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_tags_descriptions_folders_and_privacy_are_read_from_nested_folders() -> None:
    read = read_bookmark_file(_read("nested_folders.html"))
    by_url = {b.url: b for b in read.bookmarks}
    manual = by_url["https://www.gov.uk/service-manual"]
    assert manual.title == "Service Manual - GOV.UK"
    assert manual.description == "The standard every government service is assessed against."
    assert manual.folders == ["Service design"]
    assert manual.line == 9
    research = by_url["https://www.gov.uk/service-manual/user-research"]
    assert research.title == "User research & you"
    assert research.private is True
    assert research.tags == ["research"]
    assert research.folders == ["Service design", "User research"]
    assert research.description == ""
    assert research.added is not None and research.added.year == 2023


def test_an_address_twice_is_one_bookmark_with_both_sets_of_tags() -> None:
    read = read_bookmark_file(_read("nested_folders.html"))
    manual = [b for b in read.bookmarks if b.url == "https://www.gov.uk/service-manual"]
    assert len(manual) == 1
    assert manual[0].tags == ["service-design", "gov.uk", "duplicate"]
    # The first description is kept; the duplicate's fills only a blank one.
    assert manual[0].description.startswith("The standard")
    assert read.duplicates == [(14, 9)]


def test_unsafe_and_non_web_links_are_refused_and_named() -> None:
    read = read_bookmark_file(_read("nested_folders.html"))
    refused = {r.line: r for r in read.refused}
    assert set(refused) == {18, 19, 20}
    assert refused[18].address == "javascript:alert(document.cookie)"
    assert "javascript: links are refused" in refused[18].reason
    assert "data: links are refused" in refused[19].reason
    assert refused[19].address.startswith("data:text/html;base64,")
    assert "ftp: links are refused" in refused[20].reason
    assert all(not b.url.startswith(("javascript", "data", "ftp")) for b in read.bookmarks)


def test_a_description_over_several_lines_keeps_its_lines_and_trackers_are_dropped() -> None:
    read = read_bookmark_file(_read("nested_folders.html"))
    page = next(b for b in read.bookmarks if b.url.startswith("https://example.org/"))
    assert page.url == "https://example.org/page?id=7"
    assert page.description == "Line one\nof a longer description."


def test_folders_become_tags_when_asked() -> None:
    read = read_bookmark_file(_read("nested_folders.html")).with_folders_as_tags()
    research = next(b for b in read.bookmarks if b.url.endswith("/user-research"))
    assert research.tags == ["research", "service-design", "user-research"]


def test_a_file_that_is_not_valid_utf8_is_refused_naming_line_and_byte() -> None:
    with pytest.raises(BookmarkFileError, match=r"line 4: not valid UTF-8 \(byte 0xE9\)"):
        read_bookmark_file(_read("bad_encoding.html"))


def test_a_file_declaring_windows_1252_is_read_as_windows_1252() -> None:
    read = read_bookmark_file(_read("declared_windows_1252.html"))
    assert read.encoding == "cp1252"
    assert read.bookmarks[0].title == "Café guide – the best"
    assert read.bookmarks[0].tags == ["cafés"]


def test_a_web_page_is_not_a_bookmark_file() -> None:
    with pytest.raises(BookmarkFileError, match="not a Netscape bookmark file"):
        read_bookmark_file(_read("not_bookmarks.html"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe<\x00!\x00", "binary or UTF-16"),
        (b"%PDF-1.4 binary", "not a Netscape bookmark file"),
    ],
    ids=["empty", "utf-16", "pdf"],
)
def test_other_files_are_refused_clearly(data: bytes, message: str) -> None:
    with pytest.raises(BookmarkFileError, match=message):
        read_bookmark_file(data)


def test_a_bookmark_file_with_no_links_is_an_error_not_an_import_of_nothing() -> None:
    with pytest.raises(BookmarkFileError, match="no bookmarks"):
        read_bookmark_file(_read("no_links.html"))


def test_a_byte_order_mark_and_lower_case_tags_are_read() -> None:
    data = (
        "\ufeff<!doctype netscape-bookmark-file-1>\n<dl><p>\n"
        '<dt><a href="https://example.org/a" tags="One, Two">A</a>\n</dl>'
    ).encode()
    read = read_bookmark_file(data)
    assert [(b.url, b.tags) for b in read.bookmarks] == [("https://example.org/a", ["one", "two"])]
