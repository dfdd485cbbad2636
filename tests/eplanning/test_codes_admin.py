"""The nomenclature and account codes in the admin: read-only lists, and the import
upload for superusers and Kominfo admins only."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from ebudgeting.models import AccountCode
from eplanning.models import Nomenclature
from portal.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_SUB = "sub_kegiatan,2.16.02.2.01.9001,Sub kegiatan baru,2.16.02.2.01,KABKOT,,,"
HEADER = "level,code,name,parent_code,pemda,name_prov_if_different,previous_code,previous_name"


def upload(lines):
    return SimpleUploadedFile("nomenklatur.csv", "\n".join([HEADER, *lines]).encode(), content_type="text/csv")


@pytest.fixture
def kominfo_admin(client, make_admin, kab_kupang_kominfo):
    admin = make_admin(kab_kupang_kominfo)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # errors asserted in English; the site speaks Bahasa first
    return admin


@pytest.mark.parametrize(
    "url",
    [
        "/admin/eplanning/nomenclature/",
        "/admin/eplanning/nomenclature/?level__exact=program&is_active__exact=1&q=informasi",
        "/admin/ebudgeting/accountcode/?level__exact=jenis",
        "/admin/ebudgeting/fundingsource/",
    ],
)
def test_lists_render_for_a_kominfo_admin(client, kominfo_admin, url):
    response = client.get(url)
    assert response.status_code == 200


def test_a_code_opens_read_only_with_the_import_button_on_the_list(client, kominfo_admin):
    node = Nomenclature.objects.get(code="2.16.02.2.01.0026")

    changelist = client.get("/admin/eplanning/nomenclature/")
    page = client.get(f"/admin/eplanning/nomenclature/{node.pk}/change/")

    assert b'data-test="import"' in changelist.content
    assert page.status_code == 200 and b'name="name"' not in page.content


def test_a_kominfo_admin_imports_a_list(client, kominfo_admin):
    # Given a list with one new sub-activity whose parents are already stored
    # When Kab. Kupang's Kominfo admin uploads it
    response = client.post(
        "/admin/eplanning/nomenclature/import/", {"file": upload([NEW_SUB]), "edition": "Uji"}, follow=True
    )

    # Then it is added and the import is audited under their name
    assert response.status_code == 200
    assert Nomenclature.objects.filter(code="2.16.02.2.01.9001", edition="Uji").exists()
    assert AuditEntry.objects.get(object_type="eplanning.nomenclature").actor == kominfo_admin


def test_bad_rows_are_listed_and_nothing_is_saved(client, kominfo_admin):
    before = Nomenclature.objects.filter(is_active=True).count()
    bad = NEW_SUB.replace("Sub kegiatan baru", "")

    response = client.post("/admin/eplanning/nomenclature/import/", {"file": upload([bad])})

    assert response.status_code == 400
    assert "Row 2: the name is empty" in response.content.decode()
    assert Nomenclature.objects.filter(is_active=True).count() == before


def test_account_codes_import_through_the_admin(client, kominfo_admin):
    file = SimpleUploadedFile(
        "rekening.csv",
        b"level,code,name,parent_code,description\nsub_rincian_objek,5.1.02.01.01.9001,Belanja Uji,5.1.02.01.01,\n",
    )

    response = client.post("/admin/ebudgeting/accountcode/import/", {"file": file}, follow=True)

    assert response.status_code == 200
    assert AccountCode.objects.filter(code="5.1.02.01.01.9001").exists()


def test_staff_without_the_kominfo_role_cannot_import(client):
    # Given a staff account with no Kominfo admin role
    staff = UserFactory(is_staff=True)
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)

    # When they open or post the upload
    # Then they are refused and nothing is imported
    assert client.get("/admin/eplanning/nomenclature/import/").status_code == 403
    assert client.post("/admin/eplanning/nomenclature/import/", {"file": upload([NEW_SUB])}).status_code == 403
    assert not Nomenclature.objects.filter(code="2.16.02.2.01.9001").exists()


def test_a_planner_is_sent_to_the_log_in(client, make_member, kab_kupang_kominfo):
    client.force_login(make_member(kab_kupang_kominfo, "planner"))

    response = client.post("/admin/eplanning/nomenclature/import/", {"file": upload([NEW_SUB])})

    assert response.status_code == 302
    assert not Nomenclature.objects.filter(code="2.16.02.2.01.9001").exists()


def test_a_superuser_may_import(client):
    root = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(root, generate_totp_secret())
    client.force_login(root)

    response = client.post("/admin/eplanning/nomenclature/import/", {"file": upload([NEW_SUB])}, follow=True)

    assert response.status_code == 200
    assert Nomenclature.objects.filter(code="2.16.02.2.01.9001").exists()
