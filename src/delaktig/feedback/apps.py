from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "delaktig.feedback"
    label = "feedback"
    verbose_name = "Återkoppling"

    def ready(self) -> None:
        from delaktig.feedback import rules  # noqa: F401  (registers permissions)
        from delaktig.feedback.checks import published_feedback_required
        from delaktig.governance import lifecycle

        lifecycle.register_gate_check("record_final_decision", published_feedback_required)
