from django.apps import AppConfig


class FinsamConfig(AppConfig):
    name = "finsam"
    verbose_name = "Förbund"

    def ready(self):
        from . import checks  # noqa: F401 - registers the project's system checks
