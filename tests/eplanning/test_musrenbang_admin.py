"""Musrenbang in the admin: read-mostly, and scoped to the Kominfo admin's region."""

import pytest
from django.urls import reverse

from eplanning.choices import ProposalStage
from eplanning.models import ProposalReview
from portal.models import AuditEntry
from tests.eplanning.factories_musrenbang import ProposalFactory, musrenbang_world

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:eplanning_communityproposal_changelist")


def _change_url(proposal):
    return reverse("admin:eplanning_communityproposal_change", args=[proposal.pk])


@pytest.fixture
def kab(kab_kupang):
    return musrenbang_world(kab_kupang)


@pytest.fixture
def kota(kota_kupang):
    return musrenbang_world(kota_kupang)


@pytest.fixture
def kab_admin(client, make_admin, kab):
    user = make_admin(kab.bappeda)
    client.force_login(user)
    return user


def test_a_kominfo_admin_lists_their_regions_proposals_only(client, kab, kota, kab_admin):
    own = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    ProposalFactory(region=kota.region, fiscal_year=kota.year)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own]


def test_another_regions_proposal_answers_as_missing(client, kota, kab_admin):
    proposal = ProposalFactory(region=kota.region, fiscal_year=kota.year)
    response = client.get(_change_url(proposal))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_kominfo_admin_reads_but_cannot_change_or_add(client, kab, kab_admin):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year, title="Asli")
    ProposalReview.objects.create(proposal=proposal, stage="village", decision="forwarded", reviewer=kab.verifier)

    page = client.get(_change_url(proposal))
    assert page.status_code == 200 and "Asli" in page.content.decode()
    client.post(_change_url(proposal), {"title": "Diubah"})
    proposal.refresh_from_db()
    assert proposal.title == "Asli"
    assert client.get(reverse("admin:eplanning_communityproposal_add")).status_code == 403


@pytest.fixture
def superuser(client, django_user_model, activate_totp):
    user = django_user_model.objects.create_superuser("root@example.go.id", "x")
    activate_totp(user)
    client.force_login(user)
    return user


def test_status_and_round_are_never_form_fields(client, kab, superuser):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    form = client.get(_change_url(proposal)).context["adminform"].form
    assert {"status", "stage", "score", "plan_item", "rejection_reason"}.isdisjoint(form.fields)
    assert "title" in form.fields


def test_a_superuser_correction_goes_through_the_service(client, kab, superuser):
    # Given a proposal in the village round, with every field as the form posts it
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year)
    form = client.get(_change_url(proposal)).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(title="Diubah", **_empty_inline())

    # When the superuser corrects the title
    response = client.post(_change_url(proposal), data)

    # Then it is saved, with the service's audit entry
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.title == "Diubah"
    assert AuditEntry.objects.get(object_id=str(proposal.pk)).changes["title"][1] == "Diubah"


def test_past_the_village_round_the_admin_changes_nothing(client, kab, superuser):
    proposal = ProposalFactory(region=kab.region, fiscal_year=kab.year, stage=ProposalStage.DISTRICT)
    response = client.post(_change_url(proposal), {"title": "Diubah", **_empty_inline()})
    proposal.refresh_from_db()
    assert proposal.title != "Diubah" and response.status_code == 403


def _empty_inline():
    prefix = "reviews"
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
