"""E-Procurement's part of ``manage.py load_demo`` (it runs after E-Budgeting's): on the
province's Dinas PUPR DPA 2027, announced RUP items and four tenders, one in each phase a
visitor wants to see —

- one in the explanation stage, with a question answered and one waiting for the pokja;
- one taking bids, its deadline four days ahead, so a ``make run`` user can bid as a demo
  vendor (one other vendor has bid already);
- one opened and being evaluated (one bid evaluated, one under 80% of the HPS waiting for
  its price clarification);
- one awarded, its contract signed and the advance paid;

and the demo vendors: three verified companies and one waiting in the LPSE admin's queue.

Everything is written through the services, as the demo accounts (budget officer, PPK, the
three pokja members, LPSE admin, treasurer, the vendors' owners), so the rules hold and the
audit log tells the story. The one thing no service does is let time pass: to place a
tender in a later stage, its schedule rows (and its announcement time, the start of that
timeline) are moved back by one UPDATE, which is what the clock passing would do to every
deadline check. The steps themselves are stamped with the time the demo was loaded.

Sealed bids need the sealing master key (the embedded default makes one under the var
dir); without one, the tenders that need bids are left out and a warning says so. A tender
or item that exists is left alone: a second run adds nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from ebudgeting.demo import PUPR_LINES
from ebudgeting.models import BudgetDocument, BudgetLine
from eplanning.demo import PROVINCE, YEAR
from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_email
from portal.models import Agency, FiscalYear, Region, User
from portal.services import DomainError

from . import sealing
from .choices import EvaluationMethod, PackageDocumentKind, PlanItemStatus, ProcurementKind, ProcurementMethod
from .choices import TenderStage as Stage
from .models import BusinessField, Package, PackageStage, ProcurementPlanItem, Vendor
from .services import awards, contracts, evaluation, opening, package_schedule, packages, plans, tender_site
from .services import bids as bid_services
from .services.vendors import vendor_register, vendor_verify

logger = logging.getLogger(__name__)

DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
POKJA = (demo_email(Role.POKJA), f"pokja.anggota1@{DEMO_DOMAIN}", f"pokja.anggota2@{DEMO_DOMAIN}")


# --- Vendors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoVendor:
    email: str  # the owner's log-in
    owner: str
    name: str
    kind: str
    nib: str
    npwp: str
    region: str
    address: str
    kbli: tuple[str, ...]
    verified: bool = True


VENDORS = (
    DemoVendor(
        f"penyedia1@{DEMO_DOMAIN}",
        "Marthen Ndun",
        "CV Timor Jaya Konstruksi",
        "cv",
        "9120301234561",
        "01.301.234.5-921.000",
        "53.71",
        "Jl. Timor Raya No. 112, Oesapa, Kota Kupang",
        ("42101", "42201"),
    ),
    DemoVendor(
        f"penyedia2@{DEMO_DOMAIN}",
        "Anselmus Bunga",
        "PT Flobamora Karya Utama",
        "pt",
        "9120301234562",
        "02.302.234.5-921.000",
        "53.71",
        "Jl. W. J. Lalamentik No. 7, Oebufu, Kota Kupang",
        ("42101", "42102", "42201"),
    ),
    DemoVendor(
        f"penyedia3@{DEMO_DOMAIN}",
        "Rambu Ana Amah",
        "CV Sumba Lestari Teknik",
        "cv",
        "9120301234563",
        "03.303.234.5-924.000",
        "53.01",
        "Jl. Raya Oesao No. 21, Kupang Timur, Kabupaten Kupang",
        ("42101",),
    ),
    DemoVendor(
        f"penyedia4@{DEMO_DOMAIN}",
        "Hendrikus Maure",
        "CV Alor Mandiri",
        "cv",
        "9120301234564",
        "04.304.234.5-925.000",
        "53.05",
        "Jl. Soekarno-Hatta No. 3, Kalabahi, Kabupaten Alor",
        ("42201",),
        verified=False,
    ),
)


def _described(vendor: DemoVendor) -> str:
    status = _("verified") if vendor.verified else _("waiting for verification")
    return _("Vendor %(name)s (%(status)s)") % {"name": vendor.name, "status": status}


_lazily_described = lazy(_described, str)


def vendor_accounts() -> list[tuple[str, object]]:
    """(e-mail, description) of the vendor accounts, for load_demo's account list; the
    description is translated when it is printed (this runs while the apps load)."""
    return [(vendor.email, _lazily_described(vendor)) for vendor in VENDORS]


# --- The RUP items and their tenders -------------------------------------------------------


@dataclass(frozen=True)
class DemoTender:
    phase: str  # "explanation", "bidding", "evaluation", "contract"; "" for an item without a tender
    name: str
    line: int  # index in ebudgeting.demo.PUPR_LINES
    value: str
    kind: str = ProcurementKind.WORKS
    method: str = ProcurementMethod.TENDER
    owner_estimate: str = ""
    bids: tuple[tuple[int, str], ...] = ()  # (index in VENDORS, price)


TENDERS = (
    DemoTender(
        "contract",
        "Rehabilitasi Jalan Ruas Noelbaki–Tarus Segmen I (km 0+000–2+000)",
        0,
        "3800000000",
        owner_estimate="3600000000",
        bids=((0, "3390000000"), (1, "3250000000"), (2, "3520000000")),
    ),
    DemoTender(
        "evaluation",
        "Rehabilitasi Jalan Ruas Noelbaki–Tarus Segmen II (km 2+000–4+200)",
        0,
        "4000000000",
        owner_estimate="3800000000",
        # The first is under 80% of the HPS: the pokja clarifies the price before passing it.
        bids=((0, "2950000000"), (2, "3610000000")),
    ),
    DemoTender(
        "bidding",
        "Pemeliharaan Berkala Jalan Provinsi Ruas Kupang–Baun",
        3,
        "1500000000",
        owner_estimate="1420000000",
        bids=((1, "1310000000"),),
    ),
    DemoTender(
        "explanation",
        "Pemeliharaan Rutin Drainase Jalan Provinsi Wilayah Timor",
        3,
        "1200000000",
        owner_estimate="1140000000",
    ),
    DemoTender(
        "",
        "Pengadaan Material Pemeliharaan Rutin Jalan (Aspal dan Agregat)",
        3,
        "175000000",
        kind=ProcurementKind.GOODS,
        method=ProcurementMethod.DIRECT_PROCUREMENT,
    ),
)
# Tender for FY 2027 starts in late 2026 (tender dini), the works run through 2027.
ITEM_DATES = {
    "selection_start": datetime.date(YEAR - 1, 11, 16),
    "selection_end": datetime.date(YEAR, 1, 29),
    "contract_start": datetime.date(YEAR, 2, 1),
    "contract_end": datetime.date(YEAR, 9, 30),
    "use_start": datetime.date(YEAR, 10, 1),
}
QUALIFICATION = (
    "Kualifikasi usaha kecil; SBU konstruksi subklasifikasi BS001 (jalan raya); KBLI 42101; "
    "pengalaman pekerjaan jalan dalam 4 tahun terakhir."
)


@dataclass
class _World:
    agency: Agency
    year: FiscalYear
    lines: list[BudgetLine]
    officer: User
    ppk: User
    treasurer: User
    lpse_admin: User
    pokja: list[User]
    vendors: list[Vendor]
    added: Counter
    can_seal: bool


def load_procurement_demo() -> Counter:
    """Add what is missing of E-Procurement's demo data; returns what was added."""
    world = _world()
    world.vendors = [_vendor(spec, world) for spec in VENDORS]
    for spec in TENDERS:
        item = _plan_item(spec, world)
        if spec.phase and not Package.objects.filter(agency=world.agency, name=spec.name).exists():
            if spec.bids and not world.can_seal:
                logger.warning("E-Procurement demo: no sealing master key, so the tender %r is left out.", spec.name)
                continue
            TENDER_STEPS[spec.phase](spec, item, world)
            world.added["packages"] += 1
    return world.added


