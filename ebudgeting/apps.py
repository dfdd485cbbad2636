from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EbudgetingConfig(AppConfig):
    name = "ebudgeting"
    verbose_name = _("E-Budgeting")
