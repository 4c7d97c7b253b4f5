from django.urls import include, path

from . import views

urlpatterns = [
    path("budget/", views.budget_index, name="budget_index"),
    path("budget/<year:year>/", views.budget_detail, name="budget_detail"),
    path("budget/<year:year>/andra/", views.budget_edit, name="budget_edit"),
    path("budget/<year:year>/utfall/", views.budget_outcome, name="budget_outcome"),
    path("budget/<year:year>/excel/", views.budget_excel, name="budget_excel"),
    path("budget/<year:year>/forslag/", views.budget_propose, name="budget_propose"),
    path("budget/<year:year>/faststall/", views.budget_adopt, name="budget_adopt"),
    path("budget/<year:year>/publicera/", views.budget_publish, name="budget_publish"),
    path("budget/<year:year>/ny-version/", views.budget_new_version, name="budget_new_version"),
    path(
        "budget/<year:year>/medlemsavgifter/",
        views.medlemsavgifter_edit,
        name="medlemsavgifter_edit",
    ),
    path("", include("budget.plan.urls")),
    path("", include("budget.document_urls")),
]