def _world() -> _World:
    year = FiscalYear.objects.filter(year=YEAR).first()
    agency = Agency.objects.filter(region__code=PROVINCE, code="DPUPR").first()
    dpa = BudgetDocument.objects.filter(agency=agency, fiscal_year=year).first() if agency and year else None
    if dpa is None:
        raise DomainError(_("Load E-Budgeting's demo data (the Dinas PUPR DPA %(year)s) first.") % {"year": YEAR})
    by_description = {line.description: line for line in dpa.lines.all()}
    people = {u.email: u for u in User.objects.filter(email__in=[demo_email(r) for r in Role] + list(POKJA))}
    return _World(
        agency=agency,
        year=year,
        lines=[by_description[spec.description] for spec in PUPR_LINES],
        officer=people[demo_email(Role.BUDGET_OFFICER)],
        ppk=people[demo_email(Role.PPK)],
        treasurer=people[demo_email(Role.TREASURER)],
        lpse_admin=people[demo_email(Role.LPSE_ADMIN)],
        pokja=[people[email] for email in POKJA],
        vendors=[],
        added=Counter(),
        can_seal=_can_seal(),
    )


def _can_seal() -> bool:
    try:
        sealing.new_package_key()
    except ImproperlyConfigured:
        return False
    return True


def _vendor(spec: DemoVendor, world: _World) -> Vendor:
    owner = _vendor_owner(spec, world)
    vendor = Vendor.objects.filter(owner=owner).first()
    if vendor is not None:
        return vendor
    vendor = vendor_register(
        actor=owner,
        data={
            "name": spec.name,
            "kind": spec.kind,
            "nib": spec.nib,
            "npwp": spec.npwp,
            "address": spec.address,
            "region": Region.objects.get(code=spec.region),
            "phone": "0380 8" + spec.nib[-6:],
            "email": spec.email,
            "is_small_business": True,
        },
        business_field_codes=_known_kbli(spec.kbli),
        people=[{"name": spec.owner, "position": "Direktur"}],
        documents=[
            {
                "kind": "akta",
                "number": f"AKTA-{spec.nib[-4:]}/2019",
                "file": demo_pdf("akta.pdf", _("Deed of establishment"), [spec.name]),
            }
        ],
    )
    world.added["vendors"] += 1
    if spec.verified:
        vendor = vendor_verify(vendor_id=vendor.pk, actor=world.lpse_admin)
    return vendor


