/* Meetings in the reader's own time zone (progressive enhancement).

   The page lists each meeting's dates on the clock of the meeting's zone, complete
   without this script. Here, for each <time data-start data-end data-zone> inside a
   [data-meetings] block, the script adds the same moment on the reader's clock (when
   the reader's zone is another one), labelled with the block's data-reader-label, and
   hides the dates that have ended since the site was built. It loads nothing and
   sends nothing: the browser's Intl does the formatting, in the page's language. */
(function () {
  "use strict";

  function readerZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return "";
    }
  }

  // The page's language, in the reader's own variant of it when the browser prefers
  // one (a page in "en" read with en-GB writes 16 June, with en-US June 16).
  function language() {
    var page = (document.documentElement.lang || "").toLowerCase();
    var preferred = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < preferred.length; i += 1) {
      var tag = (preferred[i] || "").toLowerCase();
      if (page && (tag === page || tag.indexOf(page + "-") === 0)) {
        return preferred[i];
      }
    }
    return page || undefined;
  }

  function enhance(block, zone, now) {
    var label = block.getAttribute("data-reader-label") || "";
    var locale = language();
    var day = new Intl.DateTimeFormat(locale, {
      weekday: "short", day: "numeric", month: "long", year: "numeric"
    });
    var clock = new Intl.DateTimeFormat(locale, {
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    });
    var plain = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit" });
    var times = block.querySelectorAll("time[data-start][data-end][data-zone]");
    Array.prototype.forEach.call(times, function (time) {
      var start = new Date(time.getAttribute("data-start"));
      var end = new Date(time.getAttribute("data-end"));
      if (isNaN(start.getTime()) || isNaN(end.getTime())) {
        return;
      }
      var item = time.closest("li");
      if (item && end.getTime() <= now) {
        item.hidden = true;  // it ended after the build
        return;
      }
      if (!zone || zone === time.getAttribute("data-zone")) {
        return;
      }
      var mine = document.createElement("span");
      mine.className = "occurrence__reader";
      mine.setAttribute("data-reader-zone", zone);
      mine.textContent = label + ": " + day.format(start) + ", " + plain.format(start) +
        "–" + clock.format(end);
      time.insertAdjacentElement("afterend", mine);
    });
  }

  function start() {
    var zone = readerZone();
    var now = Date.now();
    var blocks = document.querySelectorAll("[data-meetings]");
    Array.prototype.forEach.call(blocks, function (block) {
      enhance(block, zone, now);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
