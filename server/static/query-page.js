// The query page (server/query_page.py): YASGUI on this server's own SPARQL endpoint, one tab
// per competency question. Every YASGUI feature that would call another host is off: the page
// must work offline and must not leak queries.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("query-page-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var root = document.getElementById("yasgui");

  // The completers YASQE may use: "class" and "property" ask Linked Open Vocabularies
  // (lov.linkeddata.es); prefixes come from the list bundled with YASQE (prefixCcApi: null).
  // Set on the defaults, because YASGUI merges a configured list into the default one index
  // by index, which would keep the default's tail ("property", "class").
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];

  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    // The endpoint list offers this endpoint only (the default lists DBpedia and Wikidata).
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; }, keys: [] },
    corsProxy: undefined,
    // Tabs are the competency questions of this release, fresh on every visit: nothing in
    // localStorage, so an old visit's tabs never pile up next to them.
    persistenceId: null,
    autoAddOnInit: false,
    yasqe: {
      prefixCcApi: null,
      createShortLink: undefined,
      persistenceId: null,
    },
    yasr: { defaultPlugin: "table", prefixes: config.prefixes, persistenceId: null },
  });

  var tabs = {};
  config.examples.forEach(function (example, index) {
    var tab = yasgui.addTab(index === 0, {
      name: example.name.replace(/_/g, " "),
      yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint },
    });
    tabs[example.name] = tab.getId();
  });

  // The list of questions selects the question's tab (without JavaScript it runs the query).
  document.querySelectorAll("#examples a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var id = tabs[link.getAttribute("data-example")];
      if (!id) return;
      event.preventDefault();
      yasgui.selectTabId(id);
      root.scrollIntoView({ block: "start" });
    });
  });
})();