def _known_kbli(codes) -> list[str]:
    # The KBLI list is reference data a migration loads; a test database flushed by a
    # transactional test has lost it, and the demo vendors then register without fields.
    return list(BusinessField.objects.filter(code__in=codes).values_list("code", flat=True))


def _vendor_owner(spec: DemoVendor, world: _World) -> User:
    """The vendor's log-in: a public account, like one made by signing up on the site."""
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = User(email=spec.email, full_name=spec.owner, password=make_password(DEMO_PASSWORD))
        user.save(force_insert=True)
        EmailAddress.objects.create(user=user, email=spec.email, verified=True, primary=True)
        # Sign-up has no service of its own to audit it; this entry records that the demo
        # load made the account (the registration and verification audit themselves).
        audit_record(actor=None, action=AuditAction.CREATE, obj=user, changes={"demo_account": spec.email})
        world.added["users"] += 1
    return user


def _plan_item(spec: DemoTender, world: _World) -> ProcurementPlanItem:
    item = ProcurementPlanItem.objects.filter(agency=world.agency, fiscal_year=world.year, name=spec.name).first()
    if item is None:
        item = plans.plan_item_create(
            agency=world.agency,
            fiscal_year=world.year,
            data={
                "name": spec.name,
                "description": PUPR_LINES[spec.line].description,
                "kind": spec.kind,
                "method": spec.method,
                "method_justification": "",
                **ITEM_DATES,
            },
            fundings=[plans.FundingInput(line_id=world.lines[spec.line].pk, amount=spec.value)],
            actor=world.officer,
        )
        world.added["rup_items"] += 1
    if item.status == PlanItemStatus.DRAFT:
        item = plans.plan_item_announce(item=item, actor=world.ppk)
    return item


