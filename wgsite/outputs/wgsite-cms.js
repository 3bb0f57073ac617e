// wgsite's data files for Decap CMS. Decap edits a file only as an object, while
// data/organisations.yaml and data/action_types.yaml are lists at the top: this
// format reads such a list as {list: [...]} and writes it back as the bare list,
// so the file keeps the shape wgsite reads. Any other file passes through as is.
(function () {
  var LIST_KEY = "list";
  // The core schema reads as wgsite does: a date stays text, `no` stays "no".
  var SCHEMA = window.jsyaml.CORE_SCHEMA;
  var DUMP = { schema: SCHEMA, lineWidth: 100, noRefs: true, quotingType: '"' };

  window.CMS.registerCustomFormat("wgsite-yaml", "yaml", {
    fromFile: function (text) {
      var data = window.jsyaml.load(text, { schema: SCHEMA }) || {};
      if (Array.isArray(data)) {
        var wrapped = {};
        wrapped[LIST_KEY] = data;
        return wrapped;
      }
      return data;
    },
    toFile: function (data) {
      var keys = Object.keys(data);
      var value = keys.length === 1 && keys[0] === LIST_KEY ? data[LIST_KEY] : data;
      return window.jsyaml.dump(value, DUMP);
    },
  });
})();
