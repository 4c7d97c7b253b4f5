from django.urls import include, path

from . import views

urlpatterns = [
    path("budget/", views.budget_index, name="budget_index"),
    path("budget/<int:year>/", views.budget_detail, name="budget_detail"),
    path("budget/<int:year>/andra/", views.budget_edit, name="budget_edit"),
    path(
        "budget/<int:year>/medlemsavgifter/",
        views.medlemsavgifter_edit,
        name="medlemsavgifter_edit",
    ),
    path("", include("budget.plan_urls")),
    path("", include("budget.document_urls")),
]
