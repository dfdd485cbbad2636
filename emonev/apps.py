from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmonevConfig(AppConfig):
    name = "emonev"
    verbose_name = _("E-Monev")
