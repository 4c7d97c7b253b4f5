from django.urls import include, path

from . import decision_views, views

urlpatterns = [
    path("insatser/", views.insats_list, name="insats_list"),
    path("insatser/ny/", views.insats_create, name="insats_create"),
    path("insatser/<int:pk>/", views.insats_detail, name="insats_detail"),
    path("insatser/<int:pk>/andra/", views.insats_edit, name="insats_edit"),
    # --- part A: applications and rounds
    path("", include("insatser.ansokan.urls")),
    # payment claims
    path("", include("insatser.rekvisitioner.urls")),
    # part C: decisions on applications
    path(
        "ansokningar/<int:pk>/delegationsbeslut/",
        decision_views.ansokan_delegated_decision,
        name="ansokan_delegated_decision",
    ),
    path(
        "ansokningar/<int:pk>/beslutsbrev.pdf",
        decision_views.ansokan_letter,
        name="ansokan_letter",
    ),
]
