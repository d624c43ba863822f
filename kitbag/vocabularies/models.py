"""Controlled code lists (LGSL, COFOG, GOV.UK phases...) stored as hierarchical code/label/parent rows.

One table for every list, as the Evaluation Registry does, so a public standard can be loaded and
versioned as data, and cases and performance refer to a `Code` by foreign key rather than each app
inventing its own choices.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeList(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    publisher = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=500, blank=True)
    version = models.CharField(
        max_length=100, blank=True, help_text=_("The publisher's version or date of the list.")
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CodeQuerySet(models.QuerySet["Code"]):
    def in_list(self, slug: str) -> CodeQuerySet:
        return self.filter(code_list__slug=slug)

    def roots(self) -> CodeQuerySet:
        return self.filter(parent__isnull=True)

    def children_of(self, parent: Code) -> CodeQuerySet:
        return self.filter(parent=parent)

    def current(self) -> CodeQuerySet:
        return self.filter(is_deprecated=False)


class Code(models.Model):
    code_list = models.ForeignKey(CodeList, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=128)
    label = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    # PROTECT: a parent can only go once its children have been moved or removed.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    sort_order = models.PositiveIntegerField(default=0)
    # Codes are never deleted, because cases refer to them; a code its publisher dropped is marked.
    is_deprecated = models.BooleanField(default=False)
    source_created = models.DateField(
        null=True, blank=True, help_text=_("When the publisher added the code, if it says.")
    )
    source_modified = models.DateField(
        null=True, blank=True, help_text=_("When the publisher last changed the code, if it says.")
    )

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["code_list", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code_list", "code"], name="unique_code_in_list"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    def clean(self) -> None:
        if self.parent is not None and self.parent.code_list_id != self.code_list_id:
            raise ValidationError({"parent": _("The parent must be a code in the same list.")})
        if self.parent is not None and self.pk is not None:
            ancestor: Code | None = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A code cannot be its own ancestor.")})
                ancestor = ancestor.parent
