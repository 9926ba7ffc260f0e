from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "delaktig.results"
    label = "results"
