"""Forms of the consultation pages: they parse what was typed; the rules are in services.py."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kitbag.consultations.documents import DocumentError, markdown_from_docx
from kitbag.consultations.models import ModerationMode, SourceKind
from kitbag.consultations.services import Details
from kitbag.vocabularies.models import Code

LONDON = ZoneInfo("Europe/London")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]
MAX_UPLOAD = 5 * 1024 * 1024


def lgsl_services() -> list[Code]:
    return list(
        Code.objects.filter(code_list__slug="lgsl-services", is_deprecated=False).order_by("label")
    )


def read_document(text: str, upload: UploadedFile | None) -> str:
    """The document's Markdown: an uploaded file's (Word, Markdown or text) or the pasted text."""
    if upload is None:
        return text
    if upload.size and upload.size > MAX_UPLOAD:
        raise forms.ValidationError(_("The file must be smaller than 5 MB."))
    name = (upload.name or "").lower()
    if name.endswith(".docx"):
        try:
            return markdown_from_docx(upload)
        except DocumentError as error:
            raise forms.ValidationError(str(error)) from error
    if name.endswith((".md", ".markdown", ".txt")):
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file must be UTF-8 text.")) from error
    raise forms.ValidationError(_("The file must be a Word document (.docx), Markdown or text."))


class DocumentFields(forms.Form):
    document = forms.CharField(
        label=_("Document"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "Paste the text. Leave a blank line between paragraphs; start a heading with #. "
            "Or upload a file below instead."
        ),
        max_length=400_000,
    )
    document_file = forms.FileField(
        label=_("Or upload the document"),
        required=False,
        help_text=_(
            "A Word document (.docx), Markdown (.md) or text (.txt) file. Tables and pictures are not carried over."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            text = read_document(cleaned.get("document") or "", cleaned.get("document_file"))
        except forms.ValidationError as error:
            self.add_error("document_file", error)
            return cleaned
        if not text.strip() and self.document_required:
            self.add_error("document", _("Enter the document, or upload it."))
        cleaned["document_text"] = text
        return cleaned

    document_required = True


class ConsultationForm(DocumentFields):
    organisation = forms.ChoiceField(label=_("Consulting organisation"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
        help_text=_("What is proposed, in a few sentences."),
    )
    consulted = forms.CharField(
        label=_("Who is consulted"),
        max_length=1000,
        required=False,
        help_text=_("For example: residents, library users, community groups."),
    )
    opens = forms.DateField(
        label=_("Opens"),
        input_formats=DATE_FORMATS,
        required=False,
        help_text=_("For example, 27/3/2027. Leave empty to open when you publish."),
    )
    closes = forms.DateField(
        label=_("Closes"),
        input_formats=DATE_FORMATS,
        help_text=_("For example, 30/6/2027. It closes at 11:59pm UK time that day."),
    )
    questions = forms.CharField(
        label=_("Questions (optional)"),
        widget=forms.Textarea,
        max_length=4000,
        required=False,
        help_text=_("One question a line."),
    )
    contact = forms.CharField(label=_("Contact"), max_length=500, required=False)
    moderation = forms.ChoiceField(
        label=_("Moderation"), choices=ModerationMode.choices, initial=ModerationMode.POST
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=500,
        required=False,
        help_text=_("Separated by commas: used to find posts about it elsewhere."),
    )
    service = forms.ChoiceField(label=_("Service (LGSL)"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: list[tuple[str, str]] | None = None,
        document_required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.document_required = document_required
        if organisations is None:
            del self.fields["organisation"]
        else:
            cast(forms.ChoiceField, self.fields["organisation"]).choices = organisations
            self.fields["organisation"].required = True
        self.services = lgsl_services()
        cast(forms.ChoiceField, self.fields["service"]).choices = [("", _("None"))] + [
            (code.code, code.label) for code in self.services
        ]

    @property
    def moderation_options(self) -> list[dict[str, str]]:
        return [{"value": value, "label": str(label)} for value, label in ModerationMode.choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", _("The closing date must be after the opening date."))
        return cleaned

    def details(self) -> Details:
        data = self.cleaned_data
        service = data.get("service")
        return Details(
            title=data["title"],
            summary=data.get("summary", ""),
            consulted=data.get("consulted", ""),
            opens_at=start_of(data.get("opens")),
            closes_at=end_of(data.get("closes")),
            questions=data.get("questions", ""),
            contact=data.get("contact", ""),
            moderation=data["moderation"],
            keywords=data.get("keywords", ""),
            services=[code for code in self.services if code.code == service],
        )


def start_of(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time(0, 0), tzinfo=LONDON)


def end_of(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else dt.datetime.combine(day, dt.time(23, 59), tzinfo=LONDON)


class RevisionForm(DocumentFields):
    pass


class CommentForm(forms.Form):
    paragraph = forms.CharField(widget=forms.HiddenInput)
    quote_exact = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)
    quote_prefix = forms.CharField(widget=forms.HiddenInput, required=False, max_length=400)
    quote_suffix = forms.CharField(widget=forms.HiddenInput, required=False, max_length=400)
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea, max_length=5000)
    display_name = forms.CharField(
        label=_("Your name as shown with your comments"),
        max_length=80,
        required=False,
        help_text=_("Everyone can see it. Use any name you like; never your email address."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my comments are published here under this name"), required=False
    )

    def __init__(self, *args: Any, asks_consent: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asks_consent = asks_consent
        if not asks_consent:
            del self.fields["display_name"]
            del self.fields["consent"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.asks_consent:
            if not (cleaned.get("display_name") or "").strip():
                self.add_error("display_name", _("Enter the name to show with your comments."))
            if not cleaned.get("consent"):
                self.add_error("consent", _("Agree to publishing your comments to send one."))
        return cleaned


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Your reply"), widget=forms.Textarea, max_length=5000)
    as_official = forms.BooleanField(required=False, label=_("Answer as the organisation"))
    changed_in_version = forms.IntegerField(
        required=False,
        min_value=1,
        label=_("Changed in version (optional)"),
        help_text=_("The version of the document that changed because of this comment."),
    )
    display_name = forms.CharField(
        label=_("Your name as shown with your comments"), max_length=80, required=False
    )
    consent = forms.BooleanField(
        label=_("I agree that my comments are published here under this name"), required=False
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment?"),
        widget=forms.Textarea,
        max_length=1000,
        help_text=_("For example: it names a private person, or it is abusive."),
    )


class ModerationForm(forms.Form):
    comments = forms.MultipleChoiceField(label=_("Comments"), choices=())
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            ("approve", _("Show (approve)")),
            ("hide", _("Hide")),
            ("redact", _("Redact personal data")),
            ("restore", _("Show again")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason (shown in the public moderation log)"),
        required=False,
        widget=forms.Textarea,
        max_length=1000,
    )
    redacted_text = forms.CharField(
        label=_("The comment as it should be shown (for redaction)"),
        required=False,
        widget=forms.Textarea,
        max_length=5000,
    )

    def __init__(self, *args: Any, keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["comments"]).choices = [(key, key) for key in keys]


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("We asked, you said, we did"),
        widget=forms.Textarea,
        max_length=20000,
        help_text=_(
            "A summary per question or section, with links to the comments and changes it describes. Markdown."
        ),
    )


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it?"), choices=SourceKind.choices)
    url = forms.URLField(label=_("Address"), max_length=1000, assume_scheme="https")

    @property
    def kind_options(self) -> list[dict[str, str]]:
        return [{"value": value, "label": str(label)} for value, label in SourceKind.choices]
