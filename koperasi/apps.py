from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoperasiConfig(AppConfig):
    name = "koperasi"
    verbose_name = _("Cooperatives and formation")
