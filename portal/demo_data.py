"""The NTT demo data behind ``manage.py load_demo``: the province and its 22 regencies
and cities, ten typical agencies in each, the open fiscal years, and one demo account
per role (plus two regency planners, so the difference in reach can be shown).

Loading is idempotent: rows that exist are left as they are (no renames, no password
resets), so running it again changes nothing and writes no audit entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from .audit import audit_record
from .choices import AuditAction, RegionKind, Role, Scope
from .demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email
from .models import Agency, FiscalYear, Membership, Region, User
from .services import membership_grant

PROVINCE_CODE = "53"
PROVINCE_NAME = "Provinsi Nusa Tenggara Timur"
# Kemendagri codes and names (DESIGN.md "Region codes"); 53.71 is the only city.
REGENCIES = (
    ("53.01", "Kupang"),
    ("53.02", "Timor Tengah Selatan"),
    ("53.03", "Timor Tengah Utara"),
    ("53.04", "Belu"),
    ("53.05", "Alor"),
    ("53.06", "Flores Timur"),
    ("53.07", "Sikka"),
    ("53.08", "Ende"),
    ("53.09", "Ngada"),
    ("53.10", "Manggarai"),
    ("53.11", "Sumba Timur"),
    ("53.12", "Sumba Barat"),
    ("53.13", "Lembata"),
    ("53.14", "Rote Ndao"),
    ("53.15", "Manggarai Barat"),
    ("53.16", "Nagekeo"),
    ("53.17", "Sumba Tengah"),
    ("53.18", "Sumba Barat Daya"),
    ("53.19", "Manggarai Timur"),
    ("53.20", "Sabu Raijua"),
    ("53.21", "Malaka"),
)
CITIES = (("53.71", "Kupang"),)
FISCAL_YEARS = (2026, 2027)


@dataclass(frozen=True)
class AgencySpec:
    code: str  # an internal unit code (also the letter-number unit code), not an official one
    name: str
    short_name: str
    province_name: str = ""  # where the province's unit has another name (a Biro, not a Bagian)

    def name_in(self, region: Region) -> str:
        return self.province_name if self.province_name and region.kind == RegionKind.PROVINCE else self.name


AGENCIES = (
    AgencySpec("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    AgencySpec("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD"),
    AgencySpec("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    AgencySpec("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR"),
    AgencySpec("DINKES", "Dinas Kesehatan", "Dinkes"),
    AgencySpec("DISDIK", "Dinas Pendidikan", "Disdik"),
    AgencySpec("INSPEKTORAT", "Inspektorat Daerah", "Inspektorat"),
    AgencySpec(
        "UKPBJ",
        "Bagian Pengadaan Barang dan Jasa",
        "UKPBJ",
        province_name="Biro Pengadaan Barang dan Jasa",
    ),
    AgencySpec("PROKOPIM", "Bagian Protokol dan Komunikasi Pimpinan", "Prokopim"),
    AgencySpec("DISPUSIP", "Dinas Perpustakaan dan Kearsipan", "Dispusip"),
)

# Where each role's demo account works in the province.
ROLE_AGENCY = {
    Role.PLANNER: "DPUPR",
    Role.BUDGET_OFFICER: "DPUPR",
    Role.TREASURER: "DPUPR",
    Role.PPK: "DPUPR",
    Role.MONEV_OFFICER: "DPUPR",
    Role.PLAN_VERIFIER: "BAPPEDA",
    Role.MONEV_VERIFIER: "BAPPEDA",
    Role.BUDGET_VERIFIER: "BPKAD",
    Role.POKJA: "UKPBJ",
    Role.LPSE_ADMIN: "UKPBJ",
    Role.LETTER_SECRETARY: "DISKOMINFO",
    Role.SIGNATORY: "DISKOMINFO",
    Role.KOMINFO_ADMIN: "DISKOMINFO",
    Role.AGENDA_MANAGER: "PROKOPIM",
    Role.AUDITOR: "INSPEKTORAT",
    Role.LEADER: "PROKOPIM",
}
# Fictional people, so screens and letters read naturally.
DEMO_NAMES = {
    Role.PLANNER: "Yohanes Bria",
    Role.BUDGET_OFFICER: "Maria Goreti Seran",
    Role.TREASURER: "Agustina Nalle",
    Role.PPK: "Fransiskus Laka",
    Role.MONEV_OFFICER: "Dominikus Tefa",
    Role.PLAN_VERIFIER: "Elisabeth Dethan",
    Role.MONEV_VERIFIER: "Yakobus Manu",
    Role.BUDGET_VERIFIER: "Theresia Bere",
    Role.POKJA: "Stefanus Lalo",
    Role.LPSE_ADMIN: "Kristoforus Nenobais",
    Role.LETTER_SECRETARY: "Veronika Ndoen",
    Role.SIGNATORY: "Petrus Kase",
    Role.KOMINFO_ADMIN: "Aloysius Tallo",
    Role.AGENDA_MANAGER: "Margaretha Fanggidae",
    Role.AUDITOR: "Benediktus Nitbani",
    Role.LEADER: "Gabriel Ratu",
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    region_code: str
    agency_code: str
    scope: str | None = None  # None: the role's default reach

    @property
    def needs_totp(self) -> bool:
        return self.role in settings.PORTAL_MFA_REQUIRED_ROLES

    @property
    def is_staff(self) -> bool:
        return self.role == Role.KOMINFO_ADMIN


def demo_accounts() -> list[DemoAccount]:
    """One account per role in the province, then a planner in Kab. and Kota Kupang."""
    accounts = [
        DemoAccount(
            email=demo_email(role),
            full_name=DEMO_NAMES[role],
            role=role,
            region_code=PROVINCE_CODE,
            agency_code=ROLE_AGENCY[role],
            scope=Scope.PROVINCE if role == Role.LEADER else None,
        )
        for role in Role
    ]
    accounts += [
        DemoAccount(f"planner.kab-kupang@{DEMO_DOMAIN}", "Ferdinandus Sole", Role.PLANNER, "53.01", "DPUPR"),
        DemoAccount(f"planner.kota-kupang@{DEMO_DOMAIN}", "Imelda Lenggu", Role.PLANNER, "53.71", "DPUPR"),
        # A regency's own Bappeda, so its RPJMD, ceilings and Musrenbang have someone to keep them,
        # and the province's Diskominfo planning and budgeting its own items beside Dinas PUPR.
        DemoAccount(f"plan.verifier.kab-kupang@{DEMO_DOMAIN}", "Kornelis Bani", Role.PLAN_VERIFIER, "53.01", "BAPPEDA"),
        DemoAccount(f"planner.diskominfo@{DEMO_DOMAIN}", "Rambu Kahi", Role.PLANNER, "53", "DISKOMINFO"),
        DemoAccount(
            f"budget.officer.diskominfo@{DEMO_DOMAIN}", "Yosefina Lawa", Role.BUDGET_OFFICER, "53", "DISKOMINFO"
        ),
        # A pokja has three members: the pokja account chairs, these two sit beside it.
        DemoAccount(f"pokja.anggota1@{DEMO_DOMAIN}", "Yulius Nope", Role.POKJA, "53", "UKPBJ"),
        DemoAccount(f"pokja.anggota2@{DEMO_DOMAIN}", "Selvina Mau", Role.POKJA, "53", "UKPBJ"),
    ]
    return accounts


# Apps add their own demo data after the kernel's (the kernel never imports an app):
# each loader runs inside load_demo's transaction, adds only what is missing and
# returns the counts of what it added.
DemoLoader = Callable[[], Counter]
_LOADERS: dict[str, tuple[str, DemoLoader]] = {}


def register_demo_loader(loader: DemoLoader, *, label: str = "") -> None:
    """Called from an app's AppConfig.ready(); registering the same loader twice keeps one."""
    key = f"{loader.__module__}.{loader.__qualname__}"
    _LOADERS[key] = (label or loader.__module__, loader)


