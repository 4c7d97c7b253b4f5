from django.apps import AppConfig


class InsatserConfig(AppConfig):
    name = "insatser"
    verbose_name = "Insatser"

    def ready(self):
        from . import agenda, search
        from .ansokan import tasks  # noqa: F401 - part A: the mail task, for Celery

        search.register_all()
        agenda.register()
