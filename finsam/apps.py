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
        _guard_frozen_minutes()
        from . import generation

        generation.connect()
        from . import checks  # noqa: F401 - registers the project's system checks


def _guard_frozen_minutes():
    from django.db.models.signals import m2m_changed

    from .minutes.frozen import refuse_m2m_change
    from .models import Protokoll

    m2m_changed.connect(
        refuse_m2m_change, sender=Protokoll.justerare.through, dispatch_uid="frozen_justerare"
    )
