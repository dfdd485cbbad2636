"""Evidence files: types checked by content, the size limit, EXIF date and place, SHA-256,
and downloads only for those who may see the report."""

import datetime
import hashlib
from decimal import Decimal as D

import pytest
from PIL import Image

from emonev.choices import ReportStatus
from emonev.models import ProgressEvidence
from emonev.services.evidence import evidence_add, evidence_remove
from emonev.services.reports import progress_report_create
from portal.services import DomainError
from tests.emonev.factories import PDF_BYTES, jpeg_bytes, monev_world, png_bytes, report_row, upload


@pytest.fixture
def world(kab_kupang, today):
    return monev_world(kab_kupang)


@pytest.fixture
def report(world):
    return progress_report_create(
        contract=world.contract, year=2026, month=5, data={"physical_pct": "40"}, actor=world.officer
    )


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x8769] = {36867: "2026:05:20 09:30:00"}
    # Kupang: 10°10'12" S, 123°36'36" E.
    exif[0x8825] = {1: "S", 2: (10.0, 10.0, 12.0), 3: "E", 4: (123.0, 36.0, 36.0)}
    return exif


def test_a_jpeg_keeps_its_hash_and_the_date_and_place_it_was_taken(world, report):
    content = jpeg_bytes(exif=gps_exif())
    evidence = evidence_add(report=report, upload=upload("lokasi.jpg", content), actor=world.officer, caption="Pondasi")
    assert evidence.kind == "photo" and evidence.content_type == "image/jpeg"
    assert evidence.sha256 == hashlib.sha256(content).hexdigest() and evidence.size == len(content)
    assert evidence.taken_at == datetime.datetime(2026, 5, 20, 1, 30, tzinfo=datetime.UTC)  # 09:30 WITA
    assert evidence.latitude == D("-10.170000") and evidence.longitude == D("123.610000")


def test_a_jpeg_without_exif_is_taken_without_date_or_place(world, report):
    evidence = evidence_add(report=report, upload=upload(), actor=world.officer)
    assert evidence.taken_at is None and evidence.latitude is None


def test_png_and_pdf_are_taken(world, report):
    assert (
        evidence_add(report=report, upload=upload("a.png", png_bytes(), "image/png"), actor=world.officer).kind
        == "photo"
    )
    pdf = evidence_add(report=report, upload=upload("ba.pdf", PDF_BYTES, "application/pdf"), actor=world.officer)
    assert pdf.kind == "document" and pdf.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.jpg", b"MZ\x90\x00 this is a program", "is not a JPEG or PNG photo or a PDF document"),
        ("laporan.pdf", b"<html>not a pdf</html>", "is not a JPEG or PNG photo or a PDF document"),
        ("rusak.jpg", b"\xff\xd8\xff\xe0 garbage after a JPEG signature", "damaged or not a real image"),
        ("kosong.jpg", b"", "is empty"),
    ],
)
def test_bad_files_are_refused_by_their_content_with_a_clear_message(world, report, name, content, message):
    with pytest.raises(DomainError, match=message):
        evidence_add(report=report, upload=upload(name, content), actor=world.officer)
    assert not ProgressEvidence.objects.exists()


def test_a_renamed_pdf_is_stored_as_what_it_is(world, report):
    evidence = evidence_add(report=report, upload=upload("foto.jpg", PDF_BYTES, "image/jpeg"), actor=world.officer)
    assert evidence.content_type == "application/pdf" and evidence.kind == "document"


def test_files_over_the_limit_are_refused(world, report, settings):
    settings.MONEV_EVIDENCE_MAX_BYTES = 1024 * 1024
    content = PDF_BYTES + b"0" * (1024 * 1024)
    with pytest.raises(DomainError, match="larger than the limit of 1 MB"):
        evidence_add(report=report, upload=upload("besar.pdf", content, "application/pdf"), actor=world.officer)
    assert not ProgressEvidence.objects.exists()


def test_evidence_is_removed_from_a_draft_only(world, report):
    evidence = evidence_add(report=report, upload=upload(), actor=world.officer)
    evidence_remove(evidence=evidence, actor=world.officer)
    assert not ProgressEvidence.objects.exists()
    accepted = report_row(world, month=4, status=ReportStatus.ACCEPTED)
    kept = accepted.evidence.get()
    with pytest.raises(DomainError, match="cannot be removed"):
        evidence_remove(evidence=kept, actor=world.officer)


def test_download_only_for_those_who_see_the_report(client, world, report, kota_kupang):
    evidence = evidence_add(report=report, upload=upload("lokasi.jpg", jpeg_bytes()), actor=world.officer)
    client.force_login(world.verifier)
    response = client.get(f"/monev/bukti/{evidence.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == evidence.sha256
    outsider = monev_world(kota_kupang)
    client.force_login(outsider.officer)
    assert client.get(f"/monev/bukti/{evidence.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/monev/bukti/{evidence.pk}/").status_code == 302
