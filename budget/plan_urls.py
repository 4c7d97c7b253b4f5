from django.urls import path

from . import plan_views as views

urlpatterns = [
    path("plan/", views.plan_index, name="plan_index"),
    path("plan/<int:year>/", views.plan_detail, name="plan_detail"),
    path("plan/<int:year>/faststall/", views.plan_adopt, name="plan_adopt"),
    path("plan/<int:year>/publicera/", views.plan_publish, name="plan_publish"),
    path("plan/<int:year>/avsnitt/ny/", views.avsnitt_create, name="avsnitt_create"),
    path("plan/<int:year>/avsnitt/<int:pk>/andra/", views.avsnitt_edit, name="avsnitt_edit"),
    path(
        "plan/<int:year>/avsnitt/<int:pk>/ta-bort/",
        views.avsnitt_delete,
        name="avsnitt_delete",
    ),
    path("plan/<int:year>/mal/", views.mal_edit, name="mal_edit"),
    path("plan/<int:year>/risker/", views.risk_list, name="risk_list"),
    path("plan/<int:year>/risker/ny/", views.risk_create, name="risk_create"),
    path("plan/<int:year>/risker/<int:pk>/andra/", views.risk_edit, name="risk_edit"),
    path("plan/<int:year>/risker/<int:pk>/ta-bort/", views.risk_delete, name="risk_delete"),
]
