from django.apps import AppConfig


class InsatserConfig(AppConfig):
    name = "insatser"
    verbose_name = "Insatser"

    def ready(self):
        from . import agenda, search

        search.register_all()
        agenda.register()
