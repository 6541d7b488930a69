from django.apps import AppConfig

from core.release import take_source_digest


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        # drf-spectacular finds its extensions by subclass registration: load the portal's before any schema.
        from core.api import schema  # noqa: F401

        # Taken at the start, from the files this process runs: a process started before a deployment replaced
        # them keeps the old release's identity (core/release.py).
        take_source_digest()
