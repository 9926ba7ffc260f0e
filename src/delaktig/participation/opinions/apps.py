from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "delaktig.participation.opinions"
    label = "opinions"
