"""/konto/: sign-in, password change and reset, invitation links, two-factor sign-in."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import signin

urlpatterns = [
    path("logga-in/", signin.LoginView.as_view(), name="login"),
    path("logga-in/kod/", signin.login_code, name="login_code"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("losenord/", signin.password_change, name="password_change"),
    path("losenord/klart/", signin.password_change_done, name="password_change_done"),
    path("aterstall/", signin.password_reset, name="password_reset"),
    path("aterstall/skickat/", signin.password_reset_done, name="password_reset_done"),
    path(
        "aterstall/<uidb64>/<token>/",
        signin.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("aktivera/<uidb64>/<token>/", signin.invitation_confirm, name="invitation_confirm"),
    path("tvastegsverifiering/", signin.two_factor, name="two_factor"),
    path("tvastegsverifiering/qr.svg", signin.two_factor_qr, name="two_factor_qr"),
    path("tvastegsverifiering/av/", signin.two_factor_off, name="two_factor_off"),
]
