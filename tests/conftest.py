import pytest

from tests.factories import AgencyFactory, MembershipFactory, RegionFactory, UserFactory


@pytest.fixture
def province(db):
    return RegionFactory(code="53", name="Provinsi Nusa Tenggara Timur", kind="province", parent=None)


@pytest.fixture
def kab_kupang(province):
    return RegionFactory(code="53.01", name="Kabupaten Kupang", kind="regency", parent=province)


@pytest.fixture
def kota_kupang(province):
    return RegionFactory(code="53.71", name="Kota Kupang", kind="city", parent=province)


@pytest.fixture
def make_member(db):
    """A person holding ``role`` in ``agency`` (with the role's default reach)."""

    def make(agency, role="planner", scope=None, **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, agency=agency, role=role, scope=scope)
        return user

    return make


@pytest.fixture
def kab_kupang_kominfo(kab_kupang):
    return AgencyFactory(region=kab_kupang, code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")


@pytest.fixture
def kota_kupang_kominfo(kota_kupang):
    return AgencyFactory(region=kota_kupang, code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")
