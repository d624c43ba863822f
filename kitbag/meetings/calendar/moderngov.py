"""Reading what ModernGov's web service says: a pure module (no Django), easy to test on fixtures.

Everything a ModernGov install gets wrong is handled here, in one place (docs/reference is the
list): counts padded with spaces, "True"/"False" as text, dd/mm/yyyy dates, "10.00 am" times,
whitespace-only empty elements, escaped HTML in agenda text, raw unescaped HTML in some GetMeetings
answers, lists of one, SOAP envelopes around the same payload, base URLs with a path.

Parsing is deliberately forgiving and deliberately narrow. Forgiving: lxml with recover=True reads
what a strict parser would refuse, after raw <div> runs have been wrapped in CDATA. Narrow: only
the elements named below are read. Attendees, councillors and their home addresses or personal
phone numbers are never read, so they can never be stored. Untrusted XML is never expanded: a
document with a DOCTYPE is refused before parsing (ModernGov never sends one), and the parser is
told not to resolve entities, load DTDs or touch the network (docs/decisions/0018).
"""

from __future__ import annotations

import datetime as dt
import html
import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import nh3
from lxml import etree

LONDON = ZoneInfo("Europe/London")
SERVICE_PATH = "mgWebService.asmx"
# Bumped when parsing changes what is stored, so a later job can tell old parses from new.
PARSER_VERSION = 1

# Page names people paste as a "base URL": the service lives in the folder that holds them.
_PAGE_NAME = re.compile(r"/(?:mgWebService\.asmx|[a-z]{2}[A-Za-z0-9]*\.aspx?)$", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Characters XML 1.0 forbids; some installs leak them from pasted Word text.
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CDATA = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
_HTML_TAG = re.compile(r"</?(?P<name>[A-Za-z][A-Za-z0-9]*(?::[A-Za-z0-9]+)?)\b[^<>]*>")
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_BARE_AMPERSAND = re.compile(r"&(?!#\d+;|#x[0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")
# HTML that leaks into ModernGov XML. "title" is missing on purpose: it is a ModernGov element.
_HTML_TAG_NAMES = frozenset(
    [
        "a",
        "abbr",
        "b",
        "big",
        "blockquote",
        "br",
        "caption",
        "center",
        "code",
        "col",
        "colgroup",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
_TAG_IN_TEXT = re.compile(r"</?[A-Za-z][^<>]*>")
_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?(?:[.:]\d{2})?\s*(?P<ampm>[ap])?\.?\s*m?\.?$",
    re.IGNORECASE,
)


class ParseError(ValueError):
    """The answer is not ModernGov XML we can read (empty, HTML, refused or hopelessly broken)."""


class MeetingStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"
    RESCHEDULED = "rescheduled"
    TENTATIVE = "tentative"


class DocumentKind(StrEnum):
    AGENDA = "agenda"
    MINUTES = "minutes"
    DECISIONS = "decisions"
    OTHER = "other"


@dataclass(frozen=True)
class CommitteeRecord:
    source_id: str
    title: str
    category: str = ""
    is_deleted: bool = False
    is_expired: bool = False


@dataclass(frozen=True)
class MeetingStub:
    """One meeting as GetMeetings lists it: enough for a calendar entry, without the agenda."""

    source_id: str
    committee_source_id: str
    date: dt.date
    time: dt.time | None
    status_raw: str
    is_webcast: bool

    @property
    def status(self) -> MeetingStatus:
        return normalise_status(self.status_raw)

    @property
    def start(self) -> dt.datetime:
        return local_datetime(self.date, self.time)


@dataclass(frozen=True)
class DocumentRecord:
    source_id: str
    title: str
    url: str
    is_external: bool
    is_restricted: bool
    publication_date: dt.date | None
    kind: DocumentKind
    agenda_item_source_id: str = ""


@dataclass(frozen=True)
class AgendaItemRecord:
    source_id: str
    order: int | None
    display_number: str
    title: str
    text_html: str
    minutes_html: str
    is_restricted: bool
    public_can_speak: bool
    is_decision: bool


@dataclass(frozen=True)
class MeetingDetail:
    """One meeting as GetMeeting describes it."""

    source_id: str
    date: dt.date
    time: dt.time | None
    finish_time: dt.time | None
    status_raw: str
    location: str
    room: str
    is_webcast: bool
    agenda_published: bool
    minutes_published: bool
    decisions_published: bool
    agenda_items: tuple[AgendaItemRecord, ...] = field(default_factory=tuple)
    documents: tuple[DocumentRecord, ...] = field(default_factory=tuple)

    @property
    def status(self) -> MeetingStatus:
        return normalise_status(self.status_raw)

    @property
    def start(self) -> dt.datetime:
        return local_datetime(self.date, self.time)

    @property
    def end(self) -> dt.datetime | None:
        if self.time is None or self.finish_time is None or self.finish_time <= self.time:
            return None
        return local_datetime(self.date, self.finish_time)


# --- Addresses --------------------------------------------------------------------------------


def normalise_base_url(raw: str) -> str | None:
    """The folder a ModernGov install lives in, without a trailing slash; None if it is not a URL.

    The path is kept (some installs live under /moderngov/ or /Committees), a page name pasted in
    by mistake is dropped, and the query and fragment go. Row shifts in the source data ("Custom
    Base") and other schemes give None.
    """
    text = (raw or "").strip()
    if not text:
        return None
    if "://" not in text and re.match(r"^[a-z0-9.-]+\.[a-z]{2,}(/|$)", text, re.IGNORECASE):
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    if any(character.isspace() for character in parts.netloc):
        return None
    path = _PAGE_NAME.sub("", parts.path.rstrip("/")).rstrip("/")
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, path, "", ""))


