from django.urls import path

from . import document_views as views

urlpatterns = [
    path("plan/<year:year>/pdf/", views.plan_pdf_create, name="plan_pdf_create"),
    path("plan/<year:year>/dokument/", views.plan_documents, name="plan_documents"),
    path("plan/<year:year>/forhandsvisning/", views.plan_preview, name="plan_preview"),
    path("budget/<year:year>/pdf/", views.budget_pdf_create, name="budget_pdf_create"),
    path("budget/<year:year>/dokument/", views.budget_documents, name="budget_documents"),
    path("dokument/<int:pk>/", views.dokument_status, name="dokument_status"),
    path("dokument/<int:pk>/fil/", views.dokument_download, name="dokument_download"),
]
