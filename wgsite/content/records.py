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
class Alternate:
    """This page in one language: what `<link rel="alternate" hreflang>` and the
    language switcher show."""

    lang: str  # "fr"
    name: str  # the language's name in itself: "Français"
    url: str  # the href
    permalink: str
    current: bool = False  # the page being read
    default: bool = False  # in the default language: the x-default for readers of others


@dataclass(eq=False)
class Language:
    """One of the site's languages, with its home page."""

    code: str
    name: str  # in itself: "Deutsch"
    url: str  # its home page's href


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
    lang: str = ""  # the language it is written in: the page's, or the original's
    original: str = ""  # the source of the page it translates (its own for an original)
    alternates: list[Alternate] = field(default_factory=list)  # it in every language


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
    member_of: list["WorkingGroup"] = field(default_factory=list)
    # every group it takes part in, with its roles there, in the groups' order
    groups: list["GroupRole"] = field(default_factory=list)
    projects: list["Project"] = field(default_factory=list)
    news: list["NewsItem"] = field(default_factory=list)
    referenced_by: dict[str, list["Record"]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields a site declared itself
    lang: str = ""
    alternates: list[Alternate] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.name


@dataclass(eq=False)
class GroupRole:
    """An organisation's part in one group: `roles` are among lead, cooperation, member."""

    group: "WorkingGroup"
    roles: list[str]


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
    lang: str = ""
    alternates: list[Alternate] = field(default_factory=list)


@dataclass(eq=False)
class ActionType:
    id: str
    title: str
    description: Markup = Markup("")
    groups: list["WorkingGroup"] = field(default_factory=list)
    referenced_by: dict[str, list["Record"]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields a site declared itself


@dataclass(eq=False)
class Link:
    title: str
    url: str


@dataclass(eq=False)
class Person:
    """Someone of data/people.yaml, or a chair written out on a group's page (no id)."""

    id: str
    name: str
    organisation: Organisation | None = None
    role: str = ""
    email: str = ""  # public: shown, written so that harvesters do not read it
    photo: Image | None = None
    links: list[Link] = field(default_factory=list)
    kind: str = "person"
    chairs: list["WorkingGroup"] = field(default_factory=list)  # the groups they chair now
    contact_for: list["WorkingGroup"] = field(default_factory=list)
    chaired: list["FormerChair"] = field(default_factory=list)  # groups they chaired before
    referenced_by: dict[str, list["Record"]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # fields a site declared itself

    @property
    def title(self) -> str:
        return self.name


Chair = Person  # a group's chairs were their own record before people.yaml


@dataclass(eq=False)
class FormerChair:
    """A former chair of a group, with the years they chaired it (either may be none)."""

    person: Person
    group: "WorkingGroup"
    start: int | None = None  # `from` in front matter
    end: int | None = None  # `to`


@dataclass(eq=False)
class GroupContact:
    """How to join or reach a group: any of these may be empty."""

    email: str = ""
    mailing_list: str = ""
    join: str = ""
    chat: list[Link] = field(default_factory=list)


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
    status: str = "active"  # active, dormant or closed
    started: date | None = None
    status_since: date | None = None  # since when the status holds
    chairs: list[Person] = field(default_factory=list)
    contacts: list[Person] = field(default_factory=list)
    emeritus: list[FormerChair] = field(default_factory=list)  # earliest first
    members: list[Organisation] = field(default_factory=list)
    # (country, its members by name), countries by name; "" (last) for those without one
    members_by_country: list[tuple[str, list[Organisation]]] = field(default_factory=list)
    contact: GroupContact | None = None
    action_types: list[ActionType] = field(default_factory=list)
    priorities: list[GroupPriority] = field(default_factory=list)
    policy_areas: PolicyAreas | None = None
    projects: list["Project"] = field(default_factory=list)
    upcoming_events: list["Event"] = field(default_factory=list)
    past_events: list["Event"] = field(default_factory=list)
    news: list["NewsItem"] = field(default_factory=list)
    related_news: list["NewsItem"] = field(default_factory=list)
    news_url: str = ""
    documents: list["Document"] = field(default_factory=list)  # newest first
    latest_documents: list["Document"] = field(default_factory=list)  # page_sizes.related_documents
    documents_url: str = ""  # the group's document archive
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
class Download:
    """Where a document is read: a file of this site, or an address elsewhere."""

    url: str  # the href
    format: str = ""  # a file's type, from its extension: "PDF"; "" for an address
    size: int | None = None  # a file's size in bytes (format_size says it: "1.2 MB")
    host: str = ""  # an address elsewhere: its host, "www.oecd.org"

    @property
    def external(self) -> bool:
        return self.size is None


@dataclass(eq=False)
class Document(Record):
    document_type: str = ""  # one of the schema's choices: "minutes", "position-paper"
    type_phrase: str = ""  # the phrase naming it: t(document.type_phrase) is "Minutes"
    download: Download | None = None
    language: str = ""  # the document's own language, when given: "fr"
    working_groups: list[WorkingGroup] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    meeting: str = ""  # the id of a meeting of one of its groups (minutes, agendas)


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
    lang: str = ""
    alternates: list[Alternate] = field(default_factory=list)

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
    working_groups: list[WorkingGroup] = field(default_factory=list)  # every one, closed too
    current_groups: list[WorkingGroup] = field(default_factory=list)  # active and dormant
    earlier_groups: list[WorkingGroup] = field(default_factory=list)  # closed
    people: list[Person] = field(default_factory=list)  # data/people.yaml, by name
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
    # every language of the site, the default first; one for a site in one language
    languages: list[Language] = field(default_factory=list)
    default_language: str = ""
    direction: str = "ltr"  # of the language: "rtl" for Arabic, Hebrew...
    chooser_url: str = ""  # the page at / that lets readers choose a language, if any

    @property
    def build_date(self) -> datetime:
        """The build's now; a page that shows it is only right for this instant."""
        return self.clock.read()
