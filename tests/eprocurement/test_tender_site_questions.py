"""Questions and answers of the explanation stage (pemberian penjelasan): who may ask,
when, who answers, who is told, and what the public sees."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from eprocurement.models import Question
from eprocurement.services.tender_site import MAX_QUESTIONS_PER_VENDOR, question_answer, question_ask
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.eprocurement.factories_packages import tender_world
from tests.eprocurement.factories_vendors import BlacklistingFactory, VendorFactory


@pytest.fixture
def world(kab_kupang):
    return tender_world(kab_kupang, phase="explanation")


def ask(world, vendor=None, text="Apakah SBU BG004 wajib?"):
    vendor = vendor or world.vendors[0]
    return question_ask(package=world.package, vendor=vendor, actor=vendor.owner, text=text)


def test_a_verified_vendor_asks_and_the_pokja_is_told(world):
    question = ask(world)
    assert question.text == "Apakah SBU BG004 wajib?" and question.answered_at is None
    told = set(Notification.objects.filter(kind="eprocurement.question").values_list("recipient_id", flat=True))
    assert told == {user.pk for user in world.pokja}
    assert AuditEntry.objects.filter(object_type="eprocurement.question", object_id=str(question.pk)).exists()


def test_no_question_after_the_explanation_stage(kab_kupang):
    world = tender_world(kab_kupang, phase="bidding")  # explanation ended days ago
    with pytest.raises(DomainError, match="explanation stage is open"):
        ask(world)
    assert not Question.objects.exists()


def test_no_question_before_the_explanation_stage(world):
    world.package.stages.filter(stage="explanation").update(
        starts_at=timezone.now() + datetime.timedelta(hours=1), ends_at=timezone.now() + datetime.timedelta(days=1)
    )
    with pytest.raises(DomainError, match="explanation stage is open"):
        ask(world)


def test_an_unverified_vendor_cannot_ask(world):
    pending = VendorFactory(status="pending")
    with pytest.raises(DomainError, match="not verified"):
        ask(world, pending)
    assert not Question.objects.exists()


def test_a_blacklisted_vendor_cannot_ask(world):
    vendor = world.vendors[1]
    today = timezone.localdate()
    BlacklistingFactory(
        vendor=vendor, starts_on=today - datetime.timedelta(days=1), ends_on=today + datetime.timedelta(days=30)
    )
    with pytest.raises(DomainError, match="blacklisted"):
        ask(world, vendor)
    assert not Question.objects.exists()


def test_one_cannot_ask_in_another_companys_name(world):
    with pytest.raises(PermissionDenied):
        question_ask(package=world.package, vendor=world.vendors[0], actor=world.vendors[1].owner, text="Halo?")


@pytest.mark.parametrize("text", ["", "   ", "x" * 4001])
def test_empty_or_too_long_questions_are_refused(world, text):
    with pytest.raises(DomainError):
        ask(world, text=text)
    assert not Question.objects.exists()


def test_a_vendor_asks_a_limited_number_of_questions_per_tender(world):
    for n in range(MAX_QUESTIONS_PER_VENDOR):
        ask(world, text=f"Pertanyaan {n}")
    with pytest.raises(DomainError, match="at most"):
        ask(world, text="Satu lagi")
    ask(world, world.vendors[1], text="Yang lain masih boleh")


def test_a_pokja_member_answers_publicly_and_the_asker_is_told(world, django_capture_on_commit_callbacks):
    from eprocurement.signals import package_changed

    question = ask(world)
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    package_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            question_answer(question=question, actor=world.pokja[1], answer="Ya, SBU BG004 wajib.")
    finally:
        package_changed.disconnect(receiver)
    question.refresh_from_db()
    assert question.answer == "Ya, SBU BG004 wajib." and question.answered_by == world.pokja[1]
    assert Notification.objects.filter(kind="eprocurement.answer", recipient=world.vendors[0].owner).exists()
    assert [(s["package_id"], s["tag"]) for s in sent] == [(world.package.pk, "tenderUpdate")]


def test_only_the_packages_pokja_answers(world, kota_kupang):
    question = ask(world)
    other_pokja = tender_world(kota_kupang, phase="explanation").pokja[0]
    for outsider in (world.ppk, other_pokja, world.vendors[0].owner):
        with pytest.raises(PermissionDenied):
            question_answer(question=question, actor=outsider, answer="Bukan urusan saya")
    question.refresh_from_db()
    assert question.answered_at is None


def test_an_answer_is_given_once(world):
    question = ask(world)
    question_answer(question=question, actor=world.pokja[0], answer="Jawaban pertama")
    with pytest.raises(DomainError, match="already been answered"):
        question_answer(question=question, actor=world.pokja[1], answer="Jawaban kedua")
    question.refresh_from_db()
    assert question.answer == "Jawaban pertama"


# --- Through the pages ----------------------------------------------------------------------------


def test_the_ask_form_is_on_the_page_for_a_verified_vendor_only(client, world):
    page = reverse("eprocurement:tender_detail", args=[world.package.pk])
    assert 'data-test="ask-form"' not in client.get(page).content.decode()
    client.force_login(VendorFactory(status="pending").owner)
    assert 'data-test="ask-form"' not in client.get(page).content.decode()
    client.force_login(world.vendors[0].owner)
    assert 'data-test="ask-form"' in client.get(page).content.decode()


def test_ask_and_answer_through_the_pages(client, world, activate_totp):
    vendor = world.vendors[0]
    client.force_login(vendor.owner)
    response = client.post(
        reverse("eprocurement:tender_ask", args=[world.package.pk]), {"vendor": vendor.pk, "text": "Kapan aanwijzing?"}
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.vendor == vendor

    activate_totp(world.pokja[2])  # a pokja member works with a second factor
    client.force_login(world.pokja[2])
    questions_page = reverse("eprocurement:tender_questions", args=[world.package.pk])
    assert vendor.name in client.get(questions_page).content.decode()  # the pokja sees who asked
    client.post(reverse("eprocurement:tender_answer", args=[question.pk]), {"answer": "Rabu pukul 09.00 WITA."})
    question.refresh_from_db()
    assert question.answer == "Rabu pukul 09.00 WITA."

    client.logout()
    body = client.get(reverse("eprocurement:tender_detail", args=[world.package.pk])).content.decode()
    assert "Rabu pukul 09.00 WITA." in body and vendor.name not in body


def test_the_pokja_page_and_answer_are_not_found_for_others(client, world):
    question = ask(world)
    client.force_login(world.vendors[0].owner)
    assert client.get(reverse("eprocurement:tender_questions", args=[world.package.pk])).status_code == 404
    response = client.post(reverse("eprocurement:tender_answer", args=[question.pk]), {"answer": "Saya jawab sendiri"})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.answered_at is None


def test_asking_in_a_closed_stage_through_the_page_changes_nothing(client, kab_kupang):
    world = tender_world(kab_kupang, phase="bidding")
    vendor = world.vendors[0]
    client.force_login(vendor.owner)
    response = client.post(
        reverse("eprocurement:tender_ask", args=[world.package.pk]), {"vendor": vendor.pk, "text": "Terlambat?"}
    )
    assert response.status_code == 302 and not Question.objects.exists()
