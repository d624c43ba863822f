"""`{{ text|markdown }}`: show text a person wrote as sanitised HTML (kitbag/core/markdown.py)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from kitbag.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: object) -> SafeString:
    return render_markdown("" if text is None else str(text))
