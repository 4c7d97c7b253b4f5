import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")

app = Celery("finsam")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["finsam.accounts", "finsam.minutes"])
app.autodiscover_tasks(["insatser"], related_name="decisions")
app.autodiscover_tasks(["uppfoljning.rapporter", "uppfoljning.foljning"])
