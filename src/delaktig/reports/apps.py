from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "delaktig.reports"
    label = "reports"
