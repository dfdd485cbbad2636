from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EprocurementConfig(AppConfig):
    name = "eprocurement"
    verbose_name = _("E-Procurement")
