from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "delaktig.feedback"
    label = "feedback"
