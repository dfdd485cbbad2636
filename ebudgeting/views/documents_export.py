"""A budget document as an XLSX workbook: the lines grouped as on the page."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..selectors.documents import DocumentTree, Group

MONEY_FORMAT = "#,##0.00"


def document_workbook(document, tree: DocumentTree) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Lines")[:31]
    sheet.append([str(document)])
    sheet.append([_("Status"), str(document.get_status_display()), _("DPA number"), document.number])
    sheet.append([])
    sheet.append(
        [
            _("Code"),
            _("Description"),
            _("Funding source"),
            _("Volume"),
            _("Unit"),
            _("Unit price"),
            _("Amount"),
            _("Committed"),
            _("Realized"),
            _("Available"),
        ]
    )
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in tree.rows:
        sheet.append(_group_row(row) if isinstance(row, Group) else _line_row(row))
        if isinstance(row, Group):
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    totals = tree.totals
    sheet.append(
        [_("Total"), "", "", "", "", "", totals["amount"], totals["committed"], totals["realized"], totals["available"]]
    )
    for column in "FGHIJ":
        for cell in sheet[column]:
            cell.number_format = MONEY_FORMAT
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 60
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _group_row(group: Group) -> list:
    return [group.code, group.name, "", "", "", "", group.amount, group.committed, group.realized, group.available]


def _line_row(line) -> list:
    return [
        line.account.code,
        line.description,
        line.funding_source.name,
        line.volume,
        line.unit,
        line.unit_price,
        line.amount,
        line.committed,
        line.realized,
        line.available_amount,
    ]
