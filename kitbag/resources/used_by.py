"""What used a resource: how each kind of "used by" key is shown, registered by its owner.

A `Use` holds a key "kind:id". Each kind is registered once with `register_use_kind(kind, show)`,
where `show(ids, viewer)` returns, for the ids the viewer may see, a `UsedByLink` (label and
address); an id it leaves out is not shown, so a draft case or a private event never appears on a
resource page. Cases and consultations are registered here (apps.py); partnerships and events
register themselves from their own apps, so this app never needs to know them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Final

from django.http import HttpRequest

from kitbag.core.page_sections import register_section
from kitbag.resources.models import Use

KEY: Final = re.compile(r"^(?P<kind>[a-z][a-z-]{0,30}):(?P<id>[A-Za-z0-9_.-]{1,80})$")


@dataclass(frozen=True)
class UsedByLink:
    kind: str
    label: str
    url: str
    key: str = ""  # the use's key, filled in by links_for
    use_id: int | None = None


ShowFunction = Callable[[list[str], Any], dict[str, UsedByLink]]
# The things of a kind the viewer may say used a resource, as {id: label}: those among `ids` when
# given (a check before a write), otherwise the viewer's own, at most EDITABLE_SHOWN of them.
EditableFunction = Callable[[Any, list[str] | None], dict[str, str]]
_kinds: dict[str, ShowFunction] = {}
_editable: dict[str, EditableFunction] = {}
_labels: dict[str, Any] = {}

EDITABLE_SHOWN: Final = 200


def register_use_kind(
    kind: str,
    show: ShowFunction,
    *,
    label: Any = "",
    editable: EditableFunction | None = None,
    page: str = "",
    identify: Callable[[Any], str] | None = None,
    listed_on_page: Callable[[Any], Iterable[int | None]] | None = None,
) -> None:
    """Say how uses of `kind` are shown; with `editable`, people who may edit things of that kind
    may record on a resource's page that one of them used it (and remove that again). With `page`
    and `identify` (the id of the page's object in its key), that page (core/page_sections.py)
    gets a "Resources used" section, leaving out the resources `listed_on_page(obj)` names (an
    event lists its own notes and slides already)."""
    _kinds[kind] = show
    _labels[kind] = label or kind.capitalize()
    if editable is not None:
        _editable[kind] = editable
    else:
        _editable.pop(kind, None)
    if page and identify is not None:
        register_section(
            page=page,
            name="resources-used",
            template="resources/partials/_resources_used.html",
            context=_resources_used_section(kind, identify, listed_on_page),
            order=90,
        )


def _whole_numbers(values: list[str]) -> list[int]:
    # Keys are typed into forms and URLs: anything but a database-sized whole number is no id.
    return [int(value) for value in values if value.isdigit() and len(value) < 19]


def register_model_use_kind(
    kind: str,
    *,
    visible: Callable[[Any], Any],
    may_record: Callable[[Any, bool], Any],
    label_field: str,
    url: Callable[[Any], str],
    choices_ordered_by: str,
    label: Any = "",
    page: str = "",
    listed_on_page: Callable[[Any], Iterable[int | None]] | None = None,
) -> None:
    """`register_use_kind` for a model with whole-number ids, declared rather than written out:
    `visible(viewer)` is the queryset the viewer may see, `may_record(viewer, own_only)` the one
    whose uses they may record (`own_only`: only their own, for the form's choices), `label_field`
    names an object, `url(obj)` is its page and `choices_ordered_by` orders the form's choices."""

    def show(ids: list[str], viewer: Any) -> dict[str, UsedByLink]:
        found = visible(viewer).filter(pk__in=_whole_numbers(ids))
        return {
            str(obj.pk): UsedByLink(kind=kind, label=getattr(obj, label_field), url=url(obj))
            for obj in found
        }

    def editable(viewer: Any, ids: list[str] | None) -> dict[str, str]:
        found = may_record(viewer, ids is None)
        if ids is not None:
            found = found.filter(pk__in=_whole_numbers(ids))
        else:
            found = found.order_by(choices_ordered_by)[:EDITABLE_SHOWN]
        return {str(pk): name for pk, name in found.values_list("pk", label_field)}

    register_use_kind(
        kind,
        show,
        label=label,
        editable=editable,
        page=page,
        identify=lambda obj: str(obj.pk),
        listed_on_page=listed_on_page,
    )


def _resources_used_section(
    kind: str,
    identify: Callable[[Any], str],
    listed_on_page: Callable[[Any], Iterable[int | None]] | None,
) -> Callable[[HttpRequest | None, Any], dict[str, Any] | None]:
    def context(request: HttpRequest | None, obj: Any) -> dict[str, Any] | None:
        from kitbag.resources.queries import resources_used_by

        viewer = request.user if request is not None else None
        key = f"{kind}:{identify(obj)}"
        resources = resources_used_by(viewer, key)
        if listed_on_page is not None and resources:
            listed = set(listed_on_page(obj))
            resources = [resource for resource in resources if resource.pk not in listed]
        may_add = may_record(viewer, key)
        if not resources and not may_add:
            return None
        return {
            "resources": resources,
            "may_add": may_add,
            "kind_label": kind_label(kind),
            "key": key,
        }

    return context


def kind_label(kind: str) -> str:
    return str(_labels.get(kind, kind.capitalize()))


def editable_choices(viewer: Any) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """For the "Used by" form: each kind's label and the things of it the viewer may edit, as
    (kind, label, [(key, name), ...]), kinds with none left out. One query per kind."""
    found = []
    for kind in sorted(_editable):
        things = _editable[kind](viewer, None)
        if things:
            choices = sorted(things.items(), key=lambda item: (item[1].lower(), item[0]))
            found.append((kind, kind_label(kind), [(f"{kind}:{i}", name) for i, name in choices]))
    return found


def editable_label(viewer: Any, key: str) -> str | None:
    """The name of the thing `key` names when the viewer may edit it; None otherwise."""
    match = KEY.match(key)
    if match is None or match["kind"] not in _editable:
        return None
    return _editable[match["kind"]](viewer, [match["id"]]).get(match["id"])


def may_record(viewer: Any, key: str) -> bool:
    """Whether the viewer may edit the thing `key` names, so may say it used a resource."""
    return editable_label(viewer, key) is not None


def keys_viewer_may_edit(viewer: Any, keys: Iterable[str]) -> set[str]:
    """Of these keys, those naming things the viewer may edit: one query per kind."""
    ids: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        match = KEY.match(key)
        if match is not None and match["kind"] in _editable:
            ids[match["kind"]].append(match["id"])
    return {f"{kind}:{i}" for kind, wanted in ids.items() for i in _editable[kind](viewer, wanted)}


def check_key(key: str) -> None:
    match = KEY.match(key)
    if match is None:
        raise ValueError(f"{key!r} is not a key like 'case:<id>'")
    if match["kind"] not in _kinds:
        raise ValueError(f"nothing shows uses of kind {match['kind']!r}")


def links_for(uses: Iterable[Use], viewer: Any) -> list[UsedByLink]:
    """The uses the viewer may see, one query per kind however many uses there are."""
    ordered = list(uses)
    ids: dict[str, list[str]] = defaultdict(list)
    for use in ordered:
        ids[use.kind].append(use.object_id)
    shown: dict[str, dict[str, UsedByLink]] = {
        kind: _kinds[kind](kind_ids, viewer) for kind, kind_ids in ids.items() if kind in _kinds
    }
    return [
        replace(shown[use.kind][use.object_id], key=use.key, use_id=use.pk)
        for use in ordered
        if use.object_id in shown.get(use.kind, {})
    ]


def show_cases(ids: list[str], viewer: Any) -> dict[str, UsedByLink]:
    from kitbag.cases.permissions import visible_cases

    wanted = _uuids(ids)
    cases = visible_cases(viewer).public().filter(uuid__in=wanted).only("uuid", "slug", "title")
    return {
        str(case.uuid): UsedByLink(kind="case", label=case.title, url=case.get_absolute_url())
        for case in cases
    }


def show_consultations(ids: list[str], viewer: Any) -> dict[str, UsedByLink]:
    from kitbag.consultations.permissions import visible_consultations

    consultations = visible_consultations(viewer).filter(slug__in=ids).only("slug", "title")
    return {
        c.slug: UsedByLink(kind="consultation", label=c.title, url=c.get_absolute_url())
        for c in consultations
    }


def _uuids(ids: list[str]) -> list[Any]:
    import uuid

    wanted = []
    for value in ids:
        try:
            wanted.append(uuid.UUID(value))
        except ValueError:
            continue
    return wanted


def editable_cases(viewer: Any, ids: list[str] | None) -> dict[str, str]:
    """Cases the viewer may edit (the case's owner, members of its lead organisation, moderators
    and staff); listed for the form, only the viewer's own (owned or their organisations')."""
    from kitbag.cases.permissions import editable_cases as rule

    cases = rule(viewer, own_only=ids is None)
    if ids is not None:
        cases = cases.filter(uuid__in=_uuids(ids))
    else:
        cases = cases.order_by("-updated_at")[:EDITABLE_SHOWN]
    return {str(uuid): title for uuid, title in cases.values_list("uuid", "title")}


def editable_consultations(viewer: Any, ids: list[str] | None) -> dict[str, str]:
    """Consultations the viewer may edit: editors and admins of its organisation, staff."""
    from kitbag.consultations.permissions import editable_consultations as rule

    consultations = rule(viewer, own_only=ids is None)
    if ids is not None:
        consultations = consultations.filter(slug__in=ids)
    else:
        consultations = consultations.order_by("-pk")[:EDITABLE_SHOWN]
    return dict(consultations.values_list("slug", "title"))
