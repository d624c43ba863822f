"""What a service raises when it refuses a write, for every domain app.

- `RuleRefused`: the write breaks a rule about what was asked, whoever asks (too long, a
  hidden statement, a closed consultation). Nothing was changed. `field` names the form field
  it is about, if any. Pages show the message beside that field; the API answers 400.
- `NotPermitted`: the person asking may not do this (`accounts.permissions.can` said no). Pages
  answer 403; so does the API.

Each app names its own subclass of `RuleRefused` (`NetworkError`, `ConsultationError`...), so that
a view catches only its own domain's refusals; the API's exception handler
(`kitbag/api/exceptions.py`) knows the two bases.
"""

from __future__ import annotations


class RuleRefused(ValueError):
    """A write the rules do not allow; nothing was changed."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotPermitted(PermissionError):
    """The person may not do this."""
