"""System checks of the project's own: production never runs Celery eagerly."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def check_celery_broker(app_configs, **kwargs):
    """Eager Celery renders PDFs inside the web request: fine for the demo, not in production."""
    if settings.DEBUG or getattr(settings, "CELERY_BROKER_URL", ""):
        return []
    return [
        Warning(
            "CELERY_BROKER_URL is not set: Celery runs tasks eagerly inside web requests.",
            hint="Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) and run a worker: "
            "celery -A finsam worker -Q celery,pdf (docs/drift.md).",
            id="finsam.W001",
        )
    ]
