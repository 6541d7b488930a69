"""A member's savings statement (rekening simpanan) as PDF, in the look of the portal's printed reports."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils import timezone
from django.utils import translation

from . import selectors

__all__ = ["statement_pdf", "statement_rows"]


def statement_rows(member) -> list[dict]:
    """Every posting of the member, oldest first, with the balance of its kind after it."""
    running = {"pokok": 0, "wajib": 0, "sukarela": 0}
    rows = []
    for posting in selectors.member_statement(member):
        running[posting.kind] += posting.amount
        rows.append({"posting": posting, "balance": running[posting.kind]})
    return rows


def statement_pdf(*, user, cooperative, member) -> bytes:
    """The statement with balances, postings, SHU lines and the signature block of the person printing it."""
    now = timezone.localtime()
    context = {
        "cooperative": cooperative, "member": member, "balance": selectors.member_balance(member),
        "rows": statement_rows(member), "bills": list(selectors.member_open_bills(member)),
        "shu_lines": list(selectors.member_shu_lines(member)), "user": user, "generated_at": now,
        "time_zone": now.tzname(), "LANGUAGE_CODE": translation.get_language(),
        "place_date": f"{cooperative.village.name}, {formats.date_format(now.date(), 'j F Y')}",
    }
    html = render_to_string("simpanan/pdf/statement.html", context)
    # Here, not at the top: WeasyPrint loads Pango and fonts, which only a request building a PDF needs.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
