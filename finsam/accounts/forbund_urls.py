from django.urls import path

from . import views

urlpatterns = [
    path("konton/", views.konto_list, name="konto_list"),
    path("konton/bjud-in/", views.konto_invite, name="konto_invite"),
    path("konton/<int:pk>/ta-bort/", views.konto_remove, name="konto_remove"),
]
