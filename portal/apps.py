from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from . import signals  # noqa: F401
        from .navigation import NavItem, register_nav

        register_nav(NavItem("home", _("Home"), "portal:home", order=0))
        register_nav(NavItem("agencies", _("Agencies"), "portal:agencies", order=90))
        register_nav(NavItem("api", _("API"), "api-docs", order=200))
        register_nav(NavItem("admin", _("Administration"), "admin:index", staff_only=True, order=210))
