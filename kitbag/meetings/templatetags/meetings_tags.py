"""Template filters of the meetings calendar."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kitbag.meetings.calendar.moderngov import sanitise_html

register = template.Library()


@register.filter
def meeting_time(value: dt.datetime | None) -> str:
    """GOV.UK style times: 10am, 2:30pm, midday, midnight."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


@register.filter
def next_try(value: dt.datetime | None) -> str:
    """When something happens next, as people say it: "tomorrow at about 3am"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    time = meeting_time(value)
    days = (local.date() - timezone.localdate()).days
    if days <= 0:
        return _("today at about %(time)s") % {"time": time}
    if days == 1:
        return _("tomorrow at about %(time)s") % {"time": time}
    return _("on %(day)s at about %(time)s") % {"day": date_format(local, "l j F"), "time": time}


@register.filter
def council_html(value: str | None) -> SafeString:
    """Agenda text from a council's system: sanitised when stored and again here, in case."""
    return mark_safe(sanitise_html(value))  # noqa: S308 (nh3 has just sanitised it)
