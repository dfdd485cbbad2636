"""method_problem at each threshold and one rupiah beside it; the small-business reservation."""

from decimal import Decimal

import pytest
from django.test import override_settings

from eprocurement.choices import ProcurementKind as K
from eprocurement.choices import ProcurementMethod as M
from eprocurement.services.plans import _small_business, method_problem
from portal.services import DomainError

ONE = Decimal("1")
LIMITS = {K.GOODS: 200_000_000, K.OTHER_SERVICES: 200_000_000, K.WORKS: 400_000_000, K.CONSULTANCY: 100_000_000}
COMPETITIVE = {K.GOODS: M.TENDER, K.OTHER_SERVICES: M.QUICK_TENDER, K.WORKS: M.TENDER, K.CONSULTANCY: M.SELECTION}


@pytest.mark.parametrize("kind", list(LIMITS))
def test_direct_procurement_up_to_the_limit_of_its_kind(kind):
    # given the limit of the kind
    limit = Decimal(LIMITS[kind])
    # then direct procurement fits at the limit and not one rupiah above it
    assert method_problem(kind, M.DIRECT_PROCUREMENT, limit) is None
    assert "Direct procurement" in method_problem(kind, M.DIRECT_PROCUREMENT, limit + ONE)


@pytest.mark.parametrize("kind", list(LIMITS))
def test_competitive_method_only_above_the_limit(kind):
    limit, method = Decimal(LIMITS[kind]), COMPETITIVE[kind]
    # then tender (or seleksi for consultancy) fits one rupiah above the limit, not at it
    assert method_problem(kind, method, limit + ONE) is None
    assert "within the direct procurement limit" in method_problem(kind, method, limit)


@pytest.mark.parametrize("kind", [K.GOODS, K.WORKS, K.OTHER_SERVICES])
def test_selection_is_for_consultancy_only(kind):
    assert "consultancy" in method_problem(kind, M.SELECTION, Decimal("10000000000"))


@pytest.mark.parametrize("method", [M.TENDER, M.QUICK_TENDER])
def test_consultancy_is_not_tendered(method):
    assert "selection" in method_problem(K.CONSULTANCY, method, Decimal("10000000000"))


@pytest.mark.parametrize("method", [M.DIRECT_APPOINTMENT, M.E_PURCHASING])
@pytest.mark.parametrize("kind", list(LIMITS))
def test_direct_appointment_and_e_purchasing_at_any_value(kind, method):
    for value in (ONE, Decimal(LIMITS[kind]), Decimal(LIMITS[kind]) + ONE, Decimal("99000000000")):
        assert method_problem(kind, method, value) is None


@override_settings(PROCUREMENT_DIRECT_LIMITS={**LIMITS, K.WORKS: 500_000_000})
def test_the_limits_come_from_configuration():
    # given works raised to Rp500 juta in the settings
    # then direct procurement of Rp450 juta of works fits, and a tender of it does not
    assert method_problem(K.WORKS, M.DIRECT_PROCUREMENT, Decimal("450000000")) is None
    assert method_problem(K.WORKS, M.TENDER, Decimal("450000000")) is not None


def test_unknown_kind_or_method_is_a_problem():
    assert method_problem("ships", M.TENDER, ONE) is not None
    assert method_problem(K.GOODS, "auction", ONE) is not None


def test_small_business_reserved_at_the_limit_and_not_above():
    limit = Decimal(15_000_000_000)
    assert _small_business(limit, None) is True
    assert _small_business(limit + ONE, None) is False
    # above the limit the agency may still reserve it
    assert _small_business(limit + ONE, True) is True


def test_small_business_reservation_cannot_be_turned_off_up_to_the_limit():
    with pytest.raises(DomainError, match="reserved for small businesses"):
        _small_business(Decimal(15_000_000_000), False)
