from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "delaktig.core"
    label = "core"

    def ready(self) -> None:
        from delaktig.core.public_cache import connect_signals

        connect_signals()
