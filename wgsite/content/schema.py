"""The content schema and the registry of content kinds, declared once as data.

Each content kind (working group, news, project, event, page, and any kind a
site declares in data/schema.yaml) is one `ContentType`: its folder, file
names, URLs, templates, record class, list, phrases and fields. Reading,
validation, linking, routes, search, the CMS, `new` and the reference all
derive from these declarations; nothing else in the engine lists the kinds.
Each data file is a `Field` declaration of the same kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from wgsite.content import records as r


@dataclass(frozen=True)
class Field:
    """One key of front matter or data: its kind and what values it accepts.

    kind is one of: string, text, markdown, bool, int, date, datetime, url,
    email, slug, colour (CSS), key (snake_case), path (on the site, or a URL), site_path (on the site only),
    image, file (a document in assets/documents/), choice, relation, list, object, time
    (HH:MM, a time of day), time_zone (an IANA name such as Europe/Brussels).
    """

    name: str
    kind: str
    required: bool = False
    help: str = ""
    example: object = None
    choices: tuple[str, ...] = ()
    target: str = ""  # the collection a relation names
    item: "Field | None" = None  # what a list holds
    fields: tuple["Field", ...] = ()  # what an object holds
    translatable: bool | None = None  # None: decided by its kind (see `words`)
    # a relation that may instead be written out in place, as this object: a chair named
    # by a person id, or with name and organisation where people.yaml does not list them
    inline: "Field | None" = None

    def field(self, name: str) -> "Field | None":
        """The declaration of key `name` of an object."""
        return next((f for f in self.fields if f.name == name), None)

    @property
    def words(self) -> bool:
        """Whether a translation says this value in its own language (a title, a summary,
        a group's text under a priority), or takes it from the original, as it does facts
        (dates, relations, status, start and end, images, ids). Text is words unless
        declared otherwise; a list or object is words when something in it is."""
        if self.translatable is not None:
            return self.translatable
        if self.kind == "list":
            return self.item is not None and self.item.words
        if self.kind == "object":
            return any(f.words for f in self.fields)
        return self.kind in ("string", "text", "markdown")


@dataclass(frozen=True)
class ContentType:
    """One kind of content: a folder of Markdown files, its pages, its list and its fields."""

    name: str  # the record's `kind` and what relations name: "working_group"
    folder: str  # under content/; "" for plain pages at the top
    url: str  # the item's URL pattern, with {slug}
    fields: tuple[Field, ...]
    plural: str = ""  # its name in the plural, as a key: "working_groups" (CMS, site.lists)
    title: str = ""  # its name in the plural ("Working groups"): the CMS, the reference
    singular: str = ""  # "Working group": `new`, the reference, the CMS
    record: type = r.Record  # what templates see of one item
    template: str = "item.html"  # the item's template, unless a page sets `layout`
    list_url: str = ""  # the URL of the list of every item; "" when there is none
    list_route: str = ""  # the list's route name, for url_for() in templates
    list_template: str = "list.html"
    page_size: str = ""  # the page_sizes key that paginates the list; "" for one page
    default_page_size: int = 0  # for a site's own kind: its size unless page_sizes says
    dated_file_names: bool = False  # news: content/news/YYYY-MM-DD-slug.md
    body_help: str = ""
    builtin: bool = True  # False for a kind a site declared in data/schema.yaml
    # whether its list is published when it has no items; documents' is not, so that a
    # site that publishes none gets no empty /documents/ (nor empty group archives)
    empty_list: bool = True

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def command(self) -> str:
        """Its name on the command line: `new working-group "Title"`."""
        return self.name.replace("_", "-")

    @property
    def collection(self) -> str:
        """Its name in the plural, as a key: the CMS collection, `site.lists`."""
        return self.plural or f"{self.name}s"

    @property
    def list_phrase(self) -> str:
        """The interface phrase (data/i18n) naming its list: "Working groups"."""
        return self.collection

    @property
    def item_phrase(self) -> str:
        """The interface phrase naming one item, as search's type filter shows it."""
        return f"search_kind_{self.name}"

    @property
    def file_pattern(self) -> str:
        """Where its files live: content/news/YYYY-MM-DD-<slug>.md."""
        name = "YYYY-MM-DD-<slug>.md" if self.dated_file_names else "<slug>.md"
        if self.name == "home":
            return "content/_index.md"
        return f"content/{self.folder}/{name}" if self.folder else f"content/{name}"

    def phrases(self) -> dict[str, str]:
        """Default interface phrases for a kind a site declared (the theme has none)."""
        return {self.list_phrase: self.title, self.item_phrase: self.singular}


def _ids(name: str, target: str, help: str, example: list, required: bool = False) -> Field:
    return Field(name, "list", required, help, example,
                 item=Field(name, "relation", target=target))


_TEXT_LIST = Field("item", "string")

COMMON_FIELDS: tuple[Field, ...] = (
    Field("title", "string", True, "The title, shown as the page's heading.", "Mobility"),
    Field("slug", "slug", help="The last part of the URL; by default the file name "
          "without its date.", example="mobility"),
    Field("date", "date", help="The date of publication.", example="2025-05-14"),
    Field("summary", "text", help="One or two sentences for lists, cards and search engines.",
          example="How the network's regions open learning to the world."),
    Field("draft", "bool", help="true keeps the page out of the published site.", example=False),
    Field("publish_date", "datetime", help="Keep the page out until this date.",
          example="2026-01-15"),
    Field("expiry_date", "datetime", help="Take the page out after this date.",
          example="2027-12-31"),
    Field("tags", "list", help="Topics; each gets a page listing what carries it.",
          example=["mobility", "erasmus-plus"], item=_TEXT_LIST, translatable=False),
    Field("weight", "int", help="Order in lists: lower comes first.", example=10),
    Field("aliases", "list", help="Old URLs of this page that must lead here.",
          example=["/old/mobility/"], item=Field("alias", "site_path")),
    Field("layout", "string", help="Another template for this page.", example="page.html",
          translatable=False),
    Field("translation_key", "string", help="Links translations whose file names differ: "
          "the same key in each.", example="mobility-agenda-2025", translatable=False),
    Field("image", "image", help="A picture, as a path inside assets/.",
          example="images/news/launch.svg"),
    Field("image_alt", "string", help="What the picture shows, for readers who cannot see it.",
          example="Delegates around a map of Europe"),
    Field("image_credit", "string", help="Who made the picture.", example="Image by Jane Doe"),
)

_INLINE_CHAIR = Field("chair", "object", fields=(
    Field("name", "string", True, "The chair's name.", "Maria Svensson", translatable=False),
    Field("organisation", "relation", help="The chair's organisation id.",
          example="region-vastra-gotaland", target="organisation"),
    Field("email", "email", help="A public contact address, shown so that address "
          "harvesters do not read it.", example="mobility@example.org"),
))
_CHAIR = Field("chair", "relation", target="person", inline=_INLINE_CHAIR)

_FORMER_CHAIR = Field("former_chair", "object", fields=(
    Field("person", "relation", True, "The person's id in data/people.yaml.", "anna-lind",
          target="person"),
    Field("from", "int", help="The year they began to chair the group.", example=2019),
    Field("to", "int", help="The year they stopped.", example=2023),
))

_CONTACT = Field("contact", "object", help="How to join the group or reach it: shown as a "
                 "\"Join or contact this group\" box.", fields=(
    Field("email", "email", help="The group's address (or its mailing list's), shown so "
          "that address harvesters do not read it.", example="mobility@example.org"),
    Field("mailing_list", "path", help="Where to subscribe to the group's mailing list.",
          example="https://lists.example.org/mobility"),
    Field("join", "path", help="A form or page for joining the group.", example="/join/"),
    Field("chat", "list", help="The group's chat rooms or channels.",
          example=[{"title": "Matrix", "url": "https://matrix.to/#/#mobility:example.org"}],
          item=Field("link", "object", fields=(
              Field("title", "string", True, "The link's text.", "Matrix"),
              Field("url", "url", True, "Its address.", "https://matrix.to/#/#mobility:example.org"),
          ))),
))

_GROUP_PRIORITY = Field("entry", "object", fields=(
    Field("priority", "relation", True, "The priority's id or number.", 1, target="priority"),
    Field("text", "markdown", True, "What the group does under that priority.",
          "The group exchanges practice on inclusive mobility."),
))

_POLICY_AREAS = Field("policy_areas", "object", help="The policy areas the group follows.",
                      fields=(
    Field("period", "string", True, "The years covered.", "2023-2024"),
    Field("items", "list", True, "One line per policy area.",
          ["Learning mobility for all"], item=_TEXT_LIST),
))

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Which of its weekdays in the month a monthly meeting takes: "third Tuesday".
WEEKS = ("first", "second", "third", "fourth", "last")

_RECURRENCE = Field("recurrence", "object", True, "How often the meeting comes back.",
                    {"frequency": "monthly", "week": "third", "weekday": "tuesday"}, fields=(
    Field("frequency", "choice", True, "weekly, or monthly.", "monthly",
          choices=("weekly", "monthly")),
    Field("interval", "int", help="Every how many weeks or months (default 1: every "
          "week, every month).", example=2),
    Field("weekday", "choice", help="The day of the week it falls on (default: the "
          "weekday of start_date).", example="tuesday", choices=WEEKDAYS),
    Field("week", "choice", help="For a monthly meeting: which of that weekday in the month "
          "(\"third\" Tuesday); without it, the day of the month of start_date.",
          example="third", choices=WEEKS),
))

_MOVED = Field("move", "object", fields=(
    Field("date", "date", True, "The date the meeting would have fallen on.", "2026-05-19"),
    Field("to", "date", True, "The date it takes place instead.", "2026-05-20"),
    Field("time", "time", help="Its time that day, if not the usual one.", example="14:00"),
))

_SESSION = Field("session", "object", fields=(
    Field("date", "date", True, "The date of the meeting (as scheduled).", "2026-02-17"),
    Field("agenda_url", "url", help="That meeting's agenda.",
          example="https://example.org/agenda-2026-02.pdf"),
    Field("minutes_url", "url", help="Its minutes.",
          example="https://example.org/minutes-2026-02.pdf"),
    Field("recording_url", "url", help="Its recording.",
          example="https://example.org/recording-2026-02"),
))

MEETING = Field("meeting", "object", fields=(
    Field("id", "slug", True, "A short id, unique in the group: documents name the meeting "
          "by it.", "steering", translatable=False),
    Field("title", "string", True, "The meeting's name.", "Monthly online meeting"),
    _RECURRENCE,
    Field("start_date", "date", True, "The first day the series may fall on.", "2026-01-01"),
    Field("end_date", "date", help="The last day it may fall on; without it, the series "
          "goes on.", example="2026-12-31"),
    Field("time", "time", True, "When it starts, on the clock of its time zone (HH:MM).",
          "10:00"),
    Field("duration", "int", True, "How long it lasts, in minutes.", 90),
    Field("time_zone", "time_zone", True, "The time zone whose clock `time` follows, all "
          "year round, across daylight saving.", "Europe/Stockholm"),
    Field("online_url", "url", help="Where to join online.",
          example="https://meet.example.org/mobility"),
    Field("location", "string", help="Where it takes place, when it meets in a place.",
          example="Regional office, Gothenburg"),
    Field("agenda_url", "url", help="The standing agenda of the series.",
          example="https://example.org/mobility-agenda"),
    Field("cancelled", "list", help="Dates the meeting does not take place.",
          example=["2026-04-21"], item=Field("date", "date")),
    Field("moved", "list", help="Dates the meeting takes place on another day or time.",
          item=_MOVED, example=[{"date": "2026-05-19", "to": "2026-05-20"}]),
    Field("sessions", "list", help="Links of single meetings: agenda, minutes, recording.",
          item=_SESSION, example=[{"date": "2026-02-17",
                                   "minutes_url": "https://example.org/minutes.pdf"}]),
))

WORKING_GROUP = ContentType(
    "working_group", "working-groups", "/working-groups/{slug}/",
    title="Working groups", singular="Working group", record=r.WorkingGroup,
    template="working_group.html", list_url="/working-groups/", plural="working_groups", list_route="working_groups",
    list_template="working_groups.html",
    fields=COMMON_FIELDS + (
        _ids("lead", "organisation", "The organisations that lead the group.",
             ["region-vastra-gotaland"], required=True),
        _ids("cooperation", "organisation", "The organisations it works with.", ["movetia"]),
        Field("status", "choice", help="Whether the group works now: active (the default), "
              "dormant (paused, may start again) or closed (ended; its page stays, outside the "
              "main list).", example="active", choices=("active", "dormant", "closed"),
              translatable=False),
        Field("started", "date", help="When the group began.", example="2016-03-01"),
        Field("status_since", "date", help="Since when the status holds: the day the group "
              "became dormant or closed.", example="2024-12-31"),
        Field("chairs", "list", help="The people who chair the group: ids from "
              "data/people.yaml, or written out with name, organisation and email.",
              item=_CHAIR, example=["maria-svensson"]),
        _ids("contacts", "person", "The people to ask about the group (ids from "
             "data/people.yaml), besides its chairs.", ["jonas-weber"]),
        Field("emeritus", "list", help="Former chairs, with the years they chaired.",
              item=_FORMER_CHAIR, example=[{"person": "anna-lind", "from": 2019, "to": 2023}]),
        _ids("members", "organisation", "The member organisations, listed on the page by "
             "country.", ["region-tuscany"]),
        _CONTACT,
        _ids("action_types", "action_type", "The kinds of action the group takes.",
             ["capacity-building"]),
        Field("priorities", "list", help="What the group does under each strategic priority.",
              item=_GROUP_PRIORITY,
              example=[{"priority": 1, "text": "The group compares how regions fund mobility."}]),
        _POLICY_AREAS,
        Field("meetings", "list", help="The group's recurring meetings.", item=MEETING,
              example=[{"id": "monthly", "title": "Monthly meeting",
                        "recurrence": {"frequency": "monthly", "week": "third",
                                       "weekday": "tuesday"},
                        "start_date": "2026-01-01", "time": "10:00", "duration": 60,
                        "time_zone": "Europe/Stockholm"}]),
    ),
    body_help="The group's introduction.",
)

NEWS = ContentType(
    "news", "news", "/news/{slug}/",
    title="News", singular="News item", record=r.NewsItem, template="news.html",
    list_url="/news/", plural="news", list_route="news_list", list_template="news_list.html", page_size="news",
    fields=tuple(Field("date", "date", True, f.help, f.example) if f.name == "date" else f
          for f in COMMON_FIELDS) + (
        _ids("working_groups", "working_group", "The groups this news is about.", ["mobility"]),
        _ids("projects", "project", "The projects it mentions.", ["venhans"]),
        _ids("organisations", "organisation", "The organisations it names.", ["oecd"]),
    ),
    dated_file_names=True,
    body_help="The article.",
)

PROJECT = ContentType(
    "project", "projects", "/projects/{slug}/",
    title="Projects", singular="Project", record=r.Project, template="project.html",
    list_url="/projects/", plural="projects", list_route="projects", list_template="projects.html",
    fields=COMMON_FIELDS + (
        Field("acronym", "string", help="The project's short name.", example="VENHANS"),
        Field("url", "url", help="The project's own website.", example="https://example.org/"),
        Field("status", "choice", help="Where the project stands.", example="ongoing",
              choices=("planned", "ongoing", "completed")),
        Field("start", "date", help="When it starts.", example="2023-01-01"),
        Field("end", "date", help="When it ends.", example="2025-12-31"),
        Field("programme", "string", help="The funding programme.", example="Erasmus+"),
        _ids("working_groups", "working_group", "The groups involved.", ["mobility"]),
        _ids("priorities", "priority", "The strategic priorities it serves (ids or numbers).",
             [2]),
        _ids("partners", "organisation", "The partner organisations.", ["movetia"]),
    ),
    body_help="What the project does.",
)

EVENT = ContentType(
    "event", "events", "/events/{slug}/",
    title="Events", singular="Event", record=r.Event, template="event.html",
    list_url="/events/", plural="events", list_route="events", list_template="events.html",
    fields=COMMON_FIELDS + (
        Field("start", "datetime", True, "When it starts: a date, or a date and time with "
              "its offset.", "2027-03-10T09:30:00+01:00"),
        Field("end", "datetime", help="When it ends.", example="2027-03-10T17:00:00+01:00"),
        Field("time_zone", "time_zone", help="The time zone it is shown in, and of a start "
              "or end written without an offset (default: the site's).",
              example="Europe/Lisbon"),
        Field("location", "string", help="Where it takes place.", example="Brussels, Belgium"),
        Field("online_only", "bool", help="true for an event that takes place online only "
              "(give its online_url, and no location).", example=False),
        Field("online_url", "url", help="Where to join online.", example="https://example.org/live"),
        Field("registration_url", "url", help="Where to register.",
              example="https://example.org/register"),
        _ids("working_groups", "working_group", "The groups that organise it.", ["mobility"]),
        _ids("projects", "project", "The projects it belongs to.", ["venhans"]),
    ),
    body_help="The programme and practical details.",
)

# What a document is, as its `document_type` says; a site changes the list in
# data/schema.yaml (document: [{name: document_type, choices: [...]}]), and names each
# choice with the phrase document_type_<choice> (hyphens as underscores).
DOCUMENT_TYPES = ("minutes", "agenda", "report", "position-paper", "presentation")
DOCUMENTS_FOLDER = "documents"  # inside assets/: where the files of documents live

DOCUMENT = ContentType(
    "document", "documents", "/documents/{slug}/",
    title="Documents", singular="Document", record=r.Document, template="document.html",
    list_url="/documents/", plural="documents", list_route="documents",
    list_template="documents.html", page_size="documents",
    fields=tuple(Field("date", "date", True, "The document's date: for minutes and an "
                       "agenda, the meeting's.", "2026-03-12") if f.name == "date" else f
                 for f in COMMON_FIELDS) + (
        Field("document_type", "choice", True, "What the document is.", "minutes",
              choices=DOCUMENT_TYPES),
        Field("file", "file", help=f"The file, as a path inside assets/: "
              f"{DOCUMENTS_FOLDER}/<name>. Give a file or a url, not both.",
              example=f"{DOCUMENTS_FOLDER}/mobility-minutes-2026-03.pdf"),
        Field("url", "url", help="Where the document is published elsewhere, when it is "
              "not a file of this site.", example="https://example.org/paper.pdf"),
        Field("language", "string", help="The language the document is written in, as a "
              "code (en, fr, de...), when it is not the page's.", example="fr",
              translatable=False),
        _ids("working_groups", "working_group", "The groups whose document it is.",
             ["mobility"]),
        _ids("projects", "project", "The projects it belongs to.", ["venhans"]),
        Field("meeting", "slug", help="For minutes or an agenda: the id of the meeting, "
              "among the meetings of one of its working groups.", example="plenary"),
    ),
    dated_file_names=True, empty_list=False,
    body_help="What the document is about, in a few sentences (optional).",
)

PAGE = ContentType("page", "", "/{slug}/", COMMON_FIELDS, plural="pages", title="Pages",
                   singular="Page",
                   template="page.html", body_help="The page's text.")

HOME = ContentType("home", "", "/", COMMON_FIELDS, title="Home page", singular="Home page",
                   template="home.html", body_help="The home page's introduction.")

# The engine's own kinds, in the order lists, the CMS and the reference show them.
CONTENT_TYPES: dict[str, ContentType] = {
    t.name: t for t in (WORKING_GROUP, NEWS, PROJECT, EVENT, DOCUMENT, PAGE)
}

# How many items each list shows when data/site.yaml does not say (the reference's examples).
DEFAULT_PAGE_SIZES = {"news": 10, "group_news": 10, "related_news": 3, "home_news": 4,
                      "home_events": 3, "documents": 20, "group_documents": 20,
                      "related_documents": 5}


def document_type_phrase(choice: str) -> str:
    """The interface phrase naming a document type: document_type_position_paper."""
    return "document_type_" + choice.replace("-", "_")


def default_phrases(types: dict[str, ContentType]) -> dict[str, str]:
    """Phrases the interface falls back on: the names of a site's own kinds, and of the
    document types a site added ("policy-brief" reads "Policy brief")."""
    phrases = {k: v for t in types.values() if not t.builtin for k, v in t.phrases().items()}
    document = types.get("document")
    spec = document.field("document_type") if document else None
    for choice in spec.choices if spec else ():
        words = choice.replace("-", " ").replace("_", " ")
        phrases[document_type_phrase(choice)] = words[:1].upper() + words[1:]
    return phrases

def data_entry(name: str, declaration: Field) -> Field:
    """The declaration of one entry of data/`name`.yaml: an organisation, a priority of
    the list under `items`, or site.yaml itself."""
    if name == "site":
        return declaration
    if declaration.kind == "list":
        return declaration.item
    return declaration.field("items").item


_LINK = Field("link", "object", fields=(
    Field("title", "string", True, "The link's text.", "About"),
    Field("url", "path", True, "A path on the site, or an address elsewhere.", "/about/"),
))

DATA_FILES: dict[str, Field] = {
    "site": Field("site", "object", True, fields=(
        Field("title", "string", True, "The site's name.", "EARLALL"),
        Field("tagline", "string", help="A line under the name.", example="Lifelong learning"),
        Field("description", "text", help="For search engines.",
              example="A network of European regions working together on lifelong learning."),
        Field("base_url", "url", True, "Where the site is published.", "https://example.org/"),
        Field("language", "string", help="The language of a site in one language (a code "
              "such as en, fr, de, pt-BR); a site in several lists them under `languages`.",
              example="en", translatable=False),
        Field("languages", "list", help="The languages the site is published in, as codes; "
              "the first is the default, served at the root, the others under /<code>/.",
              example=["en", "fr"], item=Field("language", "string", translatable=False)),
        Field("default_language_in_url", "bool", help="true serves the default language "
              "under /<code>/ too, and / becomes a page to choose a language.",
              example=False),
        Field("own_language_only", "list", help="Languages whose lists show only the items "
              "written or translated in them (by default a list also shows the other items, "
              "labelled with their language).", example=["de"],
              item=Field("language", "string", translatable=False)),
        Field("timezone", "string", help="The time zone of dates without one.",
              example="Europe/Brussels", translatable=False),
        Field("logo", "image", help="The logo, a path inside assets/.", example="images/logo.svg"),
        Field("menu", "list", help="The main menu.", item=_LINK),
        Field("members", "int", help="How many members the network has: a key figure "
              "on the home page, beside its groups and projects.", example=40),
        Field("footer", "object", help="The footer, beside the logo.", fields=(
            Field("text", "markdown", help="A short paragraph: who you are, your address.",
                  example="Rue de l'Exemple 12, 1000 Brussels"),
            Field("email", "email", help="The address readers write to.",
                  example="info@example.org"),
            Field("links", "list", help="Links in the footer.", item=_LINK),
            Field("legal", "list", help="The legal notice, privacy and accessibility "
                  "statements, in the footer's last line.", item=_LINK,
                  example=[{"title": "Privacy", "url": "/privacy/"}]),
            Field("social", "list", help="The network's accounts elsewhere (LinkedIn, "
                  "Mastodon...).", item=_LINK,
                  example=[{"title": "LinkedIn", "url": "https://www.linkedin.com/"}]),
            Field("newsletter", "object", help="Where readers subscribe to the newsletter.",
                  fields=_LINK.fields),
            Field("eu_emblem", "bool", help="true shows the EU emblem with \"Co-funded by "
                  "the European Union\" (the words come from data/i18n), as EU-funded "
                  "networks must.", example=False),
        )),
        Field("tags", "list", help="Names for tags: a tag not named here reads as written, "
              "a slug such as erasmus-plus as \"Erasmus plus\".", item=Field(
            "tag", "object", fields=(
                Field("id", "string", True, "The tag as front matter writes it.",
                      "erasmus-plus", translatable=False),
                Field("title", "string", True, "What readers see.", "Erasmus+"),
            ))),
        Field("page_sizes", "object", help="How many items lists show.", fields=tuple(
            Field(n, "int", help=h, example=DEFAULT_PAGE_SIZES[n]) for n, h in (
                ("news", "News items per page of /news/."),
                ("group_news", "News items per page of a group's news."),
                ("related_news", "News items on a group's page."),
                ("home_news", "News items on the home page."),
                ("home_events", "Events on the home page."),
                ("documents", "Documents per page of /documents/."),
                ("group_documents", "Documents per page of a group's document archive."),
                ("related_documents", "The latest documents on a group's page."),
            ))),
        Field("check", "object", help="What `check` leaves out, and how long it waits.",
              fields=(
            Field("ignore", "list", help="Addresses `check` does not check: a pattern per "
                  "line, * matching anything.", example=["https://www.network.example/*"],
                  item=Field("pattern", "string", translatable=False)),
            Field("timeout", "int", help="Seconds `check --external` waits for another site "
                  "(default 10).", example=10),
        )),
        Field("trust_html", "bool", help="true lets raw HTML in Markdown through unchanged; "
              "only for sites whose every editor is trusted.", example=False),
        Field("cms", "object", help="Where the content manager at /admin/ saves edits.",
              fields=(
            Field("backend", "choice", help="git-gateway (Netlify Identity, on Netlify) or "
                  "github (editors sign in with GitHub).", example="git-gateway",
                  choices=("git-gateway", "github")),
            Field("repo", "string", help="The repository, owner/name; needed for github.",
                  example="earlall/website", translatable=False),
            Field("branch", "string", help="The branch edits go to (default: main).",
                  example="main", translatable=False),
        )),
        Field("colours", "object", help="The site's colours (CSS colour values).", fields=tuple(
            Field(n, "colour", example=e) for n, e in (
                ("primary", "#1f4e79"), ("primary_dark", "#163a5c"), ("accent", "#c8102e"),
                ("background", "#ffffff"), ("text", "#1a1a1a"),
            ))),
    )),
    "priorities": Field("priorities", "object", True, fields=(
        Field("period", "string", True, "The years of the strategy.", "2023-2028"),
        Field("items", "list", True, "The priorities, numbered.", item=Field(
            "priority", "object", fields=(
                Field("id", "slug", True, "A short id.", "skills-for-the-future"),
                Field("number", "int", True, "Its number.", 1),
                Field("title", "string", True, "Its title.", "Skills for the future"),
                Field("description", "markdown", help="What it means.",
                      example="Regions anticipate the skills their economies will need."),
            ))),
    )),
    "action_types": Field("action_types", "list", True, item=Field("action_type", "object", fields=(
        Field("id", "slug", True, "A short id.", "capacity-building"),
        Field("title", "string", True, "Its name.", "Capacity building"),
        Field("description", "markdown", help="What it covers.",
              example="Training and peer learning for members' staff."),
    ))),
    "organisations": Field("organisations", "list", True, item=Field(
        "organisation", "object", fields=(
            Field("id", "slug", True, "A short id, used by relations.", "movetia"),
            Field("name", "string", True, "Its full name.", "Movetia"),
            Field("short_name", "string", help="An abbreviation.", example="LLLP"),
            Field("url", "url", help="Its website.", example="https://www.movetia.ch/"),
            Field("country", "string", help="Its country.", example="Switzerland"),
            Field("logo", "image", help="Its logo, a path inside assets/.",
                  example="images/organisations/movetia.svg"),
            Field("description", "markdown", help="One or two sentences.",
                  example="The Swiss agency for exchange and mobility."),
        ))),
    "people": Field("people", "list", help="The people that groups name as chairs, contacts "
                    "and former chairs; the file is optional.", item=Field(
        "person", "object", fields=(
            Field("id", "slug", True, "A short id, used by relations.", "maria-svensson"),
            Field("name", "string", True, "Their name.", "Maria Svensson",
                  translatable=False),
            Field("organisation", "relation", help="Their organisation's id.",
                  example="region-vastra-gotaland", target="organisation"),
            Field("role", "string", help="Their title or role.", example="Senior adviser"),
            Field("email", "email", help="A public address: shown on the site, written so "
                  "that address harvesters do not read it. Leave it out to show none.",
                  example="maria.svensson@example.org"),
            Field("photo", "image", help="A portrait, a path inside assets/.",
                  example="images/people/maria-svensson.jpg"),
            Field("photo_alt", "string", help="What the portrait shows; required with a photo.",
                  example="Maria Svensson smiling, in front of a bookcase"),
            Field("links", "list", help="Their pages elsewhere (a profile, LinkedIn...).",
                  item=_LINK, example=[{"title": "LinkedIn",
                                        "url": "https://www.linkedin.com/in/example"}]),
        ))),
}
