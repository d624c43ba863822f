"""What the projects part holds about a person: where they are a councillor, the questions they
asked and the answers they gave, in their data download; erasing their account keeps the
questions and answers (the oversight record keeps its shape), unsigned, and ends their
councillor roles."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from kitbag.accounts.models import User
from kitbag.projects.models import Councillor, Question


def collect(user: User) -> dict[str, Any]:
    return {
        "councillor_for": [
            {
                "partnership": c.partnership.name,
                "council": c.council.name if c.council else None,
                "added_at": c.added_at.isoformat(),
                "ended_at": c.ended_at.isoformat() if c.ended_at else None,
            }
            for c in Councillor.objects.filter(user=user).select_related("partnership", "council")
        ],
        "questions_you_asked": [
            {"project": q.project.title, "text": q.text, "asked_at": q.asked_at.isoformat()}
            for q in Question.objects.filter(asked_by=user).select_related("project")
        ],
        "answers_you_gave": [
            {
                "project": q.project.title,
                "answer": q.answer,
                "answered_at": q.answered_at.isoformat() if q.answered_at else None,
            }
            for q in Question.objects.filter(answered_by=user).select_related("project")
        ],
    }


def erase(user: User) -> None:
    Question.objects.filter(asked_by=user).update(asked_by=None)
    Question.objects.filter(answered_by=user).update(answered_by=None)
    Councillor.objects.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())
