from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "delaktig.governance"
    label = "governance"