# --- Tenders ------------------------------------------------------------------------------


def _announced(spec: DemoTender, item: ProcurementPlanItem, world: _World, *, longer: dict) -> Package:
    """Drafted by the PPK, its team named, scheduled from a few minutes from now (each stage
    at its minimum, ``longer`` stages lengthened by the given time), announced by the chair."""
    package = packages.package_create(
        actor=world.ppk,
        agency=world.agency,
        plan_item_ids=[item.pk],
        name=spec.name,
        description=_("Works on the provincial road network of Timor; see the selection document."),
        evaluation_method=EvaluationMethod.KNOCKOUT,
        owner_estimate=spec.owner_estimate,
        qualification_requirements=QUALIFICATION,
    )
    packages.package_set_team(package=package, actor=world.ppk, ppk=world.ppk, pokja=world.pokja)
    start = (timezone.now() + 5 * datetime.timedelta(minutes=1)).replace(second=0, microsecond=0)
    rows = package_schedule.default_schedule(start, package.kind, package.method)
    for stage, extra in longer.items():
        rows = package_schedule.extended_rows(rows, stage, rows[stage][1] + extra)
    packages.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    packages.package_document_add(
        package=package,
        actor=world.ppk,
        kind=PackageDocumentKind.SELECTION,
        title=_("Selection document"),
        file=demo_pdf("dokumen-pemilihan.pdf", _("Selection document"), [spec.name, QUALIFICATION]),
    )
    return packages.package_announce(package=package, actor=world.pokja[0])


def clock_reaches(package: Package, stage: str, *, into: datetime.timedelta = HOUR) -> None:
    """Place the tender ``into`` past the start of ``stage``: the schedule rows and the
    announcement time move back together, as if that much time had passed."""
    start = PackageStage.objects.get(package=package, stage=stage).starts_at
    shift = start + into - timezone.now()
    PackageStage.objects.filter(package=package).update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
    Package.objects.filter(pk=package.pk).update(announced_at=F("announced_at") - shift)


def _bid(package: Package, vendor: Vendor, price: str, world: _World):
    bid = bid_services.bid_save_price(package=package, vendor=vendor, actor=vendor.owner, price=price, validity_days=90)
    for kind, title in (("technical", _("Technical proposal")), ("price", _("Price breakdown"))):
        upload = demo_pdf(f"{kind}.pdf", title, [vendor.name, package.name])
        bid_services.bid_add_document(bid=bid, actor=vendor.owner, kind=kind, uploaded_file=upload)
    bid_services.bid_submit(bid=bid, actor=vendor.owner, token=bid_services.new_submit_token())
    world.added["bids"] += 1
    bid.refresh_from_db()
    return bid


def _explanation(spec: DemoTender, item, world: _World) -> None:
    package = _announced(spec, item, world, longer={Stage.EXPLANATION: 2 * DAY})
    clock_reaches(package, Stage.EXPLANATION, into=2 * HOUR)
    first, second = world.vendors[0], world.vendors[1]
    question = tender_site.question_ask(
        package=package,
        vendor=first,
        actor=first.owner,
        text="Apakah saluran drainase pasangan batu boleh diganti beton pracetak (U-ditch)?",
    )
    tender_site.question_answer(
        question=question,
        actor=world.pokja[0],
        answer="Boleh, dengan mutu minimal K-350 sesuai spesifikasi teknis Bab 4; harga satuan tetap.",
    )
    tender_site.question_ask(
        package=package,
        vendor=second,
        actor=second.owner,
        text="Berapa lama masa pemeliharaan yang disyaratkan setelah serah terima pertama?",
    )
    world.added["questions"] += 2


def _bidding(spec: DemoTender, item, world: _World) -> None:
    package = _announced(spec, item, world, longer={Stage.BID_SUBMISSION: 3 * DAY})
    deadline = PackageStage.objects.get(package=package, stage=Stage.BID_SUBMISSION).ends_at
    clock_reaches(package, Stage.BID_SUBMISSION, into=deadline - _start(package, Stage.BID_SUBMISSION) - 4 * DAY)
    for vendor_index, price in spec.bids:
        _bid(package, world.vendors[vendor_index], price, world)


