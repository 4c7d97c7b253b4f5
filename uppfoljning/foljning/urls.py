from django.urls import path

from . import views

urlpatterns = [
    path("uppfoljning/", views.uppfoljning_index, name="uppfoljning_index"),
    path("uppfoljning/excel/", views.uppfoljning_excel, name="uppfoljning_excel"),
    path("uppfoljning/pdf/", views.uppfoljning_pdf_create, name="uppfoljning_pdf_create"),
    path(
        "uppfoljning/bedomning/<int:pk>/",
        views.uppfoljning_bedomning,
        name="uppfoljning_bedomning",
    ),
]
