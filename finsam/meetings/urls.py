from django.urls import path

from . import views

urlpatterns = [
    path("dagordningsmall/", views.dagordningsmall, name="dagordningsmall"),
    path("sammantraden/kommande/", views.kommande, name="sammantrade_kommande"),
    path("sammantraden/<int:pk>/dagordning/", views.dagordning, name="sammantrade_dagordning"),
    path(
        "sammantraden/<int:pk>/staende-punkter/",
        views.standing_items,
        name="sammantrade_staende",
    ),
    path("sammantraden/<int:pk>/kallelse/", views.kallelse, name="sammantrade_kallelse"),
    path("sammantraden/<int:pk>/genomfort/", views.genomfort, name="sammantrade_genomfort"),
    path("sammantraden/<int:pk>/narvaro/", views.narvaro, name="sammantrade_narvaro"),
    path(
        "sammantraden/<int:pk>/arenden/<int:arende_pk>/jav/",
        views.jav,
        name="sammantrade_jav",
    ),
    path(
        "sammantraden/<int:pk>/arenden/<int:arende_pk>/jav/<int:jav_pk>/ta-bort/",
        views.jav_withdraw,
        name="sammantrade_jav_withdraw",
    ),
    path(
        "sammantraden/<int:pk>/arenden/<int:arende_pk>/beslut/",
        views.beslut,
        name="sammantrade_beslut",
    ),
]
