from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("uppfoljning.aktiviteter.urls")),
    path("", include("uppfoljning.rapporter.urls")),
    path("", include("uppfoljning.foljning.urls")),
]
