// The search page: Pagefind's interface over the index in /pagefind/, in the site's
// language (the phrases come from data/i18n through data- attributes), searching
// at once for the ?q= that the header's search box sent.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector(".search[data-bundle]");
  if (!box || typeof PagefindUI !== "function") {
    return;
  }
  var data = box.dataset;
  var ui = new PagefindUI({
    element: box,
    bundlePath: data.bundle,
    // The index holds site paths (/news/x/); the base path goes in front of them
    // here. Pagefind would otherwise guess it from bundlePath.
    baseUrl: data.baseUrl,
    showSubResults: true,
    showImages: false,
    // Weigh page length less than Pagefind does by default: a short page that
    // merely names a project should not outrank the project's own page.
    ranking: { pageLength: 0.3 },
    translations: {
      placeholder: data.placeholder,
      search_label: data.searchLabel,
      clear_search: data.clearSearch,
      load_more: data.loadMore,
      filters_label: data.filtersLabel,
      zero_results: data.zeroResults,
      one_result: data.oneResult,
      many_results: data.manyResults,
      alt_search: data.altSearch,
      search_suggestion: data.searchSuggestion,
      searching: data.searching
    }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query && query.trim()) {
    ui.triggerSearch(query.trim());
  }
});
