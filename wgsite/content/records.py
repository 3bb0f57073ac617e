"""The records templates see: plain attributes and lists, no engine internals.

docs/templates.md documents every attribute here; keep the two in step.
Records are filled by `link` once, and read-only while pages render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from markupsafe import Markup

from wgsite.clock import Clock


@dataclass(eq=False)
class ImageSource:
    """One <source> of a <picture>: a format (`image/webp`) and its widths."""

    type: str
    srcset: str


@dataclass(eq=False)
class Image:
    url: str  # the fallback <img src>
    alt: str
    credit: str
    width: int | None  # the original's, so the page keeps its shape while loading
    height: int | None
    srcset: str = ""  # resized copies in the original's format; empty for SVG
    sizes: str = ""
    sources: list[ImageSource] = field(default_factory=list)  # better formats, best first


@dataclass(eq=False)
class Tag:
    name: str
    slug: str
    url: str
    pages: list["Record"] = field(default_factory=list)


@dataclass(eq=False)
class Record:
    """What every content page has, whatever its kind."""

    kind: str
    source: str
    title: str
    slug: str
    url: str
    permalink: str
    date: date | None = None
    summary: str = ""
    tags: list[Tag] = field(default_factory=list)
    image: Image | None = None
    content: Markup = Markup("")
    weight: int = 0
    layout: str = ""
    aliases: list[str] = field(default_factory=list)
    draft: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # fields a site declared itself
    # the records whose relations name this one, by their kind: {"publication": [...]}
    referenced_by: dict[str, list["Record"]] = field(default_factory=dict)
    # a site's own fields that name records: (the phrase naming their kind, the records)
    related: list[tuple[str, list[Any]]] = field(default_factory=list)


@dataclass(eq=False)
class Organisation:
    id: str
    name: str
    url: str
    permalink: str
    short_name: str = ""
    website: str = ""
    country: str = ""
    logo: Image | None = None
    description: Markup = Markup("")
    kind: str = "organisation"
    leads: list["WorkingGroup"] = field(default_factory=list)
    cooperates_in: list["WorkingGroup"] = field(default_factory=list)
    chairs_in: list["WorkingGroup"] = field(default_factory=list)
    projects: list["Project"] = field(default_factory=list)
    news: list["NewsItem"] = field(default_factory=list)
    referenced_by: dict[str, list["Record"]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields a site declared itself

    @property
    def title(self) -> str:
        return self.name


@dataclass(eq=False)
class Priority:
    id: str
    number: int
    title: str
    url: str
    permalink: str
    description: Markup = Markup("")
    kind: str = "priority"
    groups: list["GroupPriority"] = field(default_factory=list)
    projects: list["Project"] = field(default_factory=list)
    referenced_by: dict[str, list["Record"]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields a site declared itself


@dataclass(eq=False)
class ActionType:
    id: str
    title: str
    description: Markup = Markup("")
    groups: list["WorkingGroup"] = field(default_factory=list)
    referenced_by: dict[str, list["Record"]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields a site declared itself


@dataclass(eq=False)
class Chair:
    name: str
    organisation: Organisation | None
    email: str


@dataclass(eq=False)
class GroupPriority:
    """What one group does under one priority; seen from both sides."""

    priority: Priority
    group: "WorkingGroup"
    text: Markup


@dataclass(eq=False)
class PolicyAreas:
    period: str
    items: list[str]


@dataclass(eq=False)
class Occurrence:
    """One date of a recurring meeting, as pages show it and documents name it.

    `date` is the date the series gives (a document's date picks its occurrence by it,
    or by `start`'s date when the meeting was moved); `start` and `end` are aware, in
    the meeting's zone, already moved when `moved` is true.
    """

    meeting: "Meeting"
    date: date
    start: datetime
    end: datetime
    cancelled: bool = False
    moved: bool = False
    scheduled: datetime | None = None  # where a moved meeting would have been
    agenda_url: str = ""
    minutes_url: str = ""
    recording_url: str = ""
    documents: list[Any] = field(default_factory=list)  # filled by the documents kind

    @property
    def has_records(self) -> bool:
        """Whether it has an agenda, minutes, a recording or a document to show."""
        return bool(self.agenda_url or self.minutes_url or self.recording_url
                    or self.documents)

    @property
    def zone_abbreviation(self) -> str:
        """The zone's abbreviation at this moment: CET in winter, CEST in summer."""
        return self.start.tzname() or ""

    @property
    def group(self) -> "WorkingGroup":
        return self.meeting.group


@dataclass(eq=False)
class Meeting:
    """A working group's recurring meeting (see wgsite.content.meetings)."""

    id: str
    title: str
    group: "WorkingGroup"
    recurrence: str  # in words, from data/i18n: "Every third Tuesday of the month"
    time_zone: str  # its IANA name: Europe/Stockholm
    time: str  # HH:MM on that zone's clock
    duration: int  # minutes
    start_date: date
    end_date: date | None = None
    online_url: str = ""
    location: str = ""
    agenda_url: str = ""
    url: str = ""  # its place on the group's page (an href)
    permalink: str = ""  # the same as a full URL
    rule: Any = None  # wgsite.content.meetings.Rule
    tz: Any = None  # its zone, a tzinfo
    occurrences: list[Occurrence] = field(default_factory=list)  # the dates that were or
    # will be, up to a horizon: cancelled, moved and documented ones past it too
    upcoming: list[Occurrence] = field(default_factory=list)  # the next few, from now
    upcoming_all: list[Occurrence] = field(default_factory=list)  # all within 8 weeks
    past: list[Occurrence] = field(default_factory=list)  # the ones that have ended, oldest first
    ended: bool = False  # the series is over (its end_date has passed)

    def occurrence_on(self, day: date) -> Occurrence | None:
        """The occurrence scheduled on `day`, or moved to it; None when there is none."""
        for occurrence in self.occurrences:
            if occurrence.date == day:
                return occurrence
        for occurrence in self.occurrences:
            if occurrence.start.date() == day:
                return occurrence
        return None


@dataclass(eq=False)
class WorkingGroup(Record):
    lead: list[Organisation] = field(default_factory=list)
    cooperation: list[Organisation] = field(default_factory=list)
    chairs: list[Chair] = field(default_factory=list)
    action_types: list[ActionType] = field(default_factory=list)
    priorities: list[GroupPriority] = field(default_factory=list)
    policy_areas: PolicyAreas | None = None
    projects: list["Project"] = field(default_factory=list)
    upcoming_events: list["Event"] = field(default_factory=list)
    past_events: list["Event"] = field(default_factory=list)
    news: list["NewsItem"] = field(default_factory=list)
    related_news: list["NewsItem"] = field(default_factory=list)
    news_url: str = ""
    feed_url: str = ""  # Atom feed of the group's news
    calendar_url: str = ""  # iCalendar file of the group's events and meetings
    meetings: list[Meeting] = field(default_factory=list)
    upcoming_meetings: list[Occurrence] = field(default_factory=list)  # of every meeting


@dataclass(eq=False)
class NewsItem(Record):
    working_groups: list[WorkingGroup] = field(default_factory=list)
    projects: list["Project"] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    previous: "NewsItem | None" = None
    next: "NewsItem | None" = None


@dataclass(eq=False)
class Project(Record):
    acronym: str = ""
    website: str = ""
    status: str = ""
    start: date | None = None
    end: date | None = None
    programme: str = ""
    working_groups: list[WorkingGroup] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    partners: list[Organisation] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)
    events: list["Event"] = field(default_factory=list)


