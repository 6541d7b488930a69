from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WilayahConfig(AppConfig):
    name = "wilayah"
    verbose_name = _("Regions (wilayah)")
