"""A new insats gets its reports at once: insatser does not know uppfoljning."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from insatser.models import Insats

from .schedule import create_reports_for


@receiver(post_save, sender=Insats, dispatch_uid="uppfoljning_reports_for_new_insats")
def reports_for_new_insats(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        create_reports_for(instance)
