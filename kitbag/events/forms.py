"""The event and unconference forms. They parse; the rules are in services.py.

Date-times are typed in Europe/London (the site's time zone) and Django stores them in UTC, so
10:00 on a summer day is 09:00 UTC and on a winter day 10:00 UTC.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kitbag.core.forms import TextLimitsMixin
from kitbag.events.models import Attendance, Booking, EventKind, LinkKind, Room, Slot
from kitbag.registry.models import Nation, Organisation
from kitbag.vocabularies.models import Code

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _when(label: Any) -> forms.DateTimeField:  # a lazily translated string
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=LocalDateTimeInput(),
        help_text=_("UK time, for example 2027-06-14 09:30"),
    )


class EventForm(TextLimitsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("What it is about"), widget=forms.Textarea, required=False, max_length=5000
    )
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organised by"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Me, as a person"),
    )
    organiser_name = forms.CharField(
        label=_("Your name as it should be shown"),
        max_length=120,
        required=False,
        help_text=_("Only when you organise it as a person."),
    )
    starts_at = _when(_("Starts"))
    ends_at = _when(_("Ends"))
    attendance = forms.ChoiceField(label=_("Where"), choices=Attendance.choices)
    address = forms.CharField(
        label=_("Address"), widget=forms.Textarea, required=False, max_length=500
    )
    nation = forms.ChoiceField(
        label=_("Nation"),
        choices=[("", _("The organisation's"))] + list(Nation.choices),
        required=False,
    )
    region = forms.CharField(label=_("Region"), max_length=64, required=False)
    online_url = forms.URLField(
        label=_("Link to join online"), required=False, max_length=500, assume_scheme="https"
    )
    booking = forms.ChoiceField(label=_("Booking"), choices=Booking.choices)
    booking_url = forms.URLField(
        label=_("Link to book"), required=False, max_length=500, assume_scheme="https"
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit. When full, people join a waiting list."),
    )
    series_name = forms.CharField(
        label=_("Series"),
        max_length=200,
        required=False,
        help_text=_('A name the event recurs under, such as "LocalGovCamp".'),
    )
    services = forms.CharField(
        label=_("Services (LGSL codes)"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas, for example 1, 526"),
    )
    tags = forms.CharField(
        label=_("Topics"), max_length=500, required=False, help_text=_("Separated by commas.")
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation_field = self.fields["organisation"]
        assert isinstance(organisation_field, forms.ModelChoiceField)
        organisation_field.queryset = organisations

    def clean_services(self) -> list[Code]:
        wanted = [code.strip() for code in self.cleaned_data["services"].split(",") if code.strip()]
        found = list(Code.objects.filter(code_list__slug="lgsl", code__in=wanted))
        missing = sorted(set(wanted) - {code.code for code in found})
        if missing:
            raise forms.ValidationError(
                _("No LGSL service has the code %(codes)s") % {"codes": ", ".join(missing)}
            )
        return found

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class LinkForm(TextLimitsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Address (URL)"), max_length=500, assume_scheme="https")
    kind = forms.ChoiceField(label=_("Kind"), choices=LinkKind.choices)


class CancelForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the event cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the event's page and sent to everyone signed up or waiting."),
        error_messages={"required": _("Say why the event is cancelled.")},
    )


class RoomForm(TextLimitsMixin, forms.Form):
    name = forms.CharField(label=_("Room"), max_length=120)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100_000)


class SlotForm(forms.Form):
    starts_at = _when(_("Starts"))
    ends_at = _when(_("Ends"))


class PitchForm(TextLimitsMixin, forms.Form):
    title = forms.CharField(label=_("Title of your session"), max_length=200)
    about = forms.CharField(label=_("What it is about"), widget=forms.Textarea, max_length=2000)
    host_name = forms.CharField(
        label=_("Your name as it should be shown"),
        max_length=120,
        help_text=_("Shown on the grid beside your session."),
    )


class PlaceForm(forms.Form):
    """Where a session goes: a room and a time, or "not on the grid"."""

    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("Not placed")
    )
    slot = forms.ModelChoiceField(
        label=_("Time"), queryset=Slot.objects.none(), required=False, empty_label=_("Not placed")
    )

    def __init__(self, *args: Any, rooms: QuerySet[Room], slots: QuerySet[Slot], **kwargs: Any):
        super().__init__(*args, **kwargs)
        room_field, slot_field = self.fields["room"], self.fields["slot"]
        assert isinstance(room_field, forms.ModelChoiceField)
        assert isinstance(slot_field, forms.ModelChoiceField)
        room_field.queryset = rooms
        slot_field.queryset = slots


class NotesForm(TextLimitsMixin, forms.Form):
    text = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea,
        max_length=20_000,
        required=False,
        help_text=_("Markdown. Each save keeps the earlier version in the history."),
    )
