"""The answer-rate figures on hand-made threads."""

from __future__ import annotations

import datetime as dt

from kitbag.consultations.answer_rate import (
    ThreadComment,
    answer_rate,
    answer_rates_by_paragraph,
    first_official_answers,
    is_overdue,
    response_due,
)

T0 = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


def at(hours: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=hours)


def c(
    id: str,
    hours: float,
    *,
    parent: str | None = None,
    official: bool = False,
    state: str = "visible",
    paragraph: str = "p1",
) -> ThreadComment:
    return ThreadComment(
        id=id, parent=parent, created=at(hours), official=official, state=state, paragraph=paragraph
    )


def test_nothing_to_count_gives_no_rate_and_no_median() -> None:
    rate = answer_rate([])
    assert (rate.comments, rate.answered, rate.rate, rate.median_hours, rate.oldest_unanswered) == (
        0,
        0,
        None,
        None,
        None,
    )


def test_an_official_answer_anywhere_in_the_thread_answers_its_top_level_comment() -> None:
    threads = [
        c("a", 0),
        c("a1", 1, parent="a"),  # a resident's reply
        c("a2", 5, parent="a1", official=True),  # the official answers the reply: still answers a
        c("b", 2),
    ]
    rate = answer_rate(threads)
    assert (rate.comments, rate.answered, rate.rate) == (2, 1, 0.5)
    assert rate.median_hours == 5.0
    assert rate.oldest_unanswered is not None and rate.oldest_unanswered.id == "b"


def test_the_median_is_of_the_first_official_answer_of_each_thread() -> None:
    threads = [
        c("a", 0),
        c("a1", 2, parent="a", official=True),
        c("a2", 30, parent="a", official=True),
        c("b", 0),
        c("b1", 4, parent="b", official=True),
        c("d", 0),
        c("d1", 10, parent="d", official=True),
    ]
    assert first_official_answers(threads) == {"a": at(2), "b": at(4), "d": at(10)}
    assert answer_rate(threads).median_hours == 4.0


def test_officials_own_comments_and_hidden_comments_are_not_counted_but_hidden_are_reported() -> (
    None
):
    threads = [
        c("official-note", 0, official=True),
        c("hidden", 1, state="hidden"),
        c("waiting", 1, state="pending"),
        c("shown", 2),
    ]
    rate = answer_rate(threads)
    assert (rate.comments, rate.hidden) == (1, 1)


def test_a_hidden_official_response_does_not_answer() -> None:
    threads = [c("a", 0), c("a1", 1, parent="a", official=True, state="hidden")]
    assert answer_rate(threads).answered == 0


def test_the_rate_of_one_paragraph_counts_its_top_level_comments_only() -> None:
    threads = [
        c("a", 0, paragraph="p1"),
        c("a1", 3, parent="a", official=True),
        c("b", 0, paragraph="p2"),
    ]
    assert answer_rate(threads, paragraph="p1").rate == 1.0
    assert answer_rate(threads, paragraph="p2").rate == 0.0
    every = answer_rates_by_paragraph(threads)
    assert {key: rate.rate for key, rate in every.items()} == {"p1": 1.0, "p2": 0.0}


def test_a_loop_in_bad_data_does_not_hang() -> None:
    threads = [c("a", 0, parent="b"), c("b", 1, parent="a", official=True)]
    answer_rate(threads)


def test_a_response_is_due_twelve_weeks_after_the_close_and_overdue_after_that() -> None:
    assert response_due(T0) == T0 + dt.timedelta(weeks=12)
    assert response_due(None) is None
    late = T0 + dt.timedelta(weeks=12, days=1)
    assert is_overdue(closes=T0, responded=False, now=late)
    assert not is_overdue(closes=T0, responded=True, now=late)
    assert not is_overdue(closes=T0, responded=False, now=T0 + dt.timedelta(weeks=11))
