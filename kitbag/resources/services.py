"""Every write to the resource library: saving bookmarks (the import and the form share one
function), recording what used a resource, and the link check's findings.

Merge rules, the same for a bookmark file and for the form:
- one resource per normalised address; a bookmark for an address already in the library adds the
  person as a recommender of that resource (or updates their recommendation);
- tags are joined: a person's recommendation keeps every tag it had and gains the new ones;
- their reason ("why", a bookmark's <DD>) is kept once written; a new one fills a blank one only;
- private wins: a bookmark marked private makes that person's recommendation private, and a
  public bookmark never publishes a private one (publish through the form, deliberately);
- a resource is public while any recommendation of it is public; until then its title is that of
  a private bookmark, and the first public recommendation replaces it with its own.
Saving the same bookmarks again changes nothing, and says so (every one counted unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kitbag.accounts.audit import record_audit_event
from kitbag.accounts.models import AuditEvent, User
from kitbag.accounts.permissions import can
from kitbag.core.importing.recording import recorded_import
from kitbag.core.importing.report import ImportReport, Outcome
from kitbag.core.page_cache import public_content_changed
from kitbag.core.refusals import RuleRefused
from kitbag.resources.addresses import normalise_tags, normalise_url
from kitbag.resources.bookmark_files import Bookmark, BookmarkFile, read_bookmark_file
from kitbag.resources.happenings import announce_newly_public
from kitbag.resources.link_checks import LinkAnswer, judge
from kitbag.resources.models import Recommendation, Resource, Tag, Use
from kitbag.resources.search_documents import reindex_resources

SOURCE: Final = "bookmarks"
# Rows per statement: well under SQLite's limit on variables in one statement.
BATCH: Final = 500


class ResourceError(RuleRefused):
    """A write the rules do not allow; `field` names the form field it is about, if any."""


@dataclass
class BookmarkReport(ImportReport):
    """The core import report, with what only a bookmark import has: merges and duplicates."""

    merged: int = 0  # links already in the library from others: the owner joins their recommenders
    encoding: str = "utf-8"
    resources: list[int] = field(default_factory=list)  # every resource the file named

    def notes(self, *, verbosity: int) -> list[str]:
        lines = [
            f"  already in the library from others (you are added as a recommender): {self.merged}"
        ]
        if self.encoding != "utf-8":
            lines.append(f"  read as {self.encoding}, as the file declares")
        return lines


def import_bookmark_file(
    *, data: bytes, owner: User, location: str, folders_as_tags: bool = False
) -> BookmarkReport:
    """Read a whole bookmark file and save it in one transaction, or raise BookmarkFileError
    (the file is refused and nothing is written)."""
    read = read_bookmark_file(data)
    if folders_as_tags:
        read.with_folders_as_tags()
    report = BookmarkReport(source=SOURCE, location=location, encoding=read.encoding)
    _note_refusals(read, report)
    with recorded_import(report):
        _save(read.bookmarks, owner=owner, report=report)
    return report


def _note_refusals(read: BookmarkFile, report: BookmarkReport) -> None:
    for refused in read.refused:
        report.reject(
            file="bookmarks", line=refused.line, reason=f"{refused.address}: {refused.reason}"
        )
    for line, first in read.duplicates:
        report.skip(f"line {line}: the same address as line {first}; merged into one bookmark")
    report.rows_read = len(read.bookmarks) + len(read.refused) + len(read.duplicates)


@transaction.atomic
def recommend(
    *,
    person: User,
    url: str,
    title: str,
    why: str = "",
    tags: Sequence[str] = (),
    is_private: bool = False,
    description: str = "",
) -> Resource:
    """Add a link to the library, or recommend one already there (the merge rules above).

    From the form, privacy is the person's choice as ticked now: the form can publish a private
    recommendation and make a public one private, where a file import only ever makes private."""
    try:
        address = normalise_url(url)
    except ValueError as error:
        message = str(error)
        raise ResourceError(message[:1].upper() + message[1:] + ".", field="url") from None
    bookmark = Bookmark(
        url=address,
        title=" ".join(title.split()) or address,
        line=0,
        description=why.strip(),
        tags=normalise_tags(list(tags)),
        private=is_private,
    )
    report = BookmarkReport(source=SOURCE, location="form")
    _save([bookmark], owner=person, report=report, privacy_as_given=True)
    resource = Resource.objects.get(url=address)
    if description and not resource.description:
        resource.description = description.strip()
        resource.save(update_fields=["description", "updated_at"])
        reindex_resources([resource.pk])
    return resource


def _tags_by_name(names: Iterable[str]) -> dict[str, Tag]:
    wanted = sorted(set(names))
    found: dict[str, Tag] = {}
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        found.update({tag.name: tag for tag in Tag.objects.filter(name__in=chunk)})
    missing = [Tag(name=name) for name in wanted if name not in found]
    if missing:
        Tag.objects.bulk_create(missing, batch_size=BATCH, ignore_conflicts=True)
        for start in range(0, len(missing), BATCH):
            chunk = [tag.name for tag in missing[start : start + BATCH]]
            found.update({tag.name: tag for tag in Tag.objects.filter(name__in=chunk)})
    return found


def _save(
    bookmarks: Sequence[Bookmark],
    *,
    owner: User,
    report: BookmarkReport,
    privacy_as_given: bool = False,
) -> None:
    """Bulk writes in a few statements per 500 bookmarks, so 10,000 take seconds, not minutes."""
    urls = [b.url for b in bookmarks]
    resources: dict[str, Resource] = {}
    for start in range(0, len(urls), BATCH):
        chunk = urls[start : start + BATCH]
        resources.update({r.url: r for r in Resource.objects.filter(url__in=chunk)})
    already_there = set(resources)
    new_resources = [
        Resource(url=b.url, title=b.title, is_public=not b.private)
        for b in bookmarks
        if b.url not in resources
    ]
    Resource.objects.bulk_create(new_resources, batch_size=BATCH)
    for start in range(0, len(new_resources), BATCH):
        chunk = [r.url for r in new_resources[start : start + BATCH]]
        resources.update({r.url: r for r in Resource.objects.filter(url__in=chunk)})

    ids = [resources[url].pk for url in urls]
    mine: dict[int, Recommendation] = {}
    tags_of: dict[int, set[int]] = {}
    for start in range(0, len(ids), BATCH):
        id_chunk = ids[start : start + BATCH]
        for recommendation in Recommendation.objects.filter(person=owner, resource_id__in=id_chunk):
            mine[recommendation.resource_id] = recommendation
            tags_of[recommendation.pk] = set()
        through = Recommendation.tags.through.objects.filter(
            recommendation__person=owner, recommendation__resource_id__in=id_chunk
        )
        for recommendation_id, tag_id in through.values_list("recommendation_id", "tag_id"):
            tags_of[recommendation_id].add(tag_id)
    had_mine = set(mine)
    tag_rows = _tags_by_name(tag for b in bookmarks for tag in b.tags)
    now = timezone.now()

    to_create: list[Recommendation] = []
    to_update: list[Recommendation] = []
    outcomes: dict[str, Outcome] = {}
    for bookmark in bookmarks:
        resource = resources[bookmark.url]
        existing = mine.get(resource.pk)
        if existing is None:
            to_create.append(
                Recommendation(
                    resource=resource,
                    person=owner,
                    why=bookmark.description,
                    is_private=bookmark.private,
                    saved_at=bookmark.added or now,
                )
            )
            outcomes[bookmark.url] = (
                Outcome.UPDATED if bookmark.url in already_there else Outcome.CREATED
            )
            continue
        changed = False
        private = bookmark.private if privacy_as_given else existing.is_private or bookmark.private
        if private != existing.is_private:
            existing.is_private = private
            changed = True
        # A file fills a blank reason only; the form says what the person wants it to be now.
        may_write_why = not existing.why or privacy_as_given
        if bookmark.description and may_write_why and bookmark.description != existing.why:
            existing.why = bookmark.description
            changed = True
        if changed:
            existing.updated_at = now
            to_update.append(existing)
        wanted = {tag_rows[t].pk for t in bookmark.tags}
        outcomes[bookmark.url] = (
            Outcome.UPDATED if changed or wanted - tags_of[existing.pk] else Outcome.UNCHANGED
        )
    Recommendation.objects.bulk_create(to_create, batch_size=BATCH)
    if to_update:
        Recommendation.objects.bulk_update(
            to_update, ["is_private", "why", "updated_at"], batch_size=BATCH
        )
    if to_create:
        for start in range(0, len(to_create), BATCH):
            id_chunk = [r.resource_id for r in to_create[start : start + BATCH]]
            for recommendation in Recommendation.objects.filter(
                person=owner, resource_id__in=id_chunk
            ):
                mine[recommendation.resource_id] = recommendation
                tags_of[recommendation.pk] = set()
    Through = Recommendation.tags.through
    links = [
        Through(recommendation_id=mine[resources[b.url].pk].pk, tag_id=tag_rows[t].pk)
        for b in bookmarks
        for t in b.tags
        if tag_rows[t].pk not in tags_of[mine[resources[b.url].pk].pk]
    ]
    Through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)

    was_public = {url for url in already_there if resources[url].is_public}
    changed_resources = _settle_resources(
        [resources[url] for url in urls if outcomes[url] is not Outcome.UNCHANGED],
        bookmarks={b.url: b for b in bookmarks},
    )
    # Created public here or made public just now (_settle_resources set is_public in place).
    announce_newly_public(
        [
            resources[url].pk
            for url in dict.fromkeys(urls)
            if resources[url].is_public and url not in was_public
        ]
    )
    reindex_resources(changed_resources)
    # Bulk writes send no signals: cached public pages are made stale here (after the commit).
    public_content_changed()
    for bookmark in bookmarks:
        report.count(outcomes[bookmark.url])
    # A new recommender of a resource already in the library (someone else's link).
    report.merged = sum(
        1 for b in bookmarks if b.url in already_there and resources[b.url].pk not in had_mine
    )
    report.resources = ids


def _settle_resources(resources: list[Resource], *, bookmarks: dict[str, Bookmark]) -> list[int]:
    """Each changed resource's is_public from its recommendations, and a public title in place
    of a private one; returns the ids whose search documents may have changed."""
    ids = [r.pk for r in resources]
    public_ids: set[int] = set()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        public_ids.update(
            Recommendation.objects.filter(resource_id__in=chunk, is_private=False)
            .values_list("resource_id", flat=True)
            .distinct()
        )
    to_update = []
    for resource in resources:
        public = resource.pk in public_ids
        if public == resource.is_public:
            continue
        if public and not resource.is_public:
            bookmark = bookmarks[resource.url]
            resource.title = bookmark.title or resource.title
        resource.is_public = public
        resource.updated_at = timezone.now()
        to_update.append(resource)
    if to_update:
        Resource.objects.bulk_update(
            to_update, ["is_public", "title", "updated_at"], batch_size=BATCH
        )
    return ids


@transaction.atomic
def forget_recommendation(*, person: User, resource: Resource) -> None:
    """Take back a recommendation; a resource nobody recommends any more leaves the library."""
    Recommendation.objects.filter(person=person, resource=resource).delete()
    if not resource.recommendations.exists():
        resource_id = resource.pk
        resource.delete()
        reindex_resources([resource_id])
        return
    resource.is_public = resource.recommendations.filter(is_private=False).exists()
    resource.save(update_fields=["is_public", "updated_at"])
    reindex_resources([resource.pk])


@transaction.atomic
def record_use(*, resource: Resource, key: str, by: User | None) -> Use:
    """Say that something elsewhere in Kitbag ("case:<uuid>", "event:12") used the resource.
    Recording the same use twice changes nothing."""
    from kitbag.resources.used_by import check_key

    check_key(key)
    use, _created = Use.objects.get_or_create(resource=resource, key=key, defaults={"added_by": by})
    return use


@transaction.atomic
def say_used(*, resource: Resource, key: str, by: User) -> Use:
    """A person says on a resource's page that something they may edit ("partnership:12") used
    it. Only a resource they may see, only a thing they may edit; saying it twice changes
    nothing."""
    from kitbag.resources.permissions import visible_resources
    from kitbag.resources.used_by import may_record

    if not visible_resources(by).filter(pk=resource.pk).exists():
        raise ResourceError(_("No resource you may see has this number."))
    if not may_record(by, key):
        raise ResourceError(
            _("Choose a case, consultation, partnership or event you may edit."), field="used_by"
        )
    return record_use(resource=resource, key=key, by=by)


@transaction.atomic
def recommend_used_by(*, key: str, person: User, url: str, title: str, **more: Any) -> Resource:
    """Recommend a link (`recommend`) and say that something of the person's used it
    (`say_used`), both or neither."""
    resource = recommend(person=person, url=url, title=title, **more)
    say_used(resource=resource, key=key, by=person)
    return resource


@transaction.atomic
def remove_use(*, use: Use, by: User) -> None:
    """Take back that something used a resource: whoever recorded it, whoever may edit that
    thing, moderators and staff (permissions.py). The audit log keeps who removed what."""
    if not can(by, "remove", use):
        raise PermissionDenied(_("You may not remove this."))
    record_audit_event(
        AuditEvent.Kind.RESOURCE_USE_REMOVED,
        subject=use.added_by,
        actor=by,
        resource_id=use.resource_id,
        key=use.key,
    )
    use.delete()


@transaction.atomic
def record_link_answer(*, resource: Resource, answer: LinkAnswer) -> Resource:
    """What one check of a resource's address found (link_checks.judge says what it means)."""
    judgement = judge(answer, failures_before=resource.failures_in_a_row)
    resource.link_state = judgement.state
    resource.failures_in_a_row = judgement.failures_in_a_row
    resource.last_status = answer.status
    resource.last_problem = answer.problem[:200]
    resource.checked_at = timezone.now()
    resource.save(
        update_fields=[
            "link_state",
            "failures_in_a_row",
            "last_status",
            "last_problem",
            "checked_at",
            "updated_at",
        ]
    )
    return resource
