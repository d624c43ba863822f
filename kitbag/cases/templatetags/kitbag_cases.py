"""Template filters for case pages: `{{ amount|pounds }}`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def pounds(value: object) -> str:
    """£1,250 for whole pounds, £1,250.50 otherwise; "" for no amount."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return f"{sign}£{text}"


@register.filter
def country_name(code: str) -> str:
    """The English name of an ISO 3166-1 alpha-2 code ("DE" -> "Germany"), else the code."""
    from kitbag.cases.facet_labels import country_name as name_of

    return name_of(str(code)) if code else ""
