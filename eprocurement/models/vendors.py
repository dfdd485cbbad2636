from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import VendorDocumentKind, VendorKind, VendorStatus

MONEY = {"max_digits": 18, "decimal_places": 2}

nib_validator = RegexValidator(r"^\d{13}$", _("An NIB has 13 digits."))
npwp_validator = RegexValidator(r"^(\d{15}|\d{16})$", _("An NPWP has 15 or 16 digits (without dots or dashes)."))
kbli_validator = RegexValidator(r"^\d{5}$", _("A KBLI code has 5 digits."))


class BusinessField(models.Model):
    """A KBLI 2020 business field (five digits) a vendor may work in."""

    code = models.CharField(_("KBLI code"), max_length=5, unique=True, validators=[kbli_validator])
    name = models.CharField(_("name"), max_length=300)
    is_active = models.BooleanField(_("in the current list"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("business field (KBLI)")
        verbose_name_plural = _("business fields (KBLI)")

    def __str__(self):
        return f"{self.code} {self.name}"


class Vendor(models.Model):
    """A provider (penyedia) registered on the public site; only verified vendors bid."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="vendors", verbose_name=_("account")
    )
    name = models.CharField(_("company name"), max_length=200)
    kind = models.CharField(_("form of business"), max_length=12, choices=VendorKind.choices)
    nib = models.CharField(_("NIB"), max_length=13, unique=True, validators=[nib_validator])
    npwp = models.CharField(_("NPWP"), max_length=16, unique=True, validators=[npwp_validator])
    address = models.TextField(_("address"))
    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("e-mail"))
    is_small_business = models.BooleanField(_("small business"), default=False)
    business_fields = models.ManyToManyField(
        BusinessField, related_name="vendors", blank=True, verbose_name=_("business fields (KBLI)")
    )
    status = models.CharField(_("status"), max_length=10, choices=VendorStatus.choices, default=VendorStatus.PENDING)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    created = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")

    def __str__(self):
        return self.name


class VendorPerson(models.Model):
    """A person in charge of a vendor (director, authorised representative, ...)."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=100)
    nik = models.CharField(
        _("NIK"), max_length=16, blank=True, validators=[RegexValidator(r"^\d{16}$", _("A NIK has 16 digits."))]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["vendor", "id"]
        verbose_name = _("person in charge")
        verbose_name_plural = _("people in charge")

    def __str__(self):
        return f"{self.name} ({self.position})"


class VendorDocument(models.Model):
    """A licence or legal document of a vendor, with its validity."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=VendorDocumentKind.choices)
    number = models.CharField(_("number"), max_length=100)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="vendors/%Y/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["vendor", "kind", "id"]
        verbose_name = _("vendor document")
        verbose_name_plural = _("vendor documents")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class Blacklisting(models.Model):
    """A sanction (daftar hitam): the vendor cannot bid anywhere during the period."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="blacklistings")
    region = models.ForeignKey(
        "portal.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by the region")
    )
    decree_number = models.CharField(_("decree number"), max_length=100)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("blacklisting")
        verbose_name_plural = _("blacklistings")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="blacklist_period")
        ]

    def __str__(self):
        return f"{self.vendor} {self.starts_on}–{self.ends_on}"
