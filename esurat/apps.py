from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EsuratConfig(AppConfig):
    name = "esurat"
    verbose_name = _("E-Surat")
