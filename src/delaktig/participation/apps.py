from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "delaktig.participation"
    label = "participation"