def demo_loaders() -> list[tuple[str, DemoLoader]]:
    return list(_LOADERS.values())


# Accounts an app's loader makes for people outside the agencies (vendors), listed by
# load_demo after the staff accounts: e-mail → what the account is (a lazy translation).
_OTHER_ACCOUNTS: dict[str, object] = {}


def register_demo_account(email: str, *, description) -> None:
    """Called from an app's AppConfig.ready() for each account its loader makes."""
    _OTHER_ACCOUNTS[email] = description


def other_demo_accounts() -> list[tuple[str, str]]:
    return [(email, str(description)) for email, description in _OTHER_ACCOUNTS.items()]


@dataclass
class LoadResult:
    created: Counter = field(default_factory=Counter)
    accounts: list[tuple[DemoAccount, Agency]] = field(default_factory=list)
    # What each app's loader added, by its label (only loaders that added something).
    added_by_app: dict[str, Counter] = field(default_factory=dict)


def load_demo() -> LoadResult:
    """Create what is missing of the demo data, in one transaction."""
    result = LoadResult()
    with transaction.atomic():
        regions = ensure_ntt_regions(result.created)
        agencies = _ensure_agencies(regions, result.created)
        ensure_fiscal_years(result.created)
        for account in demo_accounts():
            agency = agencies[(account.region_code, account.agency_code)]
            _ensure_account(account, agency, result.created)
            result.accounts.append((account, agency))
        result.created = +result.created  # keeps only what was really added
        if result.created:
            # Regions, agencies and accounts have no service of their own to audit them;
            # one entry records that the demo load put them there (grants have their own).
            audit_record(
                actor=None,
                action=AuditAction.CREATE,
                object_type="portal.demo",
                object_label="NTT demo data (manage.py load_demo)",
                changes=dict(result.created),
            )
        for label, loader in demo_loaders():
            added = +Counter(loader())
            if added:
                result.added_by_app[str(label)] = added
    return result