def base_url_candidates(base_url: str) -> list[str]:
    """Where to try the service, best first: https before a registry's http (many now redirect)."""
    parts = urlsplit(base_url)
    https = urlunsplit(("https", parts.netloc, parts.path, "", ""))
    return [https] if parts.scheme == "https" else [https, base_url]


def operation_url(base_url: str, operation: str, params: dict[str, str] | None = None) -> str:
    """The plain HTTP GET form of a web-service operation: {base}/mgWebService.asmx/{op}?…"""
    query = f"?{urlencode(params)}" if params else ""
    return f"{base_url.rstrip('/')}/{SERVICE_PATH}/{operation}{query}"


def meetings_params(committee_id: str, date_from: dt.date, date_to: dt.date) -> dict[str, str]:
    # The server wants dd/mm/yyyy; ISO dates make some installs ignore the range altogether.
    return {
        "lCommitteeId": committee_id,
        "sFromDate": date_from.strftime("%d/%m/%Y"),
        "sToDate": date_to.strftime("%d/%m/%Y"),
    }


def public_meeting_url(base_url: str, committee_id: str, meeting_id: str) -> str:
    """The council's own page for a meeting (agenda, reports, minutes)."""
    return f"{base_url.rstrip('/')}/ieListDocuments.aspx?{urlencode({'CId': committee_id, 'MId': meeting_id})}"


def public_committee_url(base_url: str, committee_id: str) -> str:
    return f"{base_url.rstrip('/')}/mgCommitteeDetails.aspx?{urlencode({'ID': committee_id})}"


# --- Values -----------------------------------------------------------------------------------


def clean_text(value: str | None) -> str:
    """Whitespace-only elements are empty; runs of whitespace become one space."""
    return " ".join((value or "").split())


def parse_bool(value: str | None) -> bool | None:
    text = clean_text(value).lower()
    if text in {"true", "1", "yes", "y"}:
        return True
    if text in {"false", "0", "no", "n"}:
        return False
    return None


def parse_int(value: str | None) -> int | None:
    text = clean_text(value)
    try:
        return int(text)
    except ValueError:
        return None


def parse_date(value: str | None) -> dt.date | None:
    """dd/mm/yyyy (ModernGov's form, sometimes with a time after it); ISO as a fallback."""
    text = clean_text(value)
    if not text or text.lower() == "unspecified":
        return None
    day_first = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})\b", text)
    try:
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            return dt.date(year, month, day)
        iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
        if iso:
            return dt.date(*(int(part) for part in iso.groups()))
    except ValueError:
        return None
    return None


