"""Periodic jobs of the reports (listed in settings.CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task

from .reminders import send_reminders
from .schedule import create_due_reports


@shared_task
def create_due_reports_task():
    return create_due_reports()


@shared_task
def send_report_reminders(today=None):
    """Beat sends no argument (today); an operator may replay a day: "2026-04-25"."""
    return send_reminders(datetime.date.fromisoformat(today) if today else None)
