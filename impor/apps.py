from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporConfig(AppConfig):
    name = "impor"
    verbose_name = _("Bulk import")

    def ready(self):
        # The import tasks are queued by name (services → tasks); register them in every process.
        from . import tasks  # noqa: F401
