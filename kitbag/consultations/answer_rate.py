"""How well an organisation answers comments: pure arithmetic over comment threads, no Django.

Definitions (issue 18, "Answer rate"; decision 0032):
- counted: top-level comments that are not by an official and are shown (neither hidden by a
  moderator nor still waiting for one);
- answered: counted comments with at least one shown official response anywhere in their thread;
- answer rate: answered / counted (None when nothing is counted);
- hours to first answer: from the comment to the earliest official response in its thread; the
  median over answered comments (None when none is answered);
- oldest unanswered: the earliest counted comment with no official response;
- hidden: top-level comments hidden by moderation, reported beside the figures, never in them.
A response is due 12 weeks after the close (the Cabinet Office expectation).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RESPONSE_DUE_AFTER = dt.timedelta(weeks=12)

SHOWN = "visible"
HIDDEN = "hidden"


@dataclass(frozen=True)
class ThreadComment:
    id: str
    parent: str | None
    created: dt.datetime
    official: bool
    state: str = SHOWN
    paragraph: str = ""


@dataclass(frozen=True)
class AnswerRate:
    comments: int
    answered: int
    hidden: int
    median_hours: float | None
    oldest_unanswered: ThreadComment | None

    @property
    def rate(self) -> float | None:
        return self.answered / self.comments if self.comments else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)

    @property
    def unanswered(self) -> int:
        return self.comments - self.answered


def _root_of(comment: ThreadComment, comments: Mapping[str, ThreadComment]) -> str:
    """The id of the top-level comment of `comment`'s thread."""
    seen = {comment.id}
    while comment.parent is not None and comment.parent in comments:
        comment = comments[comment.parent]
        if comment.id in seen:  # a loop in bad data: stop where it closes
            break
        seen.add(comment.id)
    return comment.id


def first_official_answers(comments: Iterable[ThreadComment]) -> dict[str, dt.datetime]:
    """For each top-level comment, when its thread got its first shown official response."""
    by_id = {comment.id: comment for comment in comments}
    first: dict[str, dt.datetime] = {}
    for comment in by_id.values():
        if comment.parent is None or not comment.official or comment.state != SHOWN:
            continue
        root = _root_of(comment, by_id)
        if root not in first or comment.created < first[root]:
            first[root] = comment.created
    return first


def answer_rate(comments: Iterable[ThreadComment], *, paragraph: str | None = None) -> AnswerRate:
    """The figures for a set of threads; for one paragraph's top-level comments if named."""
    listed = list(comments)
    answers = first_official_answers(listed)
    tops = [
        comment
        for comment in listed
        if comment.parent is None
        and not comment.official
        and (paragraph is None or comment.paragraph == paragraph)
    ]
    return _figures(tops, answers)


def answer_rates_by_paragraph(comments: Iterable[ThreadComment]) -> dict[str, AnswerRate]:
    """The figures of every paragraph at once: the threads are walked once, not once a paragraph."""
    listed = list(comments)
    answers = first_official_answers(listed)
    by_paragraph: dict[str, list[ThreadComment]] = {}
    for comment in listed:
        if comment.parent is None and not comment.official:
            by_paragraph.setdefault(comment.paragraph, []).append(comment)
    return {key: _figures(tops, answers) for key, tops in by_paragraph.items()}


EMPTY = AnswerRate(comments=0, answered=0, hidden=0, median_hours=None, oldest_unanswered=None)


def _figures(tops: list[ThreadComment], answers: Mapping[str, dt.datetime]) -> AnswerRate:
    counted = sorted((c for c in tops if c.state == SHOWN), key=lambda c: (c.created, c.id))
    hours = [(answers[c.id] - c.created).total_seconds() / 3600 for c in counted if c.id in answers]
    unanswered = [c for c in counted if c.id not in answers]
    return AnswerRate(
        comments=len(counted),
        answered=len(hours),
        hidden=sum(1 for c in tops if c.state == HIDDEN),
        median_hours=round(statistics.median(hours), 1) if hours else None,
        oldest_unanswered=unanswered[0] if unanswered else None,
    )


def response_due(closes: dt.datetime | None) -> dt.datetime | None:
    return None if closes is None else closes + RESPONSE_DUE_AFTER


def is_overdue(*, closes: dt.datetime | None, responded: bool, now: dt.datetime) -> bool:
    due = response_due(closes)
    return due is not None and not responded and now > due
