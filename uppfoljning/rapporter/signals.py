"""An insats's reports follow it: insatser does not know uppfoljning.

A new insats gets its reports at once; when an insats is saved with its dates
(the edit form saves every field), the reports not yet started follow the new
dates. A save of other fields only (`update_fields`, e.g. the status when the
final report is approved) leaves the reports alone, and so does an ended insats.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from insatser.models import Insats

from .schedule import create_reports_for, sync_reports_for

DATES = {"start", "end"}


@receiver(post_save, sender=Insats, dispatch_uid="uppfoljning_reports_for_new_insats")
def reports_follow_insats(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if created:
        create_reports_for(instance)
    elif instance.status != Insats.Status.AVSLUTAD and (
        update_fields is None or DATES & set(update_fields)
    ):
        sync_reports_for(instance)
