from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "delaktig.followup"
    label = "followup"
