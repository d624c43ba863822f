"""`{% page_sections "organisation" organisation %}`: render the sections other apps registered for a
page (kitbag/core/page_sections.py)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from kitbag.core.page_sections import sections_for

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context: template.Context, page: str, obj: Any) -> SafeString:
    request = context.get("request")
    parts = []
    for section in sections_for(page):
        section_context = section.context(request, obj)
        if section_context is None:
            continue
        parts.append(render_to_string(section.template, section_context, request=request))
    # Each part is a rendered template, escaped as templates are.
    return mark_safe("".join(parts))  # noqa: S308
