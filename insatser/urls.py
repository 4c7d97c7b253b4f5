from django.urls import include, path

from . import views

urlpatterns = [
    path("insatser/", views.insats_list, name="insats_list"),
    path("insatser/ny/", views.insats_create, name="insats_create"),
    path("insatser/<int:pk>/", views.insats_detail, name="insats_detail"),
    path("insatser/<int:pk>/andra/", views.insats_edit, name="insats_edit"),
    # --- part A: applications and rounds
    path("", include("insatser.ansokan.urls")),
]
