// Email addresses: the pages write each public address as "name [at] example.org",
// its two halves apart in data attributes, so that a plain scraper of the HTML finds
// no address (layouts/partials/email.html). Here each becomes a mailto link again.
// Without JavaScript the address stays readable, to copy by hand.
"use strict";

(function () {
  var spans = document.querySelectorAll("span.email[data-user][data-domain]");
  Array.prototype.forEach.call(spans, function (span) {
    var user = span.getAttribute("data-user");
    var domain = span.getAttribute("data-domain");
    var link = document.createElement("a");
    link.className = "email";
    link.href = "mailto:" + user + "@" + domain;
    // a narrow column breaks the address after the @ rather than inside a word
    link.append(user + "@", document.createElement("wbr"), domain);
    span.parentNode.replaceChild(link, span);
  });
})();
