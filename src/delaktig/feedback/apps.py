from typing import Any

from django.apps import AppConfig


def _tell_participants_it_is_decided(dialogue: Any) -> None:
    from delaktig.feedback.actions import notify_decision

    notify_decision(dialogue=dialogue)


def _ask_for_feedback(**opt_in: Any) -> Any:
    from delaktig.feedback.actions import ask_for_feedback

    return ask_for_feedback(**opt_in)


class FeedbackConfig(AppConfig):
    name = "delaktig.feedback"
    label = "feedback"
    verbose_name = "Återkoppling"

    def ready(self) -> None:
        from delaktig.feedback import rules  # noqa: F401  (registers permissions)
        from delaktig.feedback.checks import published_feedback_required
        from delaktig.governance import lifecycle
        from delaktig.governance.models import DialogueStatus
        from delaktig.participation import feedback_optin

        lifecycle.register_gate_check("record_final_decision", published_feedback_required)
        lifecycle.register_arrival(DialogueStatus.DECIDED, _tell_participants_it_is_decided)
        feedback_optin.register_store(_ask_for_feedback)
