"""Root URLs. Every förbund page lives under /<förbund>/ (`/uppsala/insatser/12/`)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import (
    converters,  # noqa: F401 - registers <year:...> before the apps' URLs
    views,
)

forbund_patterns = [
    path("", include("uppfoljning.urls")),
    path("", include("finsam.forbund_urls")),
    path("", include("insatser.urls")),
    path("", include("budget.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.start, name="start"),
    path("<slug:forbund>/", include(forbund_patterns)),
]
