from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EjadwalConfig(AppConfig):
    name = "ejadwal"
    verbose_name = _("E-Jadwal")
