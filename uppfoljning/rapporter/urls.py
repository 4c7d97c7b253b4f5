from django.urls import path

from . import views

urlpatterns = [
    path("rapporter/forsenade/", views.rapport_late_list, name="rapport_late_list"),
]
