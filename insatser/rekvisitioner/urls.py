from django.urls import path

from . import views

urlpatterns = [
    path("rekvisitioner/", views.rekvisition_list, name="rekvisition_list"),
    path("rekvisitioner/<int:pk>/", views.rekvisition_detail, name="rekvisition_detail"),
    path("rekvisitioner/<int:pk>/beslut/", views.rekvisition_decide, name="rekvisition_decide"),
    path(
        "insatser/<int:pk>/rekvisitioner/ny/",
        views.rekvisition_create,
        name="rekvisition_create",
    ),
    path(
        "insatser/<int:pk>/rekvisitioner/registrera/",
        views.rekvisition_register,
        name="rekvisition_register",
    ),
]
