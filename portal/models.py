from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import REGION_WIDE_ROLES, AuditAction, DeliveryStatus, JobStatus, RegionKind, Role, Scope
from .scoping import ScopedQuerySet

region_code_validator = RegexValidator(
    r"^\d{2}(\.\d{2})?$",
    _("A Kemendagri region code is two digits, or two digits, a dot and two digits."),
)
agency_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9.\-]{0,29}$",
    _("An agency code is upper-case letters, digits, dots or dashes."),
)


class Region(models.Model):
    """A Pemda: the province or one of its regencies and cities."""

    code = models.CharField(_("Kemendagri code"), max_length=5, unique=True, validators=[region_code_validator])
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def level(self) -> int:
        """The L digit of a nomenclature code: 1 for a province, 2 for a regency or city."""
        return 1 if self.kind == RegionKind.PROVINCE else 2


class AgencyQuerySet(ScopedQuerySet):
    agency_path = "id"
    region_path = "region_id"


class Agency(models.Model):
    """An OPD (perangkat daerah) of one region, or a unit inside one."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=30, validators=[agency_code_validator])
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("parent unit")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    head_name = models.CharField(_("head of agency"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="agency_code_unique_in_region")]

    def __str__(self):
        return self.short_name or self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in by e-mail: agency staff, a vendor's representative, an admin."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("A NIP has 18 digits."))],
        help_text=_("Civil servant number, for agency staff."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="id",
        help_text=_("The language of the e-mails this person receives."),
    )
    is_staff = models.BooleanField(_("admin site access"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class MembershipQuerySet(ScopedQuerySet):
    agency_path = "agency_id"
    region_path = "agency__region_id"

    def active(self):
        return self.filter(user__is_active=True, agency__is_active=True)


class Membership(models.Model):
    """A role a person holds in an agency, and how far beyond it that role reaches."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("agency"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    scope = models.CharField(_("reach"), max_length=10, choices=Scope.choices, default=Scope.AGENCY)
    created = models.DateTimeField(_("granted"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["agency__region__code", "agency__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency}"

    @staticmethod
    def default_scope(role: str) -> str:
        return Scope.REGION if role in REGION_WIDE_ROLES else Scope.AGENCY


class FiscalYear(models.Model):
    """A budget year (January to December); only an open year takes new plans and budgets."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_open = models.BooleanField(_("open"), default=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self):
        return str(self.year)


class AuditEntry(models.Model):
    """One state change, chained to the one before it by SHA-256 (see portal.audit)."""

    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    created = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor name"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=255, blank=True)
    region_id = models.BigIntegerField(_("region"), null=True, blank=True, db_index=True)
    agency_id = models.BigIntegerField(_("agency"), null=True, blank=True, db_index=True)
    old_status = models.CharField(_("old status"), max_length=40, blank=True)
    new_status = models.CharField(_("new status"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The audit log is append-only.")


class AuditChainHead(models.Model):
    """The single row writers lock to append to the audit chain, so it never forks."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def deliverable(self, now):
        """E-mails waiting, or claimed by a worker whose lease ran out (it died)."""
        return self.filter(
            models.Q(email_status=DeliveryStatus.PENDING)
            | models.Q(email_status=DeliveryStatus.SENDING, email_claimed_until__lt=now)
        )


class Notification(models.Model):
    """An inbox entry for one person, and the outbox row for its e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    email_claimed_until = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)
    email_error = models.TextField(blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_inbox_idx"),
            models.Index(fields=["email_status", "email_claimed_until"], name="notification_outbox_idx"),
        ]

    def __str__(self):
        return self.title


class Job(models.Model):
    """A piece of background work a person asked for (a PDF, a report) and its progress.

    Generic: ``kind`` names the work, ``subject`` the record it is about; the task that
    does it reports through portal.jobs and stores its result in ``file``.
    """

    kind = models.CharField(_("kind"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("requested by")
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    subject_id = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(_("requested"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["subject_type", "subject_id", "kind"], name="job_subject_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="job_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
