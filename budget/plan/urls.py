from django.urls import path

from . import views

urlpatterns = [
    path("plan/", views.plan_index, name="plan_index"),
    path("plan/<year:year>/", views.plan_detail, name="plan_detail"),
    path("plan/<year:year>/faststall/", views.plan_adopt, name="plan_adopt"),
    path("plan/<year:year>/publicera/", views.plan_publish, name="plan_publish"),
    path("plan/<year:year>/avsnitt/ny/", views.avsnitt_create, name="avsnitt_create"),
    path("plan/<year:year>/avsnitt/<int:pk>/andra/", views.avsnitt_edit, name="avsnitt_edit"),
    path(
        "plan/<year:year>/avsnitt/<int:pk>/ta-bort/",
        views.avsnitt_delete,
        name="avsnitt_delete",
    ),
    path("plan/<year:year>/disposition/", views.disposition_edit, name="disposition_edit"),
    path("plan/<year:year>/arshjul/", views.arshjul_edit, name="arshjul_edit"),
    path("plan/<year:year>/mal/", views.mal_edit, name="mal_edit"),
    path("plan/<year:year>/risker/", views.risk_list, name="risk_list"),
    path("plan/<year:year>/risker/ny/", views.risk_create, name="risk_create"),
    path("plan/<year:year>/risker/<int:pk>/andra/", views.risk_edit, name="risk_edit"),
    path("plan/<year:year>/risker/<int:pk>/ta-bort/", views.risk_delete, name="risk_delete"),
]
