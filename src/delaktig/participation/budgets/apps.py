from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "delaktig.participation.budgets"
    label = "budgets"
