"""Reads that the people pages, the API and other apps share.

Whether a person is shown anywhere outside their own account is decided here, once: their profile
is public and their account active (`is_public_person`, `public_people`, `public_user_ids`).
Events (attendee lists) and digests ask these rather than reading `Profile.is_public` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast

from kitbag.accounts.models import Membership, Profile, User
from kitbag.accounts.permissions import Viewer, can
from kitbag.cases.models import Case
from kitbag.consultations.models import Comment, CommentState, Consultation
from kitbag.core.parts import Figure
from kitbag.network.models import (
    HelpOffer,
    MentoringRequest,
    MentoringState,
    Message,
    MessageReport,
    Offer,
)
from kitbag.network.search_documents import DOC_TYPE
from kitbag.registry.models import Organisation
from kitbag.search.queries import search
from kitbag.vocabularies.models import Code

PAGE_SIZE = 20
# How many of a person's cases and consultations their page lists.
SHOWN_ON_PAGE = 20


# --- Who is public ------------------------------------------------------------------------------


def _public() -> Q:
    return Q(is_public=True, user__is_active=True)


def public_people(
    *,
    user_ids: Iterable[int] | None = None,
    service: str = "",
    tag: str = "",
    offer: str = "",
) -> QuerySet[Profile]:
    """Profiles that their owners chose to make public (of active accounts), with what they offer,
    optionally only those of `user_ids`, or offering help with an LGSL service code, a free tag or
    an Offer. The same for every viewer: the one list other apps may show people from."""
    profiles = Profile.objects.filter(_public())
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=list(user_ids))
    if service:
        profiles = profiles.filter(user__help_offer__services__code=service)
    if tag:
        profiles = profiles.filter(user__help_offer__free_tags__name=" ".join(tag.lower().split()))
    if offer:
        profiles = profiles.filter(offering(offer))
    return (
        profiles.select_related("user", "organisation", "user__help_offer")
        .prefetch_related(
            Prefetch("user__help_offer__services", queryset=Code.objects.order_by("label")),
            "user__help_offer__free_tags",
        )
        .order_by("pk")
    )


def offering(offer: str) -> Q:
    """Profiles whose owner makes `offer`. Offers are fixed slugs stored as a JSON list, so their
    quoted form is found in the list's text alike on SQLite (which has no JSON containment) and
    PostgreSQL."""
    if offer not in Offer.values:
        return Q(pk__in=[])
    return Q(
        pk__in=Profile.objects.annotate(offers_text=Cast("user__help_offer__offers", TextField()))
        .filter(offers_text__contains=f'"{offer}"')
        .values("pk")
    )


def is_public_person(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """Whether anything about `user` may be shown to others (their name on an attendee list, in
    a digest, on a person page)."""
    user_id = getattr(user, "pk", None)
    if not isinstance(user_id, int):
        return False
    return Profile.objects.filter(_public(), user_id=user_id).exists()


def public_user_ids(user_ids: Iterable[int]) -> set[int]:
    """Those of `user_ids` whose profiles are public: for a list of many people, in one query."""
    return set(
        Profile.objects.filter(_public(), user_id__in=list(user_ids)).values_list(
            "user_id", flat=True
        )
    )


def public_person(pk: int) -> Profile | None:
    """A public profile by its id, ready for its page and the API (or None: private or absent)."""
    return public_people().filter(pk=pk).first()


def help_offer_of(profile: Profile) -> HelpOffer | None:
    try:
        return profile.user.help_offer
    except HelpOffer.DoesNotExist:
        return None


def shown_organisation(profile: Profile) -> Organisation | None:
    """The organisation a profile shows, only while the person's membership of it is active."""
    if profile.organisation_id is None:
        return None
    active = (
        Membership.objects.active()
        .filter(user_id=profile.user_id, organisation_id=profile.organisation_id)
        .exists()
    )
    return profile.organisation if active else None


# --- A person's page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonPage:
    profile: Profile
    organisation: Organisation | None
    help_offer: HelpOffer | None
    services: list[Code]
    cases: list[Case]
    consultations_led: list[Consultation]
    consultations_answered: list[Consultation]
    # Partnerships do not exist yet: when they do, their app adds a section to the "person" page
    # (core/page_sections.py) rather than a list here.
    extra: dict[str, Any] = field(default_factory=dict)


def cases_of(user_id: int) -> QuerySet[Case]:
    """Published cases the person owns or is a public contact for."""
    return (
        Case.objects.published()
        .filter(Q(owner_id=user_id) | Q(contacts__user_id=user_id, contacts__is_public=True))
        .select_related("lead_organisation")
        .distinct()
        .order_by("-published_at", "-pk")
    )


def consultations_led_by(user_id: int) -> QuerySet[Consultation]:
    return (
        Consultation.objects.public()
        .filter(created_by_id=user_id)
        .select_related("organisation")
        .order_by("-opens_at", "-pk")
    )


def consultations_answered_by(user_id: int) -> QuerySet[Consultation]:
    """Public consultations in which the person wrote a shown official response."""
    answered = Comment.objects.filter(
        author_id=user_id, is_official=True, state=CommentState.VISIBLE
    ).values("consultation_id")
    return (
        Consultation.objects.public()
        .filter(pk__in=answered)
        .select_related("organisation")
        .order_by("-opens_at", "-pk")
    )


def person_page(pk: int) -> PersonPage | None:
    profile = public_person(pk)
    if profile is None:
        return None
    offer = help_offer_of(profile)
    return PersonPage(
        profile=profile,
        organisation=shown_organisation(profile),
        help_offer=offer,
        services=list(offer.services.all()) if offer else [],
        cases=list(cases_of(profile.user_id)[:SHOWN_ON_PAGE]),
        consultations_led=list(consultations_led_by(profile.user_id)[:SHOWN_ON_PAGE]),
        consultations_answered=list(consultations_answered_by(profile.user_id)[:SHOWN_ON_PAGE]),
    )