@dataclass(eq=False)
class Event(Record):
    start: date | datetime | None = None
    end: date | datetime | None = None
    all_day: bool = False
    time_zone: str = ""  # its own IANA zone, when it sets one
    tz: Any = None  # that zone (a tzinfo), or None: the site's
    other_zone: bool = False  # its zone's clock differs from the site's at its start
    online_only: bool = False
    location: str = ""
    online_url: str = ""
    registration_url: str = ""
    working_groups: list[WorkingGroup] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    is_upcoming: bool = False
    calendar_url: str = ""  # this one event as an iCalendar file ("add to calendar")


@dataclass(eq=False)
class Paginator:
    number: int
    total: int
    previous_url: str | None
    next_url: str | None
    pages: list[dict[str, Any]]


@dataclass(eq=False)
class ListPage:
    """A page that lists records: /news/, a group's news, a tag..."""

    kind: str
    title: str
    url: str
    permalink: str
    items: list[Any]
    paginator: Paginator | None = None
    summary: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        # page.group on a group's news list, page.tag on a tag page
        try:
            return self.__dict__["extra"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(eq=False)
class Kind:
    """A content kind as templates see it: what it is called and where its list is."""

    name: str  # "working_group": what `page.kind` and `referenced_by` say
    title: str  # "Working groups"
    singular: str  # "Working group"
    collection: str  # "working_groups": its key in `site.lists`
    url: str  # its list's href, or "" when it has none
    builtin: bool  # False for a kind the site declared in data/schema.yaml


@dataclass(eq=False)
class Link:
    title: str
    url: str


@dataclass(eq=False)
class Site:
    """The whole site, resolved: every record and derived list, built once."""

    title: str
    tagline: str
    description: str
    language: str
    base_url: str
    logo: str
    menu: list[Link]
    footer: dict[str, Any]
    colours: dict[str, str]
    page_sizes: dict[str, int]
    clock: Clock  # the build's now: read it as build_date
    priorities_period: str
    preview: bool  # a deploy preview: drafts shown, a banner, robots kept out
    feed_url: str  # Atom feed of all news
    calendar_url: str  # iCalendar file of all events
    all_calendar_url: str = ""  # iCalendar file of all events and meetings
    meetings_url: str = ""  # the upcoming meetings of every group
    upcoming_meetings: list[Occurrence] = field(default_factory=list)  # of every group
    members: int | None = None  # how many members the network has, when the site says
    home: Record | None = None
    working_groups: list[WorkingGroup] = field(default_factory=list)
    news: list[NewsItem] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    upcoming_events: list[Event] = field(default_factory=list)
    past_events: list[Event] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    action_types: list[ActionType] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    pages: list[Record] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # keys a site added to site.yaml
    kinds: list[Kind] = field(default_factory=list)  # every content kind but the home page
    lists: dict[str, list[Record]] = field(default_factory=dict)  # each kind's, by collection

    @property
    def build_date(self) -> datetime:
        """The build's now; a page that shows it is only right for this instant."""
        return self.clock.read()
