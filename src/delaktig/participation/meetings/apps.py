from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "delaktig.participation.meetings"
    label = "meetings"

    def ready(self) -> None:
        from delaktig.accounts.personal_data import register_before_erase
        from delaktig.participation.meetings.actions import free_places_of_erased

        register_before_erase("meetings.Registration", free_places_of_erased)
