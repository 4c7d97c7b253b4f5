from django.urls import path

from . import views

urlpatterns = [
    path("ansokningar/", views.ansokan_list, name="ansokan_list"),
    path("ansokningar/ny/", views.ansokan_create, name="ansokan_create"),
    path("ansokningar/<int:pk>/", views.ansokan_detail, name="ansokan_detail"),
    path("ansokningar/<int:pk>/andra/", views.ansokan_edit, name="ansokan_edit"),
    path("ansokningar/<int:pk>/skicka-in/", views.ansokan_submit, name="ansokan_submit"),
    path("ansokningar/<int:pk>/aterta/", views.ansokan_withdraw, name="ansokan_withdraw"),
    path("ansokningar/<int:pk>/bilagor/ny/", views.ansokan_bilaga_add, name="ansokan_bilaga_add"),
    path(
        "ansokningar/<int:pk>/bilagor/<int:bilaga>/fil/",
        views.ansokan_bilaga,
        name="ansokan_bilaga",
    ),
    path("ansokningar/<int:pk>/svar/", views.ansokan_answer, name="ansokan_answer"),
    path("ansokningar/<int:pk>/anteckning/", views.ansokan_note, name="ansokan_note"),
    path("ansokningar/<int:pk>/komplettering/", views.ansokan_request, name="ansokan_request"),
    path("ansokningar/<int:pk>/beredning/", views.ansokan_start, name="ansokan_start"),
    path("ansokningar/<int:pk>/forslag/", views.ansokan_proposal, name="ansokan_proposal"),
    path("ansokningar/<int:pk>/klar/", views.ansokan_ready, name="ansokan_ready"),
    path("ansokningar/<int:pk>/dagordning/", views.ansokan_agenda, name="ansokan_agenda"),
    path("ansokningsomgangar/", views.omgang_list, name="ansokan_omgangar"),
    path("ansokningsomgangar/ny/", views.omgang_create, name="ansokan_omgang_create"),
    path("ansokningsomgangar/<int:pk>/andra/", views.omgang_edit, name="ansokan_omgang_edit"),
]
