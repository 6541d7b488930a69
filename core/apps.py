from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        # drf-spectacular finds its extensions by subclass registration: load the portal's before any schema.
        from core.api import schema  # noqa: F401
