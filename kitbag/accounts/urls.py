"""Account pages under /account/ (allauth's sign-in pages are mounted there too, in kitbag/urls.py).

Each topic keeps its routes in its own views module; they are joined here.
"""

from kitbag.accounts.views import profile

app_name = "accounts"

urlpatterns = [
    *profile.urlpatterns,
]
