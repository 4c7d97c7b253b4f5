from django.apps import AppConfig


class UppfoljningConfig(AppConfig):
    name = "uppfoljning"
    verbose_name = "Uppföljning"

    def ready(self):
        from .rapporter import signals  # noqa: F401
