from django.urls import path

from . import register, views

urlpatterns = [
    path("sammantraden/<int:pk>/protokoll/", views.protokoll_detail, name="protokoll_detail"),
    path("sammantraden/<int:pk>/protokoll/andra/", views.protokoll_edit, name="protokoll_edit"),
    path(
        "sammantraden/<int:pk>/protokoll/pdf/",
        views.protokoll_pdf_create,
        name="protokoll_pdf_create",
    ),
    path("sammantraden/<int:pk>/protokoll/justera/", views.protokoll_sign, name="protokoll_sign"),
    path(
        "sammantraden/<int:pk>/protokoll/fil/<int:dokument>/",
        views.protokoll_download,
        name="protokoll_download",
    ),
    path("beslut/", register.beslut_list, name="beslut_list"),
    path("installningar/delegation/", views.delegation_limit_edit, name="delegation_limit_edit"),
    # Public: no login.
    path("anslagstavla/", views.anslagstavla, name="anslagstavla"),
    path("anslagstavla/<int:pk>/protokoll.pdf", views.anslagstavla_pdf, name="anslagstavla_pdf"),
]
