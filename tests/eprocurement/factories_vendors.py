"""Factories and helpers for vendor tests."""

import datetime as dt

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eprocurement.models import Blacklisting, BusinessField, Vendor, VendorDocument, VendorPerson
from tests.factories import RegionFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf_upload(name="akta.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"CV Flobamora Jaya {n}")
    kind = "cv"
    nib = factory.Sequence(lambda n: f"{9120000000000 + n:013d}")
    npwp = factory.Sequence(lambda n: f"{10000000000000 + n:015d}")
    address = "Jl. El Tari No. 1, Kupang"
    phone = "0380 123456"
    email = factory.Sequence(lambda n: f"penyedia{n}@example.co.id")
    status = "pending"


class VendorPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorPerson

    vendor = factory.SubFactory(VendorFactory)
    name = "Yohanes Bria"
    position = "Direktur"


class VendorDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VendorDocument

    vendor = factory.SubFactory(VendorFactory)
    kind = "akta"
    number = factory.Sequence(lambda n: f"AKTA-{n}")
    file = factory.LazyFunction(lambda: pdf_upload())
    sha256 = "0" * 64


class BlacklistingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Blacklisting

    vendor = factory.SubFactory(VendorFactory)
    region = factory.SubFactory(RegionFactory)
    decree_number = factory.Sequence(lambda n: f"SK-{n}/UKPBJ/2026")
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 12, 31)
    reason = "Dokumen palsu"
    decided_by = factory.SubFactory(UserFactory)


def kbli_codes(n=2):
    if not BusinessField.objects.exists():  # a transactional test of this run flushed the shipped list
        from importlib import import_module

        from django.apps import apps

        import_module("eprocurement.migrations.0002_load_kbli").load_shipped_kbli(apps)
    return list(BusinessField.objects.order_by("code").values_list("code", flat=True)[:n])


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
