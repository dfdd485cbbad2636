from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EplanningConfig(AppConfig):
    name = "eplanning"
    verbose_name = _("E-Planning")
