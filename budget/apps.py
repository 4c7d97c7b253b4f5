from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = "Budget och verksamhetsplan"

    def ready(self):
        from insatser.ansokan.room import register_room

        from .room import remaining_room

        register_room(remaining_room)
