from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "delaktig.results"
    label = "results"

    def ready(self) -> None:
        from delaktig.governance import lifecycle
        from delaktig.results.actions import compilation_published

        lifecycle.register_gate_check("start_feedback", compilation_published)
