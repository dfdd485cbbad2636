"""The RKA/DPA of a budget document as PDF: an HTML template rendered by WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from .choices import DocumentStatus
from .models import BudgetDocument
from .selectors.documents import document_tree


def is_dpa(document: BudgetDocument) -> bool:
    """An approved document (current or replaced since) prints as the DPA; any other as the RKA."""
    return document.status in (DocumentStatus.APPROVED, DocumentStatus.SUPERSEDED)


def document_pdf_filename(document: BudgetDocument) -> str:
    kind = "DPA" if is_dpa(document) else "RKA"
    agency = document.agency
    return f"{kind}-{agency.region.code}-{agency.code}-{document.fiscal_year.year}-v{document.version}.pdf"


def document_html(document: BudgetDocument) -> str:
    """The printable document: lines grouped program → activity → sub-activity with
    the subtotals the database computed, the totals and the signature block."""
    tree = document_tree(document)
    context = {
        "document": document,
        "is_dpa": is_dpa(document),
        "rows": tree.rows,
        "totals": tree.totals,
        "printed": timezone.localtime(),
    }
    return render_to_string("ebudgeting/pdf_document.html", context)


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, which only the worker needs.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
