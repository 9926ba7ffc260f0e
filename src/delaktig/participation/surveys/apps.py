from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "delaktig.participation.surveys"
    label = "surveys"
