"""Django model permissions that follow a person's portal roles.

The admin asks ``user.has_perm("portal.change_agency")`` before it shows a page. Instead
of Django groups kept in step with memberships by hand, those permissions come from the
roles a person holds, so granting or revoking a role is the only thing to do. Which rows
a permission reaches is decided by the admin's scoping (``portal.admin.ScopedAdminMixin``),
never here.

Apps that give Kominfo admins their reference data (codes, templates) add permissions in
their ``AppConfig.ready()`` with :func:`register_role_permissions`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.backends import BaseBackend

from .choices import Role
from .scoping import reach_of

_role_permissions: dict[str, set[str]] = {
    Role.KOMINFO_ADMIN: {
        # Regions are reference data from Kemendagri: only superusers change them.
        "portal.view_region",
        "portal.view_agency",
        "portal.add_agency",
        "portal.change_agency",
        "portal.view_user",
        "portal.add_user",
        "portal.change_user",
        "portal.view_membership",
        "portal.add_membership",
        "portal.change_membership",
        "portal.view_fiscalyear",
        # The audit log and the outbox are evidence: nobody edits them in the admin.
        "portal.view_auditentry",
        "portal.view_notification",
    },
}


def register_role_permissions(role: str, permissions: Iterable[str]) -> None:
    """Give holders of ``role`` these ``app_label.codename`` permissions."""
    _role_permissions.setdefault(role, set()).update(permissions)


def role_permissions(roles: Iterable[str]) -> frozenset[str]:
    return frozenset(perm for role in roles for perm in _role_permissions.get(role, ()))


class RolePermissionBackend(BaseBackend):
    """Grants model permissions by role; it authenticates nobody."""

    def get_all_permissions(self, user_obj, obj=None):
        # Object permissions are the scoping's business, as in Django's ModelBackend.
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        return set(role_permissions(reach_of(user_obj).roles))

    def has_module_perms(self, user_obj, app_label):
        prefix = f"{app_label}."
        return any(perm.startswith(prefix) for perm in self.get_all_permissions(user_obj))
