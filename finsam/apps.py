from django.apps import AppConfig
from django.db.backends.signals import connection_created


class FinsamConfig(AppConfig):
    name = "finsam"
    verbose_name = "Förbund"

    def ready(self):
        from . import search_providers
        from .lists.collation import add_sqlite_collation

        connection_created.connect(add_sqlite_collation, dispatch_uid="finsam_swedish_collation")
        search_providers.register_all()
        from . import checks  # noqa: F401 - registers the project's system checks
