// wgsite's data files and translations for Decap CMS.
//
// Data files. Decap edits a file only as an object, while data/organisations.yaml and
// data/action_types.yaml are lists at the top: this format reads such a list as
// {list: [...]} and writes it back as the bare list, so the file keeps the shape wgsite
// reads. Any other file passes through as is.
//
// A site in several languages (config.yml has `i18n`, made from site.yaml's
// `languages`). Three things Decap does not do as wgsite names and reads files:
// - Decap names the default language's file `x.en.md`; wgsite's own files are `x.md`
//   (it accepts both). Every backend is wrapped so that Decap sees `x.md` as `x.en.md`,
//   and saves the default language at `x.md` unless the file is `x.en.md` already.
// - Decap saves a file for every language as soon as the entry has any value there
//   (the facts it copies into each). A translation is saved only once it has its
//   title: a page nobody has translated gets no file in the other languages.
// - In data files a value that is words is one input per language (an object whose
//   fields are the language codes). A value written as plain text reads as the default
//   language's, and a value with no translation is written back as plain text.
(function () {
  var LIST_KEY = "list";
  // The core schema reads as wgsite does: a date stays text, `no` stays "no".
  var SCHEMA = window.jsyaml.CORE_SCHEMA;
  var DUMP = { schema: SCHEMA, lineWidth: 100, noRefs: true, quotingType: '"' };
  var BACKENDS = ["git-gateway", "github", "gitlab", "gitea", "forgejo", "bitbucket", "azure",
                  "aws-cognito-github-proxy", "proxy", "test-repo"];
  // Set from the configuration when a backend starts, for a site in several languages.
  var languages = null; // {locales: [...], main: "en", paths: [["menu", "*", "title"], ...]}

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // The places in data files that hold one value per language, from the data
  // collection's fields: ["list", "*", "name"] for each organisation's name.
  function wordPaths(fields, locales, prefix, found) {
    (fields || []).forEach(function (field) {
      var path = prefix.concat([field.name]);
      var names = (field.fields || []).map(function (f) { return f.name; });
      if (field.widget === "object" && names.join(" ") === locales.join(" ")) {
        found.push(path);
      } else if (field.widget === "list" && field.field) {
        wordPaths([Object.assign({}, field.field, { name: "*" })], locales, path, found);
      } else if (field.widget === "list") {
        wordPaths(field.fields, locales, path.concat(["*"]), found);
      } else if (field.widget === "object") {
        wordPaths(field.fields, locales, path, found);
      }
    });
    return found;
  }

  // Apply `change` to every value at `path` (a "*" walks a list's items).
  function visit(node, path, change) {
    if (path.length === 0) return change(node);
    var key = path[0], rest = path.slice(1);
    if (key === "*") {
      if (Array.isArray(node)) {
        for (var i = 0; i < node.length; i++) node[i] = visit(node[i], rest, change);
      }
    } else if (isObject(node) && key in node) {
      var value = visit(node[key], rest, change);
      if (value === undefined) delete node[key];
      else node[key] = value;
    }
    return node;
  }

  function perLanguage(value) {
    if (typeof value !== "string") return value;
    var values = {};
    values[languages.main] = value;
    return values;
  }

  function plainWhenUntranslated(value) {
    if (!isObject(value)) return value;
    var kept = {};
    Object.keys(value).forEach(function (code) {
      if (value[code] !== undefined && value[code] !== null && value[code] !== "") {
        kept[code] = value[code];
      }
    });
    var codes = Object.keys(kept);
    if (codes.length === 0) return undefined;
    if (codes.length === 1 && codes[0] === languages.main) return kept[languages.main];
    return kept;
  }

  function eachPath(data, change) {
    if (!languages) return data;
    languages.paths.forEach(function (path) { visit(data, path, change); });
    return data;
  }

  window.CMS.registerCustomFormat("wgsite-yaml", "yaml", {
    fromFile: function (text) {
      var data = window.jsyaml.load(text, { schema: SCHEMA }) || {};
      if (Array.isArray(data)) {
        var wrapped = {};
        wrapped[LIST_KEY] = data;
        data = wrapped;
      }
      return eachPath(data, perLanguage);
    },
    toFile: function (data) {
      data = eachPath(JSON.parse(JSON.stringify(data)), plainWhenUntranslated);
      var keys = Object.keys(data);
      var value = keys.length === 1 && keys[0] === LIST_KEY ? data[LIST_KEY] : data;
      return window.jsyaml.dump(value, DUMP);
    },
  });

  // --- Translations: the file names and which files are saved ---

  function translating(backend, i18n) {
    var main = i18n.default_locale || i18n.locales[0];
    var others = i18n.locales.filter(function (code) { return code !== main; });
    var mainSuffix = "." + main + ".md";
    var stored = {}; // Decap's name of a default-language file -> where it is kept

    function localeOf(path) {
      var match = /\.([A-Za-z_-]+)\.md$/.exec(path);
      return match && i18n.locales.indexOf(match[1]) >= 0 ? match[1] : null;
    }
    function isContent(path) {
      return /^content\//.test(path) && /\.md$/.test(path);
    }
    function plain(path) {
      return path.slice(0, -mainSuffix.length) + ".md";
    }
    // A file as the backend lists it -> as Decap names it.
    function shown(path) {
      if (!isContent(path)) return path;
      if (localeOf(path) === null) {
        var name = path.slice(0, -3) + mainSuffix;
        stored[name] = path;
        return name;
      }
      if (localeOf(path) === main) stored[path] = path;
      return path;
    }
    // A file as Decap names it -> where it is kept: a new default-language file as
    // wgsite names it, x.md.
    function kept(path) {
      if (stored[path]) return stored[path];
      return isContent(path) && localeOf(path) === main ? plain(path) : path;
    }
    function listed(entries) {
      // in place: the list carries Decap's cursor as a property of its own
      (entries || []).forEach(function (entry, i) {
        if (entry && entry.file) {
          entries[i] = Object.assign({}, entry, {
            file: Object.assign({}, entry.file, { path: shown(entry.file.path) }),
          });
        }
      });
      return entries;
    }
    function titled(raw) {
      var match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(raw || "");
      try {
        var front = match ? window.jsyaml.load(match[1], { schema: SCHEMA }) : null;
        return isObject(front) && front.title !== undefined && front.title !== null
          && String(front.title).trim() !== "";
      } catch (error) {
        return true; // not ours to judge: the build will say what is wrong with it
      }
    }
    function read(path) {
      return Promise.resolve().then(function () { return backend.getEntry(path); })
        .then(function (entry) {
          if (!entry || entry.data === undefined || entry.data === null) {
            throw new Error("Not found: " + path);
          }
          return entry;
        });
    }

    var overrides = {
      entriesByFolder: function () {
        return Promise.resolve(backend.entriesByFolder.apply(backend, arguments)).then(listed);
      },
      allEntriesByFolder: function (folder, extension, depth) {
        // Decap's pattern for the default language (\.en\..*) would leave out x.md:
        // every file is listed, and Decap groups the languages of each.
        return Promise.resolve(backend.allEntriesByFolder(folder, extension, depth))
          .then(listed);
      },
      traverseCursor: function () {
        return Promise.resolve(backend.traverseCursor.apply(backend, arguments))
          .then(function (result) {
            if (result && result.entries) listed(result.entries);
            return result;
          });
      },
      getEntry: function (path) {
        if (!isContent(path) || localeOf(path) !== main) return backend.getEntry(path);
        // x.en.md is kept at x.md unless it is where it is
        var places = stored[path] ? [stored[path]] : [path, plain(path)];
        function attempt(i) {
          return read(places[i]).then(function (entry) {
            stored[path] = places[i];
            return { data: entry.data, file: Object.assign({}, entry.file, { path: path }) };
          }, function (error) {
            if (i + 1 < places.length) return attempt(i + 1);
            throw error;
          });
        }
        return attempt(0);
      },
      persistEntry: function (entry, options) {
        var files = (entry.dataFiles || []).filter(function (file) {
          return others.indexOf(localeOf(file.path)) < 0 || !isContent(file.path)
            || titled(file.raw);
        }).map(function (file) {
          var copy = Object.assign({}, file, { path: kept(file.path) });
          if (file.newPath) copy.newPath = kept(file.newPath);
          return copy;
        });
        return backend.persistEntry(Object.assign({}, entry, { dataFiles: files }), options);
      },
      deleteFiles: function (paths, message) {
        return backend.deleteFiles(paths.map(kept), message);
      },
      unpublishedEntry: function () {
        return Promise.resolve(backend.unpublishedEntry.apply(backend, arguments))
          .then(function (entry) {
            if (!entry || !entry.diffs) return entry;
            return Object.assign({}, entry, { diffs: entry.diffs.map(function (diff) {
              return Object.assign({}, diff, { path: shown(diff.path) });
            }) });
          });
      },
      unpublishedEntryDataFile: function (collection, slug, path, id) {
        return backend.unpublishedEntryDataFile(collection, slug, kept(path), id);
      },
    };

    return new Proxy(backend, {
      get: function (target, name) {
        if (Object.prototype.hasOwnProperty.call(overrides, name)
            && typeof target[name] === "function") {
          return overrides[name];
        }
        var value = target[name];
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  BACKENDS.forEach(function (name) {
    var registered = window.CMS.getBackend(name);
    if (!registered || registered.wgsite) return;
    var init = registered.init;
    registered.init = function (config, options) {
      var backend = init(config, options);
      var i18n = config && config.i18n;
      if (!i18n || i18n.structure !== "multiple_files") return backend;
      var data = (config.collections || []).filter(function (c) { return c.files; });
      var paths = [];
      data.forEach(function (collection) {
        collection.files.forEach(function (file) {
          wordPaths(file.fields, i18n.locales, [], paths);
        });
      });
      languages = { locales: i18n.locales, main: i18n.default_locale || i18n.locales[0],
                    paths: paths };
      return translating(backend, i18n);
    };
    registered.wgsite = true;
  });
})();
