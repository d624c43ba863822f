from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from kitbag.vocabularies.models import Code, CodeList

pytestmark = pytest.mark.django_db


def make_list(slug: str = "things") -> CodeList:
    return CodeList.objects.create(slug=slug, name=slug.title())


def test_a_code_appears_once_in_a_list() -> None:
    things = make_list()
    Code.objects.create(code_list=things, code="a", label="A")

    with pytest.raises(IntegrityError):
        Code.objects.create(code_list=things, code="a", label="Another A")


def test_roots_children_and_current_narrow_a_list() -> None:
    things = make_list()
    top = Code.objects.create(code_list=things, code="t", label="Top")
    Code.objects.create(code_list=things, code="c1", label="Child", parent=top)
    Code.objects.create(code_list=things, code="c2", label="Old", parent=top, is_deprecated=True)
    Code.objects.create(code_list=make_list("other"), code="t", label="Elsewhere")

    in_things = Code.objects.in_list("things")
    assert list(in_things.roots()) == [top]
    assert list(in_things.children_of(top).current().values_list("code", flat=True)) == ["c1"]


def test_a_parent_must_be_in_the_same_list() -> None:
    parent = Code.objects.create(code_list=make_list("one"), code="p", label="P")
    child = Code(code_list=make_list("two"), code="c", label="C", parent=parent)

    with pytest.raises(ValidationError, match="same list"):
        child.clean()


def test_a_code_cannot_be_its_own_ancestor() -> None:
    things = make_list()
    top = Code.objects.create(code_list=things, code="t", label="Top")
    child = Code.objects.create(code_list=things, code="c", label="Child", parent=top)
    top.parent = child

    with pytest.raises(ValidationError, match="own ancestor"):
        top.clean()
