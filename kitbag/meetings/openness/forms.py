"""Forms for meeting openness: a council's policy, a crowd report, a moderator's step, a reply.

Uploaded evidence is checked by size, by extension and by its first bytes (a PDF that is really
something else is refused), then stored under MEDIA_ROOT with a random name (models.py) and
served only through a view that asks the permission table.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitbag.core.forms import TextLimitsMixin
from kitbag.meetings.models import Activity, Committee, OpennessReport, PolicyStatus, ReportState

# Large enough for a scanned standing order or a phone photo; small enough to keep storage sane.
MAX_EVIDENCE_BYTES = getattr(settings, "KITBAG_OPENNESS_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Extension -> the bytes such a file starts with.
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]


def validate_evidence_file(upload: UploadedFile) -> None:
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise forms.ValidationError(
            _("The file must be smaller than %(mb)s MB"),
            params={"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
        )
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise forms.ValidationError(_("The file must be a PDF, PNG or JPEG"))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES[extension]):
        raise forms.ValidationError(
            _("The file is not really a %(type)s: choose another file"),
            params={"type": extension.upper()},
        )


def _date_field(label: Any, hint: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=hint or _("For example, 2025-03-27"),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": _("Enter the date"),
            "invalid": _("Enter a real date, for example 2025-03-27"),
        },
    )


def radio_options(field: forms.Field) -> list[dict[str, str]]:
    """A choice field's options as accounts/partials/_radios.html draws them (none checked)."""
    assert isinstance(field, forms.ChoiceField)
    # Flat (value, label) pairs: these fields are given lists, never groups or callables.
    choices = cast("list[tuple[object, object]]", field.choices)
    return [{"value": str(value), "label": str(label)} for value, label in choices]


