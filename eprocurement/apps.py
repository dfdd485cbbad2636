from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EprocurementConfig(AppConfig):
    name = "eprocurement"
    verbose_name = _("E-Procurement")

    def ready(self):
        from portal.backends import register_role_permissions
        from portal.choices import Role
        from portal.navigation import NavItem, register_nav, register_work

        from .selectors.vendors import vendors_work

        # Vendors: the public blacklist, a vendor's own company, the LPSE admins' queue.
        register_nav(
            NavItem("eprocurement.blacklist", _("Blacklist"), "eprocurement:vendor_blacklist", public=True, order=60)
        )
        register_nav(
            NavItem("eprocurement.vendor", _("For vendors"), "eprocurement:vendor_mine", public=True, order=61)
        )
        register_nav(
            NavItem(
                "eprocurement.vendor_queue",
                _("Vendor verification"),
                "eprocurement:vendor_queue",
                roles=frozenset({Role.LPSE_ADMIN}),
                order=62,
            )
        )
        register_work(vendors_work)
        # LPSE admins read vendors, their blacklistings and the KBLI list in the admin and
        # verify or reject there through the services; nothing is edited in the admin.
        register_role_permissions(
            Role.LPSE_ADMIN,
            {
                "eprocurement.view_vendor",
                "eprocurement.view_vendorperson",
                "eprocurement.view_vendordocument",
                "eprocurement.view_blacklisting",
                "eprocurement.view_businessfield",
            },
        )
        # The procurement plan (RUP): the agencies' list for staff, the announced items for
        # everyone; Kominfo admins read items and their fundings in the admin.
        register_nav(NavItem("eprocurement.rup", _("Procurement plan"), "eprocurement:rup_list", order=58))
        register_nav(
            NavItem("eprocurement.rup_public", _("RUP"), "eprocurement:rup_public_list", public=True, order=59)
        )
        register_role_permissions(
            Role.KOMINFO_ADMIN, {"eprocurement.view_procurementplanitem", "eprocurement.view_procurementfunding"}
        )
        # The public tender site: the list for everyone; subscribers hear of each new
        # tender once; Kominfo and LPSE admins read questions and subscriptions in the admin.
        from .services.tender_site import on_package_changed
        from .signals import package_changed

        register_nav(NavItem("eprocurement.tenders", _("Tenders"), "eprocurement:tender_list", public=True, order=57))
        package_changed.connect(on_package_changed, dispatch_uid="eprocurement.tender_site.alerts")
        tender_site_views = {"eprocurement.view_question", "eprocurement.view_tendersubscription"}
        register_role_permissions(Role.KOMINFO_ADMIN, tender_site_views)
        register_role_permissions(Role.LPSE_ADMIN, tender_site_views)
        # Open data and red flags: every change of a package publishes an OCDS release;
        # auditors and LPSE admins read the red flags of the packages they reach.
        from .ocds.publish import on_package_changed as publish_release_on_change

        package_changed.connect(publish_release_on_change, dispatch_uid="eprocurement.ocds.publish")
        register_nav(
            NavItem(
                "eprocurement.redflags",
                _("Red flags"),
                "eprocurement:redflag_list",
                roles=frozenset({Role.AUDITOR, Role.LPSE_ADMIN}),
                order=66,
            )
        )
        register_role_permissions(Role.KOMINFO_ADMIN, {"eprocurement.view_ocdsrelease"})
        # Packages (paket): the staff pages for PPKs, pokja and LPSE admins, the pokja's line
        # on the home page, and read-only admin pages for Kominfo and LPSE admins.
        register_nav(
            NavItem(
                "eprocurement.packages",
                _("Packages"),
                "eprocurement:package_list",
                roles=frozenset({Role.PPK, Role.POKJA, Role.LPSE_ADMIN}),
                order=63,
            )
        )
        package_view_permissions = {
            "eprocurement.view_package",
            "eprocurement.view_packageplanitem",
            "eprocurement.view_pokjamember",
            "eprocurement.view_packagestage",
            "eprocurement.view_packagedocument",
            "eprocurement.view_schedulechange",
        }
        register_role_permissions(Role.KOMINFO_ADMIN, package_view_permissions)
        register_role_permissions(Role.LPSE_ADMIN, package_view_permissions)
        # Evaluation, award, objections and contracts (eprocurement/admin/awards.py): Kominfo
        # admins read them in the admin within their reach; changes go through the services.
        register_role_permissions(
            Role.KOMINFO_ADMIN,
            {
                "eprocurement.view_bidevaluation",
                "eprocurement.view_award",
                "eprocurement.view_objection",
                "eprocurement.view_contract",
                "eprocurement.view_contractpayment",
            },
        )
        from .selectors.awards import awards_work

        register_work(awards_work)
        # Sealed bids and opening: "my bids" for vendors (any logged-in account), the
        # sealing key check for `check --deploy`, and read-only bids in the admin.
        from . import checks  # noqa: F401  (registers the check)
        from .selectors.bids import openings_work

        register_work(openings_work)

        register_nav(NavItem("eprocurement.bids", _("My bids"), "eprocurement:bid_mine", order=63))
        bid_admin_permissions = {
            "eprocurement.view_bid",
            "eprocurement.view_biddocument",
            "eprocurement.view_bidreceipt",
            "eprocurement.view_openingrecord",
            "eprocurement.view_openingconfirmation",
        }
        register_role_permissions(Role.KOMINFO_ADMIN, bid_admin_permissions)
        register_role_permissions(Role.LPSE_ADMIN, bid_admin_permissions)
        # Demo data for `manage.py load_demo` (after E-Budgeting's DPA): vendors, RUP items
        # and a tender in each phase; the vendor accounts are listed with the staff ones.
        from portal.demo_data import register_demo_account, register_demo_loader

        from .demo import load_procurement_demo, vendor_accounts

        register_demo_loader(load_procurement_demo, label=_("E-Procurement"))
        for email, description in vendor_accounts():
            register_demo_account(email, description=description)
        # The public Musrenbang page: what became of each accepted proposal's plan item.
        from eplanning.outcomes import register_outcome_provider

        from .outcomes import procurement_outcomes

        register_outcome_provider(procurement_outcomes)
