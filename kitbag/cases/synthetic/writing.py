"""Writing synthetic cases to the database in batches, and taking them out again."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from kitbag.cases.models import (
    BenefitItem,
    Case,
    CasePartner,
    CaseSource,
    CostItem,
    Product,
)
from kitbag.cases.search_documents import DOC_TYPE, index_cases_in_bulk
from kitbag.cases.synthetic.generation import PROVENANCE_KEY, SLUG_PREFIX, CaseSpec
from kitbag.core.page_cache import public_content_changed
from kitbag.search.services import remove_documents


def synthetic_cases() -> Any:
    """Every generated case, whatever its seed."""
    return Case.objects.filter(
        Q(provenance__has_key=PROVENANCE_KEY) | Q(slug__startswith=SLUG_PREFIX)
    )


def real_written_cases() -> Any:
    """Cases people wrote on Kitbag (not imported, not generated): what must never be mixed."""
    return Case.objects.filter(source=CaseSource.KITBAG).exclude(provenance__has_key=PROVENANCE_KEY)


def _write_batch(specs: list[CaseSpec]) -> list[int]:
    cases = Case.objects.bulk_create(Case(**spec.fields) for spec in specs)
    pks = [case.pk for case in cases]
    through_rows: list[tuple[Any, list[Any]]] = [
        (Case.services.through, []),
        (Case.functions.through, []),
        (Case.technologies.through, []),
    ]
    partners: list[CasePartner] = []
    products: list[Product] = []
    costs: list[CostItem] = []
    benefits: list[BenefitItem] = []
    for case, spec in zip(cases, specs, strict=True):
        for (model, rows), chosen in zip(
            through_rows, (spec.services, spec.functions, spec.technologies), strict=True
        ):
            rows.extend(model(case_id=case.pk, code_id=code.pk) for code in chosen)
        partners.extend(
            CasePartner(case=case, organisation=org, role=role) for org, role in spec.partners
        )
        products.extend(
            Product(case=case, name=name, is_open_source=open_source)
            for name, open_source in spec.products
        )
        costs.extend(
            CostItem(case=case, description=d, amount=a, recurrence=r, price_year=2024)
            for d, a, r in spec.costs
        )
        benefits.extend(
            BenefitItem(case=case, description=d, amount=a, recurrence=r, cashable=True)
            for d, a, r in spec.benefits
        )
    for model, rows in through_rows:
        model.objects.bulk_create(rows)
    CasePartner.objects.bulk_create(partners)
    Product.objects.bulk_create(products)
    CostItem.objects.bulk_create(costs)
    BenefitItem.objects.bulk_create(benefits)
    index_cases_in_bulk(pks=pks)
    # Bulk creates send no signals: cached public pages are told here.
    public_content_changed()
    return pks


def write_cases(
    specs: Iterable[CaseSpec],
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Create the cases, their parts and their search documents; one transaction per batch."""
    written = 0
    iterator = iter(specs)
    while batch := list(itertools.islice(iterator, batch_size)):
        written += len(_write_batch(batch))
        if progress is not None:
            progress(written)
    return written


def remove_synthetic_cases(*, batch_size: int = 5000) -> int:
    """Delete every generated case and its search document; returns how many cases went."""
    removed = 0
    while pks := list(synthetic_cases().order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            remove_documents(doc_type=DOC_TYPE, object_ids=[str(pk) for pk in pks])
            Case.objects.filter(pk__in=pks).delete()
            # Bulk deletes send no signals: cached public pages are told here.
            public_content_changed()
        removed += len(pks)
    return removed
