from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "delaktig.followup"
    label = "followup"
    verbose_name = "Uppföljning"

    def ready(self) -> None:
        from delaktig.followup import rules  # noqa: F401  (registers permissions)
        from delaktig.followup.checks import organiser_evaluation_required
        from delaktig.governance import lifecycle

        lifecycle.register_gate_check("evaluate", organiser_evaluation_required)
