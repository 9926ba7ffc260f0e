from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "delaktig.participation.votes"
    label = "votes"
