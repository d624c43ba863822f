from __future__ import annotations

from kitbag.performance.figure_files import COLUMNS, read_figures, template_rows

HEADER = "indicator,organisation,area,period,value,numerator,denominator,status,note\r\n"


def test_the_template_example_has_every_column_and_reads_back() -> None:
    (example,) = template_rows()
    assert list(example) == list(COLUMNS)
    text = ",".join(COLUMNS) + "\r\n" + ",".join(example.values()) + "\r\n"
    assert read_figures(text.encode()).errors == []


def test_a_good_file_gives_every_row() -> None:
    read = read_figures(
        (
            HEADER
            + "FALLS1,KEN,,2023-24,12.5,25,200,provisional,first\r\n"
            + 'FALLS1,,e05000001,2023-01-01/P3M,"1,200",,,,\r\n'
        ).encode()
    )
    assert read.errors == []
    first, second = read.rows
    assert (first.line, first.indicator, first.organisation, first.period.iso) == (
        2,
        "FALLS1",
        "KEN",
        "2023-04-01/P1Y",
    )
    assert (first.value, first.numerator, first.denominator, first.status) == (
        12.5,
        25.0,
        200.0,
        "provisional",
    )
    assert (second.area, second.value, second.status) == ("E05000001", 1200.0, "final")


def test_a_byte_order_mark_and_blank_lines_are_fine() -> None:
    read = read_figures(("\ufeff" + HEADER + "\r\nFALLS1,KEN,,2023-24,1,,,,\r\n").encode())
    assert read.errors == [] and len(read.rows) == 1


def test_every_error_is_reported_with_its_line_and_column_and_no_rows_are_given() -> None:
    read = read_figures(
        (
            HEADER
            + "FALLS1,KEN,,2023-24,12.5,,,,\r\n"  # fine
            + ",KEN,,2023-24,abc,,0,unknown,\r\n"  # line 3: four problems
            + "FALLS1,,,someday,1,,,,\r\n"  # line 4: no subject, bad period
            + "FALLS1,KEN,E05000001,2023-24,1,,,,\r\n"  # line 5: both subjects
            + "FALLS1,KEN,,2023-24,2,,,,\r\n"  # line 6: same figure as line 2
        ).encode()
    )
    assert read.rows == []
    found = {(e.line, e.column) for e in read.errors}
    assert found == {
        (3, "indicator"),
        (3, "value"),
        (3, "denominator"),
        (3, "status"),
        (4, "organisation"),
        (4, "period"),
        (5, "area"),
        (6, "period"),
    }
    assert "line 3, column value" in str(next(e for e in read.errors if e.column == "value"))


def test_missing_and_unknown_columns_are_reported_on_the_header() -> None:
    read = read_figures(b"indicator,when,value\r\nX,2023,1\r\n")
    assert [(e.line, e.message) for e in read.errors] == [
        (1, "Missing column(s): period"),
        (1, "Unknown column(s): when"),
    ]


def test_files_that_are_not_csv_text_are_refused() -> None:
    assert read_figures(b"\xff\xfe\x00b").errors[0].message.startswith("The file is not UTF-8")
    assert read_figures(b"").errors[0].message == "The file is empty"
    assert read_figures(HEADER.encode()).errors[0].message == "The file has no figures"
    assert "control characters" in read_figures(b"indicator\x00,period").errors[0].message
