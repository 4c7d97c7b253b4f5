"""Root URLs. Every förbund page lives under /<förbund>/ (`/uppsala/insatser/12/`)."""

from django.contrib import admin
from django.urls import include, path

from . import (
    converters,  # noqa: F401 - registers <year:...> before the apps' URLs
    views,
)
from .accounts.signin import admin_login

# The admin signs in through the same door (lock-out, two-factor code).
admin.site.login = admin_login

forbund_patterns = [
    path("", include("uppfoljning.urls")),
    path("", include("finsam.forbund_urls")),
    path("", include("finsam.accounts.forbund_urls")),
    path("", include("insatser.urls")),
    path("", include("budget.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/", include("finsam.accounts.urls")),
    path("", views.start, name="start"),
    path("<slug:forbund>/", include(forbund_patterns)),
]
