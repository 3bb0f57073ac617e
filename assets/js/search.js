// The search page: finds what is typed in the page's search box (and the ?q= the
// header's box sent) in Pagefind's index, shows each result with its type, date and
// an excerpt, and narrows the results by type, working group and year. Pagefind's
// JavaScript API (pagefind.js in the bundle) does the searching; the markup is the
// page's own (layouts/search.html), in the site's language and colours.
"use strict";

(function () {
  var form = document.querySelector(".search-form[data-bundle]");
  var panel = document.querySelector(".search-results");
  if (!form || !panel) {
    return;
  }
  var data = form.dataset;
  var input = form.querySelector("input[name=q]");
  var status = panel.querySelector(".search-results__status");
  var list = panel.querySelector(".search-results__list");
  var more = panel.querySelector(".search-results__more");
  var filtersBox = panel.querySelector(".search-filters");
  var groups = panel.querySelector(".search-filters__groups");
  var filterNames = JSON.parse(data.filters);
  var PAGE = 10;
  var pagefind = null;
  var found = [];   // the current results, not yet all shown
  var shown = 0;
  var run = 0;      // each search's number: an answer to an older one is dropped
  var timer = null;

  var language = document.documentElement.lang || "en";
  var plurals = new Intl.PluralRules(language);
  // Western digits, as the pages write numbers (Babel formats them in the "latn" system)
  var numbers = new Intl.NumberFormat(language, { numberingSystem: "latn" });

  // A phrase said of a number: its form for `count`'s CLDR plural category, as the
  // phrase file gives it (data-results='{"one": "…", "other": "…"}').
  function counted(forms, count) {
    var all = JSON.parse(forms);
    return all[plurals.select(count)] || all.other || "";
  }

  function phrase(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // Pagefind's excerpts are text with <mark> around the words found. They are read
  // into an inert document and only text and <mark> are copied, so no markup that
  // came from a page can run here.
  function excerpt(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = document.createDocumentFragment();
    Array.prototype.forEach.call(parsed.body.firstChild.childNodes, function (node) {
      out.appendChild(node.nodeName === "MARK" ? element("mark", "", node.textContent)
        : document.createTextNode(node.textContent));
    });
    return out;
  }

  function chosenFilters() {
    var chosen = {};
    groups.querySelectorAll("input:checked").forEach(function (box) {
      (chosen[box.name] = chosen[box.name] || []).push(box.value);
    });
    var filters = {};
    Object.keys(chosen).forEach(function (name) {
      filters[name] = { any: chosen[name] };  // any of the values ticked in one filter
    });
    return filters;
  }

  function sortedValues(name, counts) {
    var values = Object.keys(counts);
    values.sort(function (a, b) { return a.localeCompare(b, document.documentElement.lang); });
    return name === data.yearFilter ? values.reverse() : values;  // the latest year first
  }

  function buildFilters(all) {
    filterNames.forEach(function (name, index) {
      var counts = all[name];
      if (!counts || !Object.keys(counts).length) {
        return;
      }
      var fieldset = element("fieldset", "search-filter");
      fieldset.appendChild(element("legend", "search-filter__name", name));
      var options = element("ul", "search-filter__values");
      sortedValues(name, counts).forEach(function (value, position) {
        var id = "filter-" + index + "-" + position;
        var item = element("li", "search-filter__value");
        var box = element("input");
        box.type = "checkbox";
        box.id = id;
        box.name = name;
        box.value = value;
        var label = element("label", "", value + " ");
        label.htmlFor = id;
        label.appendChild(element("span", "search-filter__count", ""));
        item.appendChild(box);
        item.appendChild(label);
        options.appendChild(item);
      });
      fieldset.appendChild(options);
      groups.appendChild(fieldset);
    });
  }

  // Each value's count is that of the results for the words typed, whatever is
  // ticked, so ticking a box changes no count; a value no result has is left out
  // (unless it is ticked), and so is a filter left with none.
  function showCounts(counts) {
    groups.querySelectorAll("input").forEach(function (box) {
      var count = (counts[box.name] || {})[box.value] || 0;
      box.nextElementSibling.querySelector(".search-filter__count").textContent =
        "(" + count + ")";
      box.parentNode.hidden = count === 0 && !box.checked;
    });
    groups.querySelectorAll("fieldset").forEach(function (fieldset) {
      fieldset.hidden = !fieldset.querySelector("li:not([hidden])");
    });
  }

  function result(item) {
    var entry = element("li", "search-result");
    var heading = element("h2", "search-result__title");
    var link = element("a", "search-result__link", item.meta.title || item.url);
    link.href = item.url;
    heading.appendChild(link);
    entry.appendChild(heading);
    var facts = [item.meta.type, item.meta.date].filter(Boolean);
    if (facts.length) {
      entry.appendChild(element("p", "search-result__meta", facts.join(" · ")));
    }
    var text = element("p", "search-result__excerpt");
    text.appendChild(excerpt(item.excerpt));
    entry.appendChild(text);
    // Up to three of the page's sections where the words were found, linked.
    var sections = (item.sub_results || []).filter(function (section) {
      return section.url !== item.url && section.title;
    }).slice(0, 3);
    if (sections.length) {
      var within = element("ul", "search-result__sections");
      sections.forEach(function (section) {
        var line = element("li");
        var anchor = element("a", "search-result__link search-result__section", section.title);
        anchor.href = section.url;
        line.appendChild(anchor);
        within.appendChild(line);
      });
      entry.appendChild(within);
    }
    return entry;
  }

  function showMore(mine) {
    var next = found.slice(shown, shown + PAGE);
    shown += next.length;
    more.hidden = true;
    return Promise.all(next.map(function (hit) { return hit.data(); })).then(function (items) {
      if (mine !== run) {
        return;
      }
      items.forEach(function (item) { list.appendChild(result(item)); });
      more.hidden = shown >= found.length;
    });
  }

  function search() {
    var mine = ++run;
    list.setAttribute("aria-busy", "true");
    var term = input.value.trim();
    var filters = chosenFilters();
    var params = new URLSearchParams(window.location.search);
    if (term) {
      params.set("q", term);
    } else {
      params.delete("q");
    }
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    if (!term && !Object.keys(filters).length) {
      found = [];
      list.replaceChildren();
      more.hidden = true;
      status.textContent = "";
      list.setAttribute("aria-busy", "false");
      return Promise.resolve();
    }
    status.textContent = term ? phrase(data.searching, { query: term }) : "";
    return pagefind.search(term || null, { filters: filters }).then(function (answer) {
      if (mine !== run || !answer) {
        return;
      }
      found = answer.results;
      shown = 0;
      list.replaceChildren();
      showCounts(answer.totalFilters);
      var count = found.length;
      var text = term ? (count === 0 ? data.zeroResults : counted(data.results, count))
        : counted(data.listed, count);
      status.textContent = phrase(text, { count: numbers.format(count), query: term });
      return showMore(mine);
    }).then(function () {
      if (mine === run) {
        list.setAttribute("aria-busy", "false");
      }
    });
  }

  function failed(error) {
    status.textContent = data.failed;
    throw error;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    if (pagefind) {
      search();
    }
  });
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    if (pagefind) {
      timer = window.setTimeout(search, 200);  // once typing pauses, not at every key
    }
  });
  groups.addEventListener("change", function () {
    if (pagefind) {
      search();
    }
  });
  more.addEventListener("click", function () {
    var first = shown;
    showMore(run).then(function () {
      // Keyboard users go on from the first of the results just shown.
      var next = list.children[first];
      if (next) {
        next.querySelector("a").focus();
      }
    });
  });

  input.value = new URLSearchParams(window.location.search).get("q") || "";
  panel.hidden = false;
  // On wide screens the filters sit open beside the results; on narrow ones they
  // fold away above them.
  filtersBox.open = window.matchMedia("(min-width: 60em)").matches;
  import(data.bundle + "pagefind.js").then(function (module) {
    pagefind = module;
    // The index holds site paths (/news/x/); Pagefind puts the base path in front.
    // Page length counts less than by default: a short page that merely names a
    // project should not outrank the project's own page.
    return pagefind.options({ baseUrl: data.baseUrl, ranking: { pageLength: 0.3 } });
  }).then(function () {
    return pagefind.filters();
  }).then(function (all) {
    buildFilters(all);
    showCounts(all);
    return search();
  }).catch(failed);
})();
