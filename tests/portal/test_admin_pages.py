"""Every portal admin page renders, for a superuser and for a Kominfo admin."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from portal.models import AuditEntry, FiscalYear
from portal.services import membership_grant
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

# model -> may a Kominfo admin add one?
MODELS = {
    "region": False,
    "agency": True,
    "user": True,
    "membership": True,
    "fiscalyear": False,
    "auditentry": False,
    "notification": False,
}


@pytest.fixture
def records(make_admin, kab_kupang_kominfo):
    """One record of each model, all within Kab. Kupang's Kominfo admin's reach."""
    admin = make_admin(kab_kupang_kominfo)
    planner = UserFactory()
    membership = membership_grant(user=planner, agency=kab_kupang_kominfo, role="planner", actor=admin)
    return admin, {
        "region": kab_kupang_kominfo.region,
        "agency": kab_kupang_kominfo,
        "user": planner,
        "membership": membership,
        "fiscalyear": FiscalYear.objects.create(year=2027),
        "auditentry": AuditEntry.objects.get(action="grant", object_id=str(membership.pk)),
        "notification": NotificationFactory(recipient=planner),
    }


@pytest.mark.parametrize("model", MODELS)
def test_pages_render_for_a_superuser(client, records, model):
    # Given a superuser
    root = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(root, generate_totp_secret())
    client.force_login(root)
    obj = records[1][model]

    # When they open the list and the record's page
    # Then both render
    assert client.get(reverse(f"admin:portal_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:portal_{model}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_pages_render_for_a_kominfo_admin(client, records, model):
    # Given Kab. Kupang's Kominfo admin
    admin, objects = records
    client.force_login(admin)

    # When they open the list, the record's page and the add page
    listed = client.get(reverse(f"admin:portal_{model}_changelist"))
    page = client.get(reverse(f"admin:portal_{model}_change", args=[objects[model].pk]))
    add = client.get(reverse(f"admin:portal_{model}_add"))

    # Then the list shows the record, its page renders, and adding is offered where allowed
    assert listed.status_code == 200 and objects[model] in listed.context["cl"].result_list
    assert page.status_code == 200
    assert add.status_code == (200 if MODELS[model] else 403)


def test_kominfo_admin_index_lists_the_portal_only(client, records):
    # Given Kab. Kupang's Kominfo admin
    client.force_login(records[0])

    # When they open the admin's index
    apps = client.get(reverse("admin:index")).context["app_list"]

    # Then they see the portal's models, and not tokens, groups, schedules or e-mail records
    labels = {app["app_label"]: app for app in apps}
    assert {m["object_name"].lower() for m in labels["portal"]["models"]} == set(MODELS)
    assert not labels.keys() & {"auth", "authtoken", "django_celery_beat", "account", "mfa", "usersessions"}