class PolicyForm(TextLimitsMixin, forms.Form):
    """Radios with none chosen (GOV.UK): a select showed its first option, "Allowed", as if it
    were the answer, and a policy could be recorded with it by mistake."""

    activity = forms.ChoiceField(
        label=_("Activity"),
        choices=Activity.choices,
        error_messages={"required": _("Choose the activity")},
    )
    status = forms.ChoiceField(
        label=_("The council's policy"),
        choices=PolicyStatus.choices,
        help_text=_(
            "For the council's own webcast and recordings: allowed means it does this, "
            "prohibited means it does not."
        ),
        error_messages={"required": _("Choose the council's policy")},
    )
    conditions = forms.CharField(
        label=_("Conditions (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea,
        help_text=_("For example: filming only from the public gallery; no flash."),
    )
    evidence_url = forms.URLField(
        label=_("Link to the evidence"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("The standing orders, protocol or web page that says this."),
        error_messages={"invalid": _("Enter a web address, starting https://")},
    )
    evidence_file = forms.FileField(
        label=_("Or upload the evidence (optional)"),
        required=False,
        validators=[validate_evidence_file],
        help_text=_("A PDF, PNG or JPEG, smaller than 10 MB."),
    )
    evidence_date = _date_field(
        _("Date of the evidence"), _("When it was published or adopted, for example 2025-03-27")
    )
    note = forms.CharField(
        label=_("What changed (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
    )

    @property
    def activity_options(self) -> list[dict[str, str]]:
        return radio_options(self.fields["activity"])

    @property
    def status_options(self) -> list[dict[str, str]]:
        return radio_options(self.fields["status"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_evidence = not data.get("evidence_url") and not data.get("evidence_file")
        if no_evidence and not {"evidence_url", "evidence_file"} & set(self.errors):
            self.add_error("evidence_url", _("Give a link to the evidence or upload it"))
        return data


class ReportForm(TextLimitsMixin, forms.Form):
    observed_on = _date_field(_("Date of the meeting"))
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.none(),
        required=False,
        empty_label=_("Not listed"),
        help_text=_("From the council's calendar. If it is not listed, type its name below."),
    )
    committee_name = forms.CharField(
        label=_("Committee or meeting name, if not listed"), required=False, max_length=255
    )
    # Both are radios with none chosen (GOV.UK): a report was once sent with a preselected
    # activity that nobody had chosen.
    activity = forms.ChoiceField(
        label=_("What were you doing, or trying to do?"),
        choices=Activity.choices,
        error_messages={"required": _("Choose what you were doing")},
    )
    claimed_status = forms.ChoiceField(
        label=_("What were you told?"),
        choices=PolicyStatus.choices,
        error_messages={"required": _("Choose what you were told")},
    )
    narrative = forms.CharField(
        label=_("What happened"),
        max_length=8000,
        widget=forms.Textarea,
        help_text=_("Say who told you what, and when. Do not include anyone's personal details."),
        error_messages={"required": _("Say what happened")},
    )
    evidence_url = forms.URLField(
        label=_("Link to evidence (optional)"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("For example a video, a post or the council's email."),
        error_messages={"invalid": _("Enter a web address, starting https://")},
    )
    evidence_file = forms.FileField(
        label=_("Upload evidence (optional)"),
        required=False,
        validators=[validate_evidence_file],
        help_text=_("A PDF, PNG or JPEG, smaller than 10 MB."),
    )

    def __init__(self, *args: Any, committees: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if committees is not None:
            field = self.fields["committee"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = committees

    # The options of the two radio questions, as accounts/partials/_radios.html draws them.
    @property
    def activity_options(self) -> list[dict[str, str]]:
        return [{"value": value, "label": str(label)} for value, label in Activity.choices]

    @property
    def claimed_status_options(self) -> list[dict[str, str]]:
        return [{"value": value, "label": str(label)} for value, label in PolicyStatus.choices]

    def clean_observed_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["observed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the meeting must be today or in the past"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_committee = not data.get("committee") and not (data.get("committee_name") or "").strip()
        if no_committee and "committee" not in self.errors:
            self.add_error("committee_name", _("Choose the committee or type the meeting's name"))
        return data


class ModerateForm(TextLimitsMixin, forms.Form):
    """The next step and the policy are radios with none chosen: a moderator answers both, and
    what the reporter said they were told is a hint, not a default."""

    to_state = forms.ChoiceField(
        label=_("Move the report to"), error_messages={"required": _("Choose the next step")}
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("The reporter is told this. It is public if the report is accepted."),
        error_messages={"required": _("Give a reason")},
    )
    duplicate_of = forms.IntegerField(
        label=_("Duplicate of report number (for duplicates)"), required=False, min_value=1
    )
    change_policy = forms.BooleanField(
        label=_("Record a new version of the council's policy from this report (when accepting)"),
        required=False,
    )
    policy_status = forms.ChoiceField(
        label=_("The council's policy, going by this report"),
        choices=PolicyStatus.choices,
        required=False,
    )
    policy_conditions = forms.CharField(
        label=_("Conditions (optional)"), required=False, max_length=4000, widget=forms.Textarea
    )

    def __init__(
        self, *args: Any, report: OpennessReport, allowed: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_state"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, ReportState(s).label) for s in ReportState.values if s in allowed]
        self.fields["policy_status"].help_text = _(
            "Only when recording a new version. The reporter said they were told: %(claimed)s."
        ) % {"claimed": PolicyStatus(report.claimed_status).label}
        self.report = report

    @property
    def to_state_options(self) -> list[dict[str, str]]:
        return radio_options(self.fields["to_state"])

    @property
    def policy_status_options(self) -> list[dict[str, str]]:
        return radio_options(self.fields["policy_status"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        state = data.get("to_state")
        if state == ReportState.DUPLICATE and not data.get("duplicate_of"):
            self.add_error("duplicate_of", _("Enter the number of the report this one repeats"))
        if data.get("change_policy"):
            if state != ReportState.ACCEPTED:
                self.add_error("change_policy", _("Only an accepted report can change a policy"))
            elif not data.get("policy_status"):
                self.add_error("policy_status", _("Choose the council's policy"))
        return data


class ReplyForm(TextLimitsMixin, forms.Form):
    text = forms.CharField(
        label=_("The council's reply"),
        max_length=4000,
        widget=forms.Textarea,
        help_text=_("Shown with the report wherever it is shown."),
        error_messages={"required": _("Enter the council's reply")},
    )


class InformationForm(TextLimitsMixin, forms.Form):
    text = forms.CharField(
        label=_("The information you are adding"),
        max_length=4000,
        widget=forms.Textarea,
        error_messages={"required": _("Enter the information you are adding")},
    )
