"""A fake ModernGov install on 127.0.0.1 for sync tests, browser tests and the benchmark.

It answers GetCommittees, GetMeetings and GetMeeting under a base path, in the shapes real
installs use (padded counts, True/False, dd/mm/yyyy, "10.00 am", escaped agenda HTML) and with
their habits: it ignores the requested date range and sends a committee's whole history, and it
answers ETag/If-None-Match with 304. Tests can make any operation fail (403, 404, 500), slow down,
or change its data (a cancellation) between syncs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape


@dataclass
class FakeMeeting:
    id: str
    committee_id: str
    date: dt.date
    time: str = "10.00 am"
    status: str = "Confirmed"
    webcast: bool = False
    location: str = "Civic Hall, Committee Room 2"
    finish: str = "12.30 pm"
    documents: list[tuple[str, str]] = field(default_factory=list)  # (attachment id, title)


@dataclass
class FakeModernGov:
    base_path: str = "/democracy"
    committees: dict[str, str] = field(default_factory=dict)
    meetings: dict[str, FakeMeeting] = field(default_factory=dict)
    # operation → HTTP status to answer with instead; "GetMeeting:<id>" for one meeting.
    failures: dict[str, int] = field(default_factory=dict)
    # operation → seconds to wait before answering.
    delays: dict[str, float] = field(default_factory=dict)
    # A body to send as is for an operation (broken XML, an empty answer, an HTML page).
    raw_bodies: dict[str, bytes] = field(default_factory=dict)
    use_etags: bool = True
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}{self.base_path}"

    def add_committee(self, committee_id: str, title: str) -> None:
        self.committees[committee_id] = title

    def add_meeting(self, meeting: FakeMeeting) -> FakeMeeting:
        self.meetings[meeting.id] = meeting
        return meeting

    def request_count(self, operation: str | None = None) -> int:
        return sum(1 for path, _ in self.requests if operation is None or f"/{operation}" in path)

    # --- Answers ------------------------------------------------------------------------------

    def committees_xml(self) -> str:
        rows = "".join(
            f"  <committee>\n    <committeeid>{cid}</committeeid>\n"
            f"    <committeetitle>{escape(title)}</committeetitle>\n"
            "    <committeedeleted>False</committeedeleted>\n"
            "    <committeeexpired>False</committeeexpired>\n"
            "    <committeecategory>Decision-making committees</committeecategory>\n  </committee>\n"
            for cid, title in self.committees.items()
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<committees>\n'
            f"  <committeescount> {len(self.committees)}</committeescount>\n{rows}</committees>\n"
        )

    def meetings_xml(self, committee_id: str) -> str:
        # Like some real installs, the date range asked for is ignored: all history comes back.
        mine = [m for m in self.meetings.values() if m.committee_id == committee_id]
        rows = "".join(
            "        <meeting>\n"
            f"          <meetingid>{m.id}</meetingid>\n"
            f"          <meetingdate>{m.date:%d/%m/%Y}</meetingdate>\n"
            f"          <meetingstatus>{m.status}</meetingstatus>\n"
            f"          <meetingtime>{m.time}</meetingtime>\n"
            f"          <iswebcast>{m.webcast}</iswebcast>\n"
            "        </meeting>\n"
            for m in sorted(mine, key=lambda m: m.date)
        )
        title = escape(self.committees.get(committee_id, ""))
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<getmeetings>\n'
            f"  <meetingscount> {len(mine)}</meetingscount>\n  <committeescount> 1</committeescount>\n"
            f"  <committee>\n    <committeeid>{committee_id}</committeeid>\n"
            f"    <committeetitle>{title}</committeetitle>\n"
            f"    <committeemeetingcount> {len(mine)}</committeemeetingcount>\n"
            f"    <committeemeetings>\n{rows}    </committeemeetings>\n  </committee>\n"
            "</getmeetings>\n"
        )

    def meeting_xml(self, meeting_id: str) -> str | None:
        m = self.meetings.get(meeting_id)
        if m is None:
            return None
        documents = "".join(
            "          <linkeddoc>\n"
            f"            <attachmentid>{aid}</attachmentid>\n"
            f"            <title>{escape(title)}</title>\n"
            "            <isurl>False</isurl>\n"
            f"            <url>http://{self.host}:{self.port}{self.base_path}/mgConvert2PDF.aspx?ID={aid}</url>\n"
            "            <isrestricted>False</isrestricted>\n"
            f"            <publicationdate>{m.date - dt.timedelta(days=7):%d/%m/%Y}</publicationdate>\n"
            "          </linkeddoc>\n"
            for aid, title in m.documents
        )
        agenda_text = escape('<div class="WordSection1"><p>To agree the minutes.</p></div>')
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<meeting>\n'
            f"  <meetingid>{m.id}</meetingid>\n  <meetingdate>{m.date:%d/%m/%Y}</meetingdate>\n"
            f"  <meetingstatus>{m.status}</meetingstatus>\n  <isdisplayallowed>True</isdisplayallowed>\n"
            f"  <meetingtime>{m.time}</meetingtime>\n  <meetingactualstarttime>\n  </meetingactualstarttime>\n"
            f"  <meetingplannedfinishtime>{m.finish}</meetingplannedfinishtime>\n"
            f"  <meetinglocation>{escape(m.location)}</meetinglocation>\n"
            f"  <iswebcast>{m.webcast}</iswebcast>\n  <agendapublished>True</agendapublished>\n"
            "  <decisionpublished>False</decisionpublished>\n  <minutepublished>False</minutepublished>\n"
            "  <meetingroom>\n  </meetingroom>\n  <agendaitems>\n    <agendaitem>\n"
            f"      <agendaitemid>{m.id}01</agendaitemid>\n      <agendaitemtitle>Minutes of the last meeting</agendaitemtitle>\n"
            f"      <agendatext>{agenda_text}</agendatext>\n      <agendaitemnumber>1</agendaitemnumber>\n"
            "      <fulldisplaynumberformat>1.</fulldisplaynumberformat>\n"
            "      <isrestricted>False</isrestricted>\n      <ispubliccanspeak>True</ispubliccanspeak>\n"
            f"      <linkeddocuments>\n{documents}      </linkeddocuments>\n    </agendaitem>\n  </agendaitems>\n"
            '  <attendees>\n    <attendee membertype="U" memberid="7" name="Councillor Ada Example" '
            'roledescription="Chair" attendance="Expected" politicalparty="IND" ward="Riverside">\n'
            "      <homeaddress><line1>1 Secret Lane</line1><mobile>07700 900123</mobile></homeaddress>\n"
            "    </attendee>\n  </attendees>\n</meeting>\n"
        )

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str | bytes]:
        prefix = f"{self.base_path}/mgWebService.asmx/"
        if not path.startswith(prefix):
            return 404, "<html><body>Not found</body></html>"
        operation = path[len(prefix) :]
        meeting_id = query.get("lMeetingId", [""])[0]
        for key in (f"{operation}:{meeting_id}", operation):
            if key in self.failures:
                return self.failures[key], f"<html><body>Error {self.failures[key]}</body></html>"
            if key in self.raw_bodies:
                return 200, self.raw_bodies[key]
        if operation == "GetCommittees":
            return 200, self.committees_xml()
        if operation == "GetMeetings":
            return 200, self.meetings_xml(query.get("lCommitteeId", [""])[0])
        if operation == "GetMeeting":
            body = self.meeting_xml(meeting_id)
            # A real install says 500 for a meeting it does not know.
            return (500, "Server error") if body is None else (200, body)
        return 500, "Web Service method name is not valid."

    # --- Serving ------------------------------------------------------------------------------

    def start(self) -> FakeModernGov:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                fake.requests.append((self.path, dict(self.headers.items())))
                operation = parts.path.rsplit("/", 1)[-1]
                delay = fake.delays.get(operation, 0.0)
                if delay:
                    time.sleep(delay)
                status, body = fake.answer(parts.path, parse_qs(parts.query))
                data = body if isinstance(body, bytes) else body.encode("utf-8")
                etag = f'"{hashlib.sha256(data).hexdigest()[:16]}"'
                if fake.use_etags and status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                if fake.use_etags and status == 200:
                    self.send_header("ETag", etag)
                self.end_headers()
                # The client may have given up waiting (a timeout test).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def running(fake: FakeModernGov) -> Iterator[FakeModernGov]:
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()


def year_of_meetings(
    fake: FakeModernGov, *, committees: int, per_committee: int, start: dt.date
) -> FakeModernGov:
    """Fill `fake` with committees meeting every few days from `start` (benchmark and pages)."""
    spacing = max(1, 365 // max(per_committee, 1))
    for c in range(1, committees + 1):
        cid = str(100 + c)
        fake.add_committee(cid, f"Committee number {c}")
        for n in range(per_committee):
            mid = f"{cid}{n:04d}"
            fake.add_meeting(
                FakeMeeting(
                    id=mid,
                    committee_id=cid,
                    date=start + dt.timedelta(days=n * spacing + c % spacing),
                    documents=[
                        (f"{mid}1", "Agenda frontsheet"),
                        (f"{mid}2", "Public reports pack"),
                    ],
                    webcast=n % 3 == 0,
                )
            )
    return fake
