from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kitbag.follows.models import DigestFrequency


class FollowForm(forms.Form):
    key = forms.CharField(max_length=200)
    action = forms.ChoiceField(choices=[("follow", "follow"), ("unfollow", "unfollow")])
    next = forms.CharField(max_length=1000, required=False)


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Email me a digest"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often to get emails.")},
    )
