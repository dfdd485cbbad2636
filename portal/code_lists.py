"""Reference code trees (the planning nomenclature, the account codes, ...) and their
import from an official list.

One machinery for every list: a file (CSV or XLSX, header in the first row) becomes row
dicts; every row is checked against the list's :class:`CodeListSpec` (level, code format
and depth, parent, name, duplicates); only when no row has a problem is anything
written. Writing is idempotent: a listed code is added or updated, a code no longer
listed is marked inactive, never deleted (plans and budgets keep the code they were made
with).

The same functions load the shipped lists in the data migrations (with the historical
model) and serve the audited import service (with the real one).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .choices import AuditAction
from .services import DomainError

MAX_ERRORS_SHOWN = 50
NAME_MAX_LENGTH = 500


@dataclass(frozen=True)
class CodeListSpec:
    """What one code list looks like.

    ``levels`` are the level names top first; ``depth`` the number of dot-separated parts
    a code of each level has; ``segments`` the pattern of the part at each position.
    ``to_fields`` turns a file row into the model's own field values (besides code, level,
    name and parent) or raises :class:`RowProblem`.
    """

    label: object
    levels: tuple[str, ...]
    depth: dict
    segments: tuple[str, ...]
    columns: tuple[str, ...] = ("level", "code", "name", "parent_code")
    to_fields: Callable[[dict], dict] = lambda row: {}

    def code_problem(self, code: str, level: str):
        """Why ``code`` is not a valid code of ``level``, or None."""
        parts = code.split(".")
        if len(parts) > len(self.segments) or not all(
            re.fullmatch(pattern, part) for pattern, part in zip(self.segments, parts, strict=False)
        ):
            return _("the code %(code)s is malformed") % {"code": code}
        if len(parts) != self.depth[level]:
            return _("the code %(code)s has %(found)d parts, a code of level %(level)s has %(expected)d") % {
                "code": code,
                "found": len(parts),
                "level": level,
                "expected": self.depth[level],
            }
        return None

    def parent_level(self, level: str) -> str | None:
        index = self.levels.index(level)
        return self.levels[index - 1] if index else None


class RowProblem(ValueError):
    """A row's own fields are wrong; the message is for the person importing."""


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self):
        return str(_("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message})


class CodeListError(DomainError):
    """The file was refused; ``errors`` says which rows and why. Nothing was saved."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = [str(e) for e in errors[:MAX_ERRORS_SHOWN]]
        if len(errors) > MAX_ERRORS_SHOWN:
            more = len(errors) - MAX_ERRORS_SHOWN
            shown.append(str(_("… and %(count)d more problems.") % {"count": more}))
        super().__init__(shown)


@dataclass(frozen=True)
class CodeRow:
    row: int
    code: str
    level: str
    name: str
    parent_code: str
    fields: dict = field(default_factory=dict)


@dataclass
class ImportCounts:
    added: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "deactivated": self.deactivated,
            "unchanged": self.unchanged,
        }


# --- Reading a file ------------------------------------------------------------------


def read_rows(file, filename: str) -> list[tuple[int, dict]]:
    """(row number, {column: text}) for each non-empty data row of a CSV or XLSX file.

    Row numbers are the ones a spreadsheet shows: the header is row 1.
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return _read_csv(file)
    if suffix == ".xlsx":
        return _read_xlsx(file)
    raise CodeListError([RowError(0, _("only CSV and XLSX files can be imported"))])


def _read_csv(file) -> list[tuple[int, dict]]:
    raw = file.read()
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise CodeListError([RowError(0, _("the file is not UTF-8 text"))]) from None
    reader = csv.reader(io.StringIO(text))
    return _rows_from(list(reader))


def _read_xlsx(file) -> list[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise CodeListError([RowError(0, _("the file is not a readable XLSX workbook"))]) from None
    try:
        values = [[_cell_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    return _rows_from(values)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _rows_from(values: list[list[str]]) -> list[tuple[int, dict]]:
    if not values:
        raise CodeListError([RowError(1, _("the file is empty"))])
    header = [h.strip().lower() for h in values[0]]
    rows = []
    for number, cells in enumerate(values[1:], start=2):
        cells = [(c or "").strip() for c in cells]
        if any(cells):
            rows.append((number, dict(zip(header, cells, strict=False))))
    return rows


# --- Validating ----------------------------------------------------------------------


def validate(spec: CodeListSpec, rows: list[tuple[int, dict]], existing_levels: dict) -> list[CodeRow]:
    """The rows as :class:`CodeRow` when every one is valid; else CodeListError with all
    the problems. ``existing_levels`` maps the codes already stored to their level (a
    parent may be there instead of in the file)."""
    missing = [c for c in spec.columns if rows and c not in rows[0][1]]
    if missing:
        raise CodeListError([RowError(1, _("the columns %(columns)s are missing") % {"columns": ", ".join(missing)})])
    if not rows:
        raise CodeListError([RowError(2, _("the file has no rows"))])
    errors, parsed, seen = [], [], {}
    for number, row in rows:
        problem = _row_problem(spec, row, seen)
        if problem is None:
            try:
                parsed.append(_code_row(spec, number, row))
            except RowProblem as exc:
                problem = str(exc)
        if problem is not None:
            errors.append(RowError(number, problem))
        seen.setdefault(row.get("code", ""), number)
    levels_by_code = {**existing_levels, **{r.code: r.level for r in parsed}}
    # A child of a refused row is not reported again: its parent's row says what is wrong.
    refused = {row.get("code", "") for number, row in rows} - {r.code for r in parsed}
    checked = [r for r in parsed if r.parent_code not in refused]
    errors += [RowError(r.row, p) for r in checked if (p := _parent_problem(spec, r, levels_by_code))]
    if errors:
        raise CodeListError(sorted(errors, key=lambda e: e.row))
    return parsed


def _row_problem(spec: CodeListSpec, row: dict, seen: dict):
    level, code, name = row.get("level", ""), row.get("code", ""), row.get("name", "")
    if level not in spec.levels:
        return _("the level %(level)s is unknown (expected one of %(levels)s)") % {
            "level": level or "—",
            "levels": ", ".join(spec.levels),
        }
    if not code:
        return _("the code is empty")
    if code in seen:
        return _("the code %(code)s is already on row %(row)d") % {"code": code, "row": seen[code]}
    problem = spec.code_problem(code, level)
    if problem is not None:
        return problem
    if not name:
        return _("the name is empty")
    if len(name) > NAME_MAX_LENGTH:
        return _("the name is longer than %(max)d characters") % {"max": NAME_MAX_LENGTH}
    return None


def _code_row(spec: CodeListSpec, number: int, row: dict) -> CodeRow:
    return CodeRow(
        row=number,
        code=row["code"],
        level=row["level"],
        name=row["name"],
        parent_code=row.get("parent_code", ""),
        fields=spec.to_fields(row),
    )


def _parent_problem(spec: CodeListSpec, row: CodeRow, levels_by_code: dict):
    expected = spec.parent_level(row.level)
    if expected is None:
        if row.parent_code:
            return _("a code of level %(level)s has no parent") % {"level": row.level}
        return None
    if not row.parent_code:
        return _("the parent code is empty")
    if row.parent_code not in levels_by_code:
        return _("the parent %(parent)s is neither in the file nor already stored") % {"parent": row.parent_code}
    if levels_by_code[row.parent_code] != expected:
        return _("the parent %(parent)s is a %(found)s, a %(level)s belongs to a %(expected)s") % {
            "parent": row.parent_code,
            "found": levels_by_code[row.parent_code],
            "level": row.level,
            "expected": expected,
        }
    if not row.code.startswith(row.parent_code + "."):
        return _("the code %(code)s does not start with its parent's code %(parent)s") % {
            "code": row.code,
            "parent": row.parent_code,
        }
    return None


# --- Writing -------------------------------------------------------------------------


def load_into(model, spec: CodeListSpec, rows: list[tuple[int, dict]], *, edition: str) -> ImportCounts:
    """Validate ``rows`` and write them into ``model`` (real or historical): all or
    nothing. The caller holds the transaction."""
    existing = {obj.code: obj for obj in model._base_manager.select_for_update().order_by("pk")}
    parsed = validate(spec, rows, {code: obj.level for code, obj in existing.items()})
    return _write(model, spec, parsed, existing, edition=edition)


def _write(model, spec: CodeListSpec, parsed: list[CodeRow], existing: dict, *, edition: str) -> ImportCounts:
    counts = ImportCounts()
    ids = {code: obj.pk for code, obj in existing.items()}
    changed = []
    field_names = ["level", "name", "parent_id", "is_active", *parsed[0].fields]
    # Parents before children: each level's new rows get their parents' new ids.
    for level in spec.levels:
        new = []
        for row in (r for r in parsed if r.level == level):
            values = {"level": row.level, "name": row.name, "parent_id": ids.get(row.parent_code), "is_active": True}
            values.update(row.fields)
            obj = existing.get(row.code)
            if obj is None:
                new.append(model(code=row.code, edition=edition, **values))
            elif any(getattr(obj, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(obj, k, v)
                changed.append(obj)
            else:
                counts.unchanged += 1
        for obj in model._base_manager.bulk_create(new, batch_size=1000):
            ids[obj.code] = obj.pk
        counts.added += len(new)
    model._base_manager.bulk_update(changed, field_names, batch_size=500)
    counts.updated = len(changed)
    listed = {r.code for r in parsed} | {r.parent_code for r in parsed if r.parent_code}
    counts.deactivated = model._base_manager.filter(is_active=True).exclude(code__in=listed).update(is_active=False)
    if edition:
        model._base_manager.filter(code__in=[r.code for r in parsed]).exclude(edition=edition).update(edition=edition)
    return counts


def unload(model) -> None:
    """Remove a list loaded by a data migration (its reverse): children with parents."""
    model._base_manager.update(parent=None)
    model._base_manager.all().delete()


def import_code_list(
    *, model, spec: CodeListSpec, rows: list[tuple[int, dict]], edition: str, actor, source: str
) -> ImportCounts:
    """The import service both apps' imports call: validate, write, one audit entry."""
    edition_field = model._meta.get_field("edition")
    if len(edition) > edition_field.max_length:
        raise DomainError(_("The edition is at most %(max)d characters long.") % {"max": edition_field.max_length})
    with transaction.atomic():
        counts = load_into(model, spec, rows, edition=edition)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type=model._meta.label_lower,
            object_label=f"{model._meta.verbose_name_plural}: {source}"[:255],
            reason=str(_("Import of an official list (%(edition)s)") % {"edition": edition or "—"}),
            changes={**counts.as_dict(), "edition": edition, "file": source},
        )
    return counts


def ancestor_codes(spec: CodeListSpec, code: str) -> list[str]:
    """The codes above ``code``, top first, read from the code itself."""
    parts = code.split(".")
    return [".".join(parts[:d]) for d in sorted(set(spec.depth.values())) if d < len(parts)]


# --- The admin's upload --------------------------------------------------------------


_IMPORTED = _(
    "Imported: %(added)d added, %(updated)d updated, %(deactivated)d no longer listed, %(unchanged)d unchanged."
)


class CodeListUploadForm(forms.Form):
    file = forms.FileField(label=_("Official list (CSV or XLSX)"))
    edition = forms.CharField(
        label=_("Edition"), max_length=40, required=False, help_text=_("e.g. the regulation and year of the update")
    )


class CodeListImportAdminMixin:
    """A read-only admin for a code list, with an "Import" button on its list page.

    ``import_service`` is the app's import service; the upload is open to whoever holds
    the model's add permission (superusers, and Kominfo admins through their role). Rows
    change only through imports, so the list matches the official one.
    """

    import_service: Callable = None
    import_template = "eplanning/codes_admin_import.html"
    change_list_template = "eplanning/codes_admin_changelist.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request) -> bool:
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.add_{opts.model_name}")

    def get_urls(self):
        opts = self.model._meta
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            )
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = CodeListUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                counts = type(self).import_service(
                    file=upload, filename=upload.name, actor=request.user, edition=form.cleaned_data["edition"]
                )
            except DomainError as exc:
                errors = exc.messages
            else:
                self.message_user(request, _IMPORTED % counts.as_dict(), messages.SUCCESS)
                opts = self.model._meta
                return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import %(list)s") % {"list": self.model._meta.verbose_name_plural},
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(request, self.import_template, context, status=400 if errors else 200)


# --- The management commands ---------------------------------------------------------


class CodeListCommand(BaseCommand):
    """Base of the import commands: ``import_service`` is the app's import service."""

    import_service: Callable = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file with a header row")
        parser.add_argument("--edition", default="", help="the regulation and year of the list")
        parser.add_argument("--actor", default="", help="e-mail of the person the audit log names")

    def handle(self, *args, file, edition, actor, **options):
        who = self._actor(actor)
        try:
            with open(file, "rb") as handle:
                counts = self.import_service(file=handle, filename=file, actor=who, edition=edition)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(_("Nothing was imported.")) from exc
        self.stdout.write(str(_IMPORTED % counts.as_dict()))

    def _actor(self, email: str):
        if not email:
            return f"manage.py {self.__module__.rsplit('.', 1)[-1]}"
        from .models import User

        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(_("No account has the e-mail %(email)s.") % {"email": email})
        return user
