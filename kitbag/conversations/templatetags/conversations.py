from django import template

register = template.Library()

# GOV.UK colours, dark enough for 3:1 contrast against white.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#6f3a00")


@register.filter
def group_colour(group: int | None) -> str:
    return "#505a5f" if group is None else COLOURS[int(group) % len(COLOURS)]


@register.filter
def group_letter(group: int | None) -> str:
    return "" if group is None else chr(ord("A") + int(group))
