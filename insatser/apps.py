from django.apps import AppConfig


class InsatserConfig(AppConfig):
    name = "insatser"
    verbose_name = "Insatser"

    def ready(self):
        from . import agenda, search
        from .ansokan import tasks  # noqa: F401 - part A: the mail task, for Celery

        search.register_all()
        agenda.register()
        _decisions_follow_minutes()


def _decisions_follow_minutes():
    from finsam.minutes.register import register_links
    from finsam.minutes.signals import minutes_signed

    from . import decision_views, decisions

    minutes_signed.connect(decisions.apply_meeting, dispatch_uid="insatser_apply_decisions")
    register_links(decision_views.decision_links)
