"""The library's forms: recommend a link, upload a bookmark file, and the list's filters."""

from __future__ import annotations

from typing import Any, Final

from django import forms
from django.utils.translation import gettext_lazy as _

from kitbag.core.forms import TextLimitsMixin
from kitbag.resources.addresses import URL_MAX_LENGTH, normalise_tags

BOOKMARK_FILE_MAX_BYTES: Final = 20 * 1024 * 1024


class RecommendForm(TextLimitsMixin, forms.Form):
    url = forms.CharField(
        label=_("Web address"),
        max_length=URL_MAX_LENGTH,
        help_text=_("Starting https:// or http://"),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    why = forms.CharField(
        label=_("Why you recommend it (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea,
    )
    tags = forms.CharField(
        label=_("Tags (optional)"),
        required=False,
        max_length=500,
        help_text=_("Separated by commas, for example: digital inclusion, libraries"),
    )
    is_private = forms.BooleanField(
        label=_("Keep this private: only you will see it"), required=False
    )
    # From a case's, consultation's, partnership's or event's "Resources used": the link is
    # recorded as used by it ("partnership:12"), if the person may edit it.
    used_by = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)

    def clean_tags(self) -> list[str]:
        return normalise_tags(self.cleaned_data.get("tags", "").split(","))


class BookmarkUploadForm(forms.Form):
    bookmarks = forms.FileField(
        label=_("Bookmark file"),
        help_text=_(
            "The HTML file your browser, Pinboard or Delicious exports (Netscape bookmark format)."
        ),
    )
    folders_as_tags = forms.BooleanField(
        label=_("Tag each bookmark with the names of its folders"), required=False
    )

    def clean_bookmarks(self) -> bytes:
        upload = self.cleaned_data["bookmarks"]
        if upload.size > BOOKMARK_FILE_MAX_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 20 MB."))
        data: bytes = upload.read()
        return data


class UsedByForm(forms.Form):
    """On a resource's page: which of the things the person may edit used it. The choices are
    theirs (used_by.editable_choices), grouped by kind."""

    used_by = forms.ChoiceField(label=_("Used by"))

    def __init__(
        self, *args: Any, groups: list[tuple[str, str, list[tuple[str, str]]]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["used_by"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose one"))] + [
            (label, choices) for _kind, label, choices in groups
        ]
        field.error_messages["required"] = _("Choose what used this resource.")
        field.error_messages["invalid_choice"] = _(
            "Choose a case, consultation, partnership or event you may edit."
        )