def ensure_ntt_regions(created: Counter) -> dict[str, Region]:
    """NTT's 23 regions by code, created where missing (the bench seeds on them too)."""
    province, was_created = Region.objects.get_or_create(
        code=PROVINCE_CODE, defaults={"name": PROVINCE_NAME, "kind": RegionKind.PROVINCE}
    )
    created["regions"] += was_created
    wanted = {code: (f"Kabupaten {name}", RegionKind.REGENCY) for code, name in REGENCIES}
    wanted |= {code: (f"Kota {name}", RegionKind.CITY) for code, name in CITIES}
    regions = {r.code: r for r in Region.objects.filter(code__in=[PROVINCE_CODE, *wanted])}
    missing = [
        Region(code=code, name=name, kind=kind, parent=province)
        for code, (name, kind) in wanted.items()
        if code not in regions
    ]
    for region in Region.objects.bulk_create(missing):
        regions[region.code] = region
    created["regions"] += len(missing)
    return regions


def _ensure_agencies(regions: dict[str, Region], created: Counter) -> dict[tuple[str, str], Agency]:
    codes = [spec.code for spec in AGENCIES]
    existing = Agency.objects.filter(region__in=regions.values(), code__in=codes).select_related("region")
    agencies = {(a.region.code, a.code): a for a in existing}
    missing = [
        Agency(region=region, code=spec.code, name=spec.name_in(region), short_name=spec.short_name)
        for region in regions.values()
        for spec in AGENCIES
        if (region.code, spec.code) not in agencies
    ]
    for agency in Agency.objects.bulk_create(missing):
        agencies[(agency.region.code, agency.code)] = agency
    created["agencies"] += len(missing)
    return agencies


def ensure_fiscal_years(created: Counter) -> None:
    for year in FISCAL_YEARS:
        created["fiscal_years"] += FiscalYear.objects.get_or_create(year=year, defaults={"is_open": True})[1]


@cache
def _demo_password_hash() -> str:
    # The password is public and the same for every demo account: hashing it once
    # spares the key stretching (about half a second) for each account created.
    return make_password(DEMO_PASSWORD)


def _ensure_account(account: DemoAccount, agency: Agency, created: Counter) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User(
            email=account.email,
            full_name=account.full_name,
            is_staff=account.is_staff,
            password=_demo_password_hash(),
        )
        user.save(force_insert=True)
        created["users"] += 1
    # Log-in requires a verified address; demo addresses cannot receive mail.
    created["email_addresses"] += EmailAddress.objects.get_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )[1]
    if not Membership.objects.filter(user=user, agency=agency, role=account.role).exists():
        membership_grant(user=user, agency=agency, role=account.role, actor=None, scope=account.scope)
        created["memberships"] += 1
    if account.needs_totp and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        created["authenticators"] += 1
    return user
