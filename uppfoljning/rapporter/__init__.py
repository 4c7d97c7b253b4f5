"""Reports from the insatsägare: schedule, reminders and (later) the report form."""
