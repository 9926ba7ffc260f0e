from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "delaktig.api"
    label = "api"
