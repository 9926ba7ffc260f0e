from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "delaktig.participation.meetings"
    label = "meetings"
