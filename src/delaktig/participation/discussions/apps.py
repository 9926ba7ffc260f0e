from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "delaktig.participation.discussions"
    label = "discussions"
