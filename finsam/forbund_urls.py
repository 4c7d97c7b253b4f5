from django.urls import include, path

from . import search, views

urlpatterns = [
    path("medlemmar/", views.medlem_list, name="medlem_list"),
    path("medlemmar/ny/", views.medlem_create, name="medlem_create"),
    path("medlemmar/<int:pk>/", views.medlem_detail, name="medlem_detail"),
    path("medlemmar/<int:pk>/andra/", views.medlem_edit, name="medlem_edit"),
    path("styrelsen/", views.ledamot_list, name="ledamot_list"),
    path("styrelsen/ny/", views.ledamot_create, name="ledamot_create"),
    path("styrelsen/<int:pk>/andra/", views.ledamot_edit, name="ledamot_edit"),
    path("sammantraden/", views.sammantrade_list, name="sammantrade_list"),
    path("sammantraden/ny/", views.sammantrade_create, name="sammantrade_create"),
    path("sammantraden/<int:pk>/", views.sammantrade_detail, name="sammantrade_detail"),
    path("sammantraden/<int:pk>/andra/", views.sammantrade_edit, name="sammantrade_edit"),
    path("sok/", search.sok, name="sok"),
    path("", include("finsam.meetings.urls")),
    path("", include("finsam.minutes.urls")),
]