def _start(package: Package, stage: str) -> datetime.datetime:
    return PackageStage.objects.get(package=package, stage=stage).starts_at


def _opened(spec: DemoTender, item, world: _World) -> tuple[Package, list]:
    package = _announced(spec, item, world, longer={Stage.BID_SUBMISSION: 2 * DAY})
    clock_reaches(package, Stage.BID_SUBMISSION, into=DAY)
    bids = [_bid(package, world.vendors[index], price, world) for index, price in spec.bids]
    clock_reaches(package, Stage.OPENING, into=datetime.timedelta(minutes=10))
    for member in world.pokja[:2]:
        opening.opening_confirm(package=package, actor=member)
    clock_reaches(package, Stage.EVALUATION, into=3 * HOUR)
    return package, bids


PASSED = {"administrative_pass": True, "qualification_pass": True, "technical_pass": True, "price_pass": True}


def _evaluation(spec: DemoTender, item, world: _World) -> None:
    _package, bids = _opened(spec, item, world)
    evaluation.evaluation_record(bid=bids[-1], actor=world.pokja[0], **PASSED)


def _contract(spec: DemoTender, item, world: _World) -> None:
    package, bids = _opened(spec, item, world)
    chair = world.pokja[0]
    for bid in bids:
        evaluation.evaluation_record(bid=bid, actor=chair, **PASSED)
    winner = evaluation.evaluation_rank(package=package, actor=chair)[0].bid
    clock_reaches(package, Stage.QUALIFICATION_PROOF)
    evaluation.qualification_proof_record(bid=winner, actor=chair, proven=True, notes="Dokumen asli sesuai.")
    clock_reaches(package, Stage.WINNER_DECISION)
    awards.award_decide(package=package, actor=chair, bid=winner)
    clock_reaches(package, Stage.WINNER_ANNOUNCEMENT)
    awards.award_announce(package=package, actor=chair)
    clock_reaches(package, Stage.APPOINTMENT)  # the objection and appeal periods passed quietly
    awards.award_appoint(package=package, actor=world.ppk, number=f"027/SPPBJ/DPUPR/{YEAR}")
    clock_reaches(package, Stage.CONTRACT_SIGNING)
    contract = contracts.contract_create(
        package=package,
        actor=world.ppk,
        number=f"027/KTR/DPUPR/{YEAR}",
        value=winner.opened_price,
        starts_on=ITEM_DATES["contract_start"],
        ends_on=ITEM_DATES["contract_end"],
        payment_terms="Uang muka 20%; termin I 30% pada progres 50%; termin II 45% pada PHO; retensi 5% setelah FHO.",
    )
    contract = contracts.contract_sign(contract=contract, actor=world.ppk)
    contracts.contract_pay(
        contract=contract,
        actor=world.treasurer,
        number=f"0118/LS/DPUPR/{YEAR}",
        date=datetime.date(YEAR, 2, 15),
        amount=(contract.value * Decimal("0.20")).quantize(Decimal("0.01")),
        description="Uang muka 20%",
    )
    world.added["contracts"] += 1
    world.added["payments"] += 1


TENDER_STEPS = {"explanation": _explanation, "bidding": _bidding, "evaluation": _evaluation, "contract": _contract}


# --- Files --------------------------------------------------------------------------------


def demo_pdf(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    """A one-page PDF with a title and a few lines, so a downloaded demo file opens."""
    text = [f"BT /F1 16 Tf 56 780 Td ({_pdf_text(title)}) Tj /F1 10 Tf"]
    text += [f"0 -24 Td ({_pdf_text(line)}) Tj" for line in [*lines, _("Demo document: not a real record.")]]
    stream = ("\n".join(text) + "\nET").encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    xref += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, len(body))
    return SimpleUploadedFile(name, body + xref + trailer, content_type="application/pdf")


def _pdf_text(line: str) -> str:
    # Helvetica in WinAnsi (cp1252) covers Indonesian and the en dash; anything else is "?".
    plain = str(line).encode("cp1252", "replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
