from django.urls import include, path

from . import views

urlpatterns = [
    path("budget/", views.budget_index, name="budget_index"),
    path("budget/<int:year>/", views.budget_detail, name="budget_detail"),
    path("budget/<int:year>/andra/", views.budget_edit, name="budget_edit"),
    path("budget/<int:year>/utfall/", views.budget_outcome, name="budget_outcome"),
    path("budget/<int:year>/excel/", views.budget_excel, name="budget_excel"),
    path("budget/<int:year>/forslag/", views.budget_propose, name="budget_propose"),
    path("budget/<int:year>/faststall/", views.budget_adopt, name="budget_adopt"),
    path("budget/<int:year>/publicera/", views.budget_publish, name="budget_publish"),
    path("budget/<int:year>/ny-version/", views.budget_new_version, name="budget_new_version"),
    path(
        "budget/<int:year>/medlemsavgifter/",
        views.medlemsavgifter_edit,
        name="medlemsavgifter_edit",
    ),
    path("", include("budget.plan_urls")),
    path("", include("budget.document_urls")),
]
