from django.urls import path

from . import settings, views

urlpatterns = [
    path("rapporter/", views.rapport_list, name="rapport_list"),
    path("rapporter/<int:pk>/", views.rapport_detail, name="rapport_detail"),
    path("rapporter/<int:pk>/andra/", views.rapport_edit, name="rapport_edit"),
    path("rapporter/<int:pk>/godkann/", views.rapport_approve, name="rapport_approve"),
    path("rapporter/<int:pk>/aterforvisa/", views.rapport_return, name="rapport_return"),
    path("rapporter/forsenade/", views.rapport_late_list, name="rapport_late_list"),
    path("rapporter/installningar/", settings.report_settings, name="report_settings"),
]
