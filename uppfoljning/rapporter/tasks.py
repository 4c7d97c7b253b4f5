"""Periodic jobs of the reports (listed in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .reminders import send_reminders
from .schedule import create_due_reports


@shared_task
def create_due_reports_task():
    return create_due_reports()


@shared_task
def send_report_reminders():
    return send_reminders()
