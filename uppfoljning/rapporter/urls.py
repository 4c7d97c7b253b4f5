from django.urls import path

from . import views

urlpatterns = [
    path("rapporter/<int:pk>/", views.rapport_detail, name="rapport_detail"),
    path("rapporter/forsenade/", views.rapport_late_list, name="rapport_late_list"),
]
