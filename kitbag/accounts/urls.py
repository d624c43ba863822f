"""Account pages under /account/ (allauth's sign-in pages are mounted there too, in kitbag/urls.py).

Each topic keeps its routes in its own views module; they are joined here.
"""

from kitbag.accounts.views import moderation, organisation, personal_data, profile, tokens

app_name = "accounts"

urlpatterns = [
    *personal_data.urlpatterns,
    *profile.urlpatterns,
    *organisation.urlpatterns,
    *tokens.urlpatterns,
    *moderation.urlpatterns,
]
