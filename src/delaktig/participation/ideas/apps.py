from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "delaktig.participation.ideas"
    label = "ideas"