# --- Finding people -------------------------------------------------------------------------------


def _typed(value: str, limit: int) -> str:
    """What a searcher typed, without control characters (PostgreSQL refuses NUL in text, and
    no name, tag or code holds any), cut to `limit`."""
    return "".join(ch for ch in value[: limit * 2] if ch.isprintable())[:limit]


@dataclass(frozen=True)
class PeopleSearch:
    query: str = ""
    service: str = ""  # LGSL service code
    tag: str = ""
    offer: str = ""
    organisation: str = ""  # slug
    page: int = 1

    @classmethod
    def from_params(cls, params: Any, *, page: int = 1) -> PeopleSearch:
        """The search a page's or the API's query string asks for (q, service, tag, offer,
        organisation)."""
        return cls(
            query=_typed(params.get("q", ""), 200),
            service=_typed(params.get("service", ""), 32),
            tag=_typed(params.get("tag", ""), 40),
            offer=_typed(params.get("offer", ""), 32),
            organisation=_typed(params.get("organisation", ""), 120),
            page=page,
        )

    def filters(self) -> dict[str, list[str]]:
        wanted = {
            "service": self.service,
            "tag": " ".join(self.tag.lower().split()),
            "offer": self.offer,
            "organisation": self.organisation,
        }
        return {name: [value] for name, value in wanted.items() if value}


@dataclass(frozen=True)
class PersonResult:
    profile: Profile
    organisation: Organisation | None


@dataclass(frozen=True)
class PeopleResults:
    people: list[PersonResult]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]]


def search_people(search_for: PeopleSearch) -> PeopleResults:
    """Public profiles through the search interface; the page and the API share it.

    Only public profiles are indexed, and each hit is read back through `public_people`, so a
    profile made private a moment ago is not shown even before its document goes.
    """
    results = search(
        query=search_for.query,
        doc_type=DOC_TYPE,
        filters=search_for.filters(),
        facets=["service", "tag", "offer", "organisation"],
        public_only=True,
        page=search_for.page,
        page_size=PAGE_SIZE,
        sort="relevance" if search_for.query.strip() else "newest",
    )
    ids = [int(hit.object_id) for hit in results.hits]
    profiles = {profile.pk: profile for profile in public_people().filter(pk__in=ids)}
    active = set(
        Membership.objects.active()
        .filter(user_id__in=[p.user_id for p in profiles.values()])
        .values_list("user_id", "organisation_id")
    )
    people = [
        PersonResult(
            profile=profile,
            organisation=profile.organisation
            if (profile.user_id, profile.organisation_id) in active
            else None,
        )
        for profile in (profiles.get(pk) for pk in ids)
        if profile is not None
    ]
    return PeopleResults(
        people=people,
        total=results.total,
        page=search_for.page,
        pages=max(1, -(-results.total // PAGE_SIZE)),
        facets={name: list(values) for name, values in results.facet_counts.items()},
    )


def service_labels(codes: Iterable[str]) -> dict[str, str]:
    return dict(
        Code.objects.filter(code_list__slug="lgsl-services", code__in=list(codes)).values_list(
            "code", "label"
        )
    )


def people_figures() -> list[Figure]:
    public = Profile.objects.filter(_public())
    return [
        Figure(label="People who can help", value=public.count()),
        Figure(
            label="Offering mentoring",
            value=public.filter(offering(Offer.MENTOR)).count(),
        ),
    ]


# --- Messages and mentoring -----------------------------------------------------------------------


def threads_of(user: User) -> list[Message]:
    """The first message of each thread the person is in, newest first."""
    return list(
        Message.objects.filter(thread__isnull=True)
        .filter(Q(sender=user) | Q(recipient=user))
        .select_related("sender__profile", "recipient__profile")
        .order_by("-created_at", "-pk")
    )


def thread_for(*, pk: int, viewer: Viewer) -> tuple[Message, list[Message]] | None:
    """A thread's first message and every message in it, if the viewer is in it."""
    first = (
        Message.objects.filter(pk=pk, thread__isnull=True)
        .select_related("sender__profile", "recipient__profile")
        .first()
    )
    if first is None or not can(viewer, "view", first):
        return None
    messages = [first, *first.replies.select_related("sender__profile", "recipient__profile")]
    return first, messages


def mentoring_of(user: User) -> tuple[list[MentoringRequest], list[MentoringRequest]]:
    """(asked of the person, asked by the person), newest first."""
    requests = MentoringRequest.objects.select_related("mentee__profile", "mentor__profile")
    return (
        list(requests.filter(mentor=user)),
        list(requests.filter(mentee=user)),
    )


def pending_mentoring_between(*, mentee: User, mentor_id: int) -> MentoringRequest | None:
    return MentoringRequest.objects.filter(
        mentee=mentee, mentor_id=mentor_id, state=MentoringState.PENDING
    ).first()


def open_reports() -> QuerySet[MessageReport]:
    return (
        MessageReport.objects.filter(resolved_at__isnull=True)
        .select_related("message", "message__sender", "message__recipient")
        .order_by("created_at", "pk")
    )


def help_offer_of_user(user: User) -> HelpOffer | None:
    return HelpOffer.objects.filter(user=user).prefetch_related("services", "free_tags").first()


def unread_count(user: User) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def waiting_mentoring_count(user: User) -> int:
    return MentoringRequest.objects.filter(mentor=user, state=MentoringState.PENDING).count()
