from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_profile.html")


urlpatterns = [
    path("profile/", my_profile, name="profile"),
]
