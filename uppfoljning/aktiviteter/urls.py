from django.urls import path

from . import views

urlpatterns = [
    path("aktiviteter/", views.aktivitet_list, name="aktivitet_list"),
    path("aktiviteter/ny/", views.aktivitet_create, name="aktivitet_create"),
    path("aktiviteter/<int:pk>/andra/", views.aktivitet_edit, name="aktivitet_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", views.aktivitet_delete, name="aktivitet_delete"),
]