def parse_time(value: str | None) -> dt.time | None:
    """ "10.00 am", "2.00 pm", "10:30", "10am", "14.30", "12 noon"; None when not a time."""
    text = clean_text(value).lower()
    if not text:
        return None
    if text in {"noon", "midday", "12 noon", "12.00 noon", "12:00 noon"}:
        return dt.time(12, 0)
    # "10.00 am - 12.00 pm" is a start and an end: the start is what a calendar needs.
    text = re.split(r"\s*(?:-|–|\bto\b)\s*", text, maxsplit=1)[0]
    match = _TIME.match(text.replace(" ", ""))
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    ampm = match["ampm"]
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def local_datetime(date: dt.date, time: dt.time | None) -> dt.datetime:
    """A meeting's start in Europe/London; a meeting with no time starts at midnight."""
    return dt.datetime.combine(date, time or dt.time(0, 0), tzinfo=LONDON)


def normalise_status(raw: str) -> MeetingStatus:
    text = clean_text(raw).lower()
    if text.startswith(("cancel", "abandon")):
        return MeetingStatus.CANCELLED
    if text.startswith("postpon"):
        return MeetingStatus.POSTPONED
    if text.startswith(("reschedul", "moved")):
        return MeetingStatus.RESCHEDULED
    if text in {"confirmed", "scheduled", "held", "approved"}:
        return MeetingStatus.CONFIRMED
    return MeetingStatus.TENTATIVE


def document_kind(title: str) -> DocumentKind:
    lowered = title.lower()
    if "minute" in lowered:
        return DocumentKind.MINUTES
    if "decision" in lowered:
        return DocumentKind.DECISIONS
    if "agenda" in lowered:
        return DocumentKind.AGENDA
    return DocumentKind.OTHER


# Agenda text is a council's own Word-made HTML: keep its structure, none of its styling.
_AGENDA_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a", "table", "thead"}
_AGENDA_TAGS |= {"tbody", "tr", "th", "td", "h3", "h4", "h5", "h6", "blockquote"}


def sanitise_html(value: str | None) -> str:
    """Escaped (or twice-escaped) HTML from an agenda item, made safe to show."""
    text = (value or "").strip()
    if not text:
        return ""
    if text.startswith("&lt;") or "&lt;/" in text:
        text = html.unescape(text)
    cleaned = nh3.clean(
        text,
        tags=_AGENDA_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    ).strip()
    # Word leaves empty paragraphs and non-breaking spaces; an item with no words has no text.
    if not clean_text(re.sub(r"<[^>]+>|&nbsp;|\xa0", " ", cleaned)):
        return ""
    return cleaned


# --- XML --------------------------------------------------------------------------------------


