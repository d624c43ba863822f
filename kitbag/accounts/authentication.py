"""Kitbag API tokens in DRF: ``Authorization: Bearer kb_...``."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from kitbag.accounts.services.tokens import authenticate_token


class KitbagTokenAuthentication(BaseAuthentication):
    """A request with no Bearer header is left to the next authentication class (the session);
    a request with a wrong, revoked or malformed token is refused outright rather than treated as
    anonymous, so a client learns at once that its token no longer works."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, str] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed("Send the header as: Authorization: Bearer <token>.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed("That token is not valid.") from error
        user = authenticate_token(raw)
        if user is None:
            raise AuthenticationFailed("That token is not valid, or has been revoked.")
        return user, raw

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with this challenge) rather than 403 to a request with no
        # credentials.
        return f'{self.keyword} realm="api"'