def _decode(body: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("latin-1")


def _escape_raw_html(text: str) -> str:
    """Turn raw HTML that a server left unescaped into text, so it cannot break the tree.

    Some installs put Word's HTML straight into the XML. Its tags are often unbalanced (an
    unclosed <b> would swallow the elements after it), so instead of parsing them each HTML tag is
    escaped back into text, bare ampersands become &amp;, and HTML's named entities become
    characters. CDATA sections are already text and are left alone.
    """
    pieces = _CDATA.split(text)
    for index in range(0, len(pieces), 2):
        piece = _HTML_TAG.sub(_escape_tag, pieces[index])
        piece = _NAMED_ENTITY.sub(_entity_to_character, piece)
        pieces[index] = _BARE_AMPERSAND.sub("&amp;", piece)
    return "".join(pieces)


def _escape_tag(match: re.Match[str]) -> str:
    name = match["name"].lower()
    # Word's own tags (<o:p>, <w:sdt>, <st1:place>) leak too; real namespaces (soap:) do not.
    if name in _HTML_TAG_NAMES or name.partition(":")[0] in {"o", "w", "v", "m", "st1"}:
        return match.group(0).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return match.group(0)


def _entity_to_character(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in {"amp", "lt", "gt", "quot", "apos"}:
        return match.group(0)
    character = html.entities.html5.get(f"{name};")
    return html.escape(character, quote=False) if character else f"&amp;{name};"


def parse_xml(body: bytes) -> Any:
    """The document's root element with namespaces stripped and tags lower-cased."""
    if not body or not body.strip():
        raise ParseError("The answer was empty.")
    if _DOCTYPE.search(body[:4096]):
        raise ParseError("The answer declares a DOCTYPE or entities; it is not ModernGov XML.")
    text = _XML_DECLARATION.sub("", _decode(body), count=1)
    text = _INVALID_XML_CHARS.sub("", text)
    text = _escape_raw_html(text)
    parser = etree.XMLParser(
        recover=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    root = etree.fromstring(text.encode("utf-8"), parser=parser)
    if root is None:
        raise ParseError("The answer is not XML.")
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname.lower()
    if root.tag in {"html", "body", "head"}:
        raise ParseError("The answer is an HTML page, not the web service.")
    return root


def _payload(root: Any, name: str) -> Any | None:
    """The first element called `name`, the root itself or inside a SOAP envelope."""
    if root.tag == name:
        return root
    return next(root.iter(name), None)


def _child_text(element: Any, name: str) -> str:
    child = element.find(name)
    if child is None:
        return ""
    return "".join(child.itertext())


def _text(element: Any, name: str) -> str:
    """A plain-text field: any HTML a server put in it is dropped, its words kept."""
    return clean_text(html.unescape(_TAG_IN_TEXT.sub(" ", _child_text(element, name))))


def _flag(element: Any, name: str) -> bool:
    return bool(parse_bool(_child_text(element, name)))


def parse_committees(body: bytes) -> list[CommitteeRecord]:
    root = parse_xml(body)
    container = _payload(root, "committees")
    if container is None:
        if root.tag == "committee" or root.find(".//committee") is not None:
            container = root
        else:
            raise ParseError("The answer has no <committees> element.")
    records: dict[str, CommitteeRecord] = {}
    for element in container.iter("committee"):
        source_id = _text(element, "committeeid")
        title = _text(element, "committeetitle")
        if not source_id or not title:
            continue
        records[source_id] = CommitteeRecord(
            source_id=source_id,
            title=title,
            category=_text(element, "committeecategory"),
            is_deleted=_flag(element, "committeedeleted"),
            is_expired=_flag(element, "committeeexpired"),
        )
    return list(records.values())


def parse_meetings(
    body: bytes,
    *,
    committee_id: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[MeetingStub]:
    """Meetings of one committee, kept only when their date is in [date_from, date_to].

    Some servers ignore the requested range and send a committee's whole history, so the range
    is applied here too. An answer with counts and no meetings is an empty list, not an error.
    """
    root = parse_xml(body)
    recognised = root.tag in {"getmeetings", "meetings", "committee", "getmeetingsbydate"}
    if not recognised and next(root.iter("meetingscount", "meeting"), None) is None:
        raise ParseError("The answer has no meetings element.")
    stubs: dict[str, MeetingStub] = {}
    for committee in _committees_with_meetings(root, committee_id):
        owner = _text(committee, "committeeid") or committee_id
        for element in committee.iter("meeting"):
            stub = _meeting_stub(element, owner)
            if stub is None:
                continue
            if date_from is not None and stub.date < date_from:
                continue
            if date_to is not None and stub.date > date_to:
                continue
            stubs[stub.source_id] = stub
    return sorted(stubs.values(), key=lambda stub: (stub.start, stub.source_id))


def _committees_with_meetings(root: Any, committee_id: str) -> Iterator[Any]:
    committees = [c for c in root.iter("committee") if c.find(".//meeting") is not None]
    if not committees:
        yield root
        return
    for committee in committees:
        owner = _text(committee, "committeeid")
        # A server that answers for several committees: keep only the one asked about.
        if owner and committee_id and owner != committee_id:
            continue
        yield committee


def _meeting_stub(element: Any, committee_id: str) -> MeetingStub | None:
    source_id = _text(element, "meetingid")
    date = parse_date(_child_text(element, "meetingdate"))
    if not source_id or date is None:
        return None
    return MeetingStub(
        source_id=source_id,
        committee_source_id=_text(element, "committeeid") or committee_id,
        date=date,
        time=parse_time(_child_text(element, "meetingtime")),
        status_raw=_text(element, "meetingstatus"),
        is_webcast=_flag(element, "iswebcast"),
    )


def parse_meeting(body: bytes) -> MeetingDetail:
    root = parse_xml(body)
    element = root if root.tag == "meeting" else None
    if element is None:
        element = next((m for m in root.iter("meeting") if m.find("meetingid") is not None), None)
    if element is None:
        raise ParseError("The answer has no <meeting> element.")
    source_id = _text(element, "meetingid")
    date = parse_date(_child_text(element, "meetingdate"))
    if not source_id or date is None:
        raise ParseError("The meeting has no id or no date.")
    items: list[AgendaItemRecord] = []
    documents: dict[str, DocumentRecord] = {}
    agenda = element.find("agendaitems")
    for item in agenda.iter("agendaitem") if agenda is not None else []:
        record = _agenda_item(item)
        if record is not None:
            items.append(record)
        for linked in item.iter("linkeddoc"):
            document = _document(linked, agenda_item_source_id=record.source_id if record else "")
            if document is not None:
                documents.setdefault(document.url, document)
    # Some installs list the meeting's own documents (the agenda pack) outside any item.
    for container in element.findall("linkeddocuments"):
        for linked in container.iter("linkeddoc"):
            document = _document(linked, agenda_item_source_id="")
            if document is not None:
                documents.setdefault(document.url, document)
    location = _text(element, "meetinglocation")
    room = _text(element, "meetingroom")
    return MeetingDetail(
        source_id=source_id,
        date=date,
        time=parse_time(_child_text(element, "meetingtime")),
        finish_time=parse_time(_child_text(element, "meetingplannedfinishtime")),
        status_raw=_text(element, "meetingstatus"),
        location=location,
        room=room if room != location else "",
        is_webcast=_flag(element, "iswebcast"),
        agenda_published=_flag(element, "agendapublished"),
        minutes_published=_flag(element, "minutepublished"),
        decisions_published=_flag(element, "decisionpublished"),
        agenda_items=tuple(sorted(items, key=lambda i: (i.order is None, i.order or 0))),
        documents=tuple(documents.values()),
    )


def _agenda_item(element: Any) -> AgendaItemRecord | None:
    source_id = _text(element, "agendaitemid")
    title = _text(element, "agendaitemtitle")
    if not source_id or not title:
        return None
    return AgendaItemRecord(
        source_id=source_id,
        order=parse_int(_child_text(element, "agendaitemnumber")),
        display_number=_text(element, "fulldisplaynumberformat"),
        title=title,
        text_html=sanitise_html(_child_text(element, "agendatext")),
        minutes_html=sanitise_html(_child_text(element, "minutesnonemptyhtmlbody")),
        is_restricted=_flag(element, "isrestricted"),
        public_can_speak=_flag(element, "ispubliccanspeak"),
        is_decision=_flag(element, "isdecision"),
    )


def _document(element: Any, *, agenda_item_source_id: str) -> DocumentRecord | None:
    url = _text(element, "url")
    title = _text(element, "title")
    if not url or urlsplit(url).scheme.lower() not in {"http", "https"}:
        return None
    return DocumentRecord(
        source_id=_text(element, "attachmentid"),
        title=title or url,
        url=url,
        is_external=_flag(element, "isurl"),
        is_restricted=_flag(element, "isrestricted"),
        publication_date=parse_date(_child_text(element, "publicationdate")),
        kind=document_kind(title),
        agenda_item_source_id=agenda_item_source_id,
    )


# --- Shared installs --------------------------------------------------------------------------


def attribute_committee(title: str, councils: dict[str, list[str]]) -> str | None:
    """Which council of a shared install a committee belongs to: its key, or None for joint.

    `councils` maps each council's key to the names it goes by ("Adur", "Adur District Council").
    A committee is a council's when its title names that council and no other; "Joint …"
    committees, and titles naming both or neither, belong to the install as a whole.
    """
    if len(councils) == 1:
        return next(iter(councils))
    lowered = f" {title.lower()} "
    if re.search(r"\bjoint\b", lowered):
        return None
    named = {
        key
        for key, names in councils.items()
        if any(re.search(rf"\b{re.escape(name.lower())}\b", lowered) for name in names if name)
    }
    return named.pop() if len(named) == 1 else None
