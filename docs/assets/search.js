/* Site search: Pagefind's static index behind Material's search box (overrides/partials/search.html).
 *
 * The index is split in small chunks: a query loads only the chunks for its words and the fragments of
 * the results shown, never the whole site's text. Pagefind runs in a web worker from its own file
 * (pagefind/pagefind-worker.js, allowed by the page's 'self' policy). Results look like Material's:
 * the question as the title, the article's one-line answer, a passage with the words found, and the
 * review status. Five results at a time, then a "More results" button (the status line, read out by
 * screen readers, says how many are shown). Filters narrow results by topic, review status, evidence
 * grade and audience; their values are loaded only when the reader asks for them ("Narrow the results").
 *
 * Typing: a search starts once the reader pauses for DEBOUNCE_MS, and only one runs at a time (the
 * latest query is searched when it ends), so a fast typist does not queue a search per keystroke in
 * Pagefind's worker, nor load the index chunks of every prefix typed on the way.
 *
 * Keyboard: "/", "s" or "f" opens search (as in Material); arrow keys move between the box and the
 * results; Enter in the box opens the first result; Escape closes. Every value from the index is put
 * in the page as text, except Pagefind's excerpt, whose <mark> elements alone are kept. */
(function () {
  "use strict";

  var root = document.querySelector("[data-medsite-search]");
  var toggle = document.getElementById("__search");
  var settings = document.getElementById("__config");
  if (!root || !toggle || !settings) return;

  var form = root.querySelector("form");
  var input = form.elements.query;
  var meta = root.querySelector(".md-search-result__meta");
  var list = root.querySelector(".md-search-result__list");
  var filterBox = root.querySelector(".medsite-search__filters");
  var filterToggle = root.querySelector(".medsite-search__filter-toggle");
  var initial = meta.textContent;
  var base = new URL(JSON.parse(settings.textContent).base.replace(/\/?$/, "/"), window.location.href);
  var FILTERS = [["topic", "Topic", "All topics"], ["status", "Review status", "Any status"],
                 ["grade", "Evidence grade", "Any grade"], ["audience", "Written for", "Any audience"]];
  var PAGE_SIZE = 5;
  var DEBOUNCE_MS = 80;
  var AHEAD_CHARS = 3; // letters of a word before its index chunk is loaded ahead (see ahead)
  var engine = null;
  var listing = null; // the engine of searches with filters only (see lister)
  var extraData = null; // see extras
  var SIGNATURE = "pagefind_dcd";
  var generation = 0;
  var timer = null;
  var running = null;
  var again = false;
  var edits = 0; // input events so far: a search's answer is shown only if nothing was typed since
  var results = [];
  var shown = 0;
  var current = new Map(); // each engine's filter of a search's results (see mergePreviewEdits)

  // Pagefind's options, the same for both of its engines below (and the preview's index of edits).
  function pagefindOptions() {
    return {
      baseUrl: base.pathname,
      excerptLength: 24,
      // The names a title mentions weigh like the title; the answer a little more than body text.
      ranking: { metaWeights: { title: 5, title_synonyms: 5, answer: 2, synonyms: 1 } }
    };
  }

  function configured(pagefind) {
    return pagefind.options(pagefindOptions());
  }

  // Preview only (`make serve`): the full index is written again in the background after each edit, which
  // takes a minute at 10,000 articles. Meanwhile the server indexes the pages written since the last full
  // run into a small index of their own, pagefind-edits/ (medsite/search/edits.py); it is merged here, and
  // the full index's results for those pages, and for pages removed since, are hidden (by the ids and the
  // addresses in its edits.json), so search finds each page as last saved. Two results with one id are the
  // same page with the same text: one is kept. A published site has no such index and is not asked for
  // one: only pages sent by MkDocs' server carry its live-reload script. Without the index (a 404), search
  // goes on with the full index. Resolves to the engine once `current` holds its filter of results.
  function mergePreviewEdits(pagefind) {
    var all = function (found) { return found; };
    var folder = new URL("pagefind-edits/", base);
    var asked = typeof window.livereload !== "function" ? Promise.resolve(null)
      : fetch(new URL("edits.json", folder).href, { cache: "no-store" }).then(function (response) {
        return response.ok ? response.json() : null;
      });
    return asked.then(function (edits) {
      if (!edits) return all;
      var bundled = new Set(edits.bundled);
      var hidden = new Set(edits.hide);
      var addresses = new Set(edits.urls);
      var bundle = edits.bundle ? new URL(edits.bundle, folder) : null;
      // The bundle is checked first: should Pagefind's mergeIndex fail, its engine never answers again.
      // Without the bundle, the pages it names are still hidden (not found until the full run, never stale).
      var merged = !bundle ? Promise.resolve() : fetch(new URL("pagefind-entry.json", bundle).href, {
        cache: "no-store"
      }).then(function (response) {
        if (!response.ok) throw new Error("no bundle of edits");
        return pagefind.mergeIndex(bundle.pathname, pagefindOptions());
      });
      return merged.catch(function () {}).then(function () {
        return function (found) {
          var seen = new Set();
          return found.filter(function (result) {
            var keep = !hidden.has(result.id) && !seen.has(result.id);
            seen.add(result.id);
            return keep;
          }).map(function (result) {
            // The full index swapped in since edits.json was written names those pages with other ids: such
            // a result gets no address, so it is not shown (see item).
            if (bundled.has(result.id)) return result;
            return Object.assign({}, result, { data: function () {
              return result.data().then(function (page) {
                return addresses.has(page.url) ? Object.assign({}, page, { url: null }) : page;
              });
            } });
          });
        };
      });
    }).catch(function () {
      return all;
    }).then(function (keep) {
      current.set(pagefind, keep);
      return pagefind;
    });
  }

  function load() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", base).href).then(function (pagefind) {
        return configured(pagefind).then(function () {
          pagefind.init();
          return mergePreviewEdits(pagefind);
        });
      });
      engine.catch(function () {
        meta.textContent = "Search is not available right now.";
      });
    }
    return engine;
  }

  // A search with filters and no words runs in an engine of its own. Pagefind looks up the empty term for
  // it, and an engine keeps every chunk it loads: a term then ranks every loaded word it begins. On
  // Pagefind's own index the empty term loads every chunk of words (its second rule: no range holds ""),
  // so a query typed after choosing a filter ranked more words than the same query typed first, and the
  // site's re-cut index (medsite/search/recut.py) opens its first range to "" so that it loads one small
  // chunk instead of the whole index. Kept apart, queries rank the same words on both indexes, whichever
  // the reader chose first. The second engine shares Pagefind's worker; its metadata and WebAssembly
  // come from the browser's cache.
  function lister() {
    if (!listing) {
      listing = load().then(function (pagefind) {
        var other = pagefind.createInstance({});
        return configured(other).then(function () {
          return mergePreviewEdits(other);
        });
      });
    }
    return listing;
  }

  // What the index's build wrote beside it for this script (medsite/search/recut.py, `extras`): the filter
  // menus' counts, which Pagefind's filters() would load every filter chunk for (157 KB at 10,000
  // articles), and the first letters whose words lie in two index chunks (`unsettled`). Asked again of the
  // server each time a page needs it (a rebuild changes it with the index); null if there is none (an
  // index that was not re-cut) or it cannot be read: the script then does without.
  function extras() {
    if (!extraData) {
      extraData = fetch(new URL("pagefind/filter/medsite.pf_filter", base).href, { cache: "no-cache" })
        .then(function (response) {
          if (!response.ok) throw new Error("no extras");
          return response.arrayBuffer();
        })
        .then(unpacked)
        .then(function (bytes) {
          var all = JSON.parse(new TextDecoder().decode(bytes.subarray(SIGNATURE.length)));
          var languages = Object.keys(all);
          var language = (document.documentElement.lang || "").toLowerCase();
          return all[language] || all[language.split("-")[0]] || (languages.length === 1 ? all[languages[0]] : null);
        })
        .catch(function () { return null; });
    }
    return extraData;
  }

  // A data file of the index: gzip of "pagefind_dcd" and its data, unless the server already unpacked it.
  function unpacked(buffer) {
    var bytes = new Uint8Array(buffer);
    if (signed(bytes)) return bytes;
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (inflated) {
      var result = new Uint8Array(inflated);
      if (!signed(result)) throw new Error("not index data");
      return result;
    });
  }

  function signed(bytes) {
    for (var i = 0; i < SIGNATURE.length; i++) if (bytes[i] !== SIGNATURE.charCodeAt(i)) return false;
    return true;
  }

  // Each filter's values with their numbers of pages, as Pagefind's filters() gives them.
  function filterCounts(pagefind) {
    return extras().then(function (data) {
      return data && data.filters ? data.filters : pagefind.filters();
    });
  }

  function showFilters(pagefind) {
    return filterCounts(pagefind).then(function (available) {
      FILTERS.forEach(function (spec) {
        var values = Object.keys(available[spec[0]] || {}).sort();
        if (!values.length) return;
        var id = "medsite-search-filter-" + spec[0];
        var box = document.createElement("div");
        box.className = "medsite-search__filter";
        var label = document.createElement("label");
        label.htmlFor = id;
        label.textContent = spec[1];
        var select = document.createElement("select");
        select.id = id;
        select.name = spec[0];
        select.appendChild(new Option(spec[2], ""));
        values.forEach(function (value) {
          select.appendChild(new Option(value + " (" + available[spec[0]][value] + ")", value));
        });
        select.addEventListener("change", search);
        box.appendChild(label);
        box.appendChild(select);
        filterBox.appendChild(box);
      });
      filterBox.hidden = !filterBox.querySelector("select");
    });
  }

  function chosenFilters() {
    var chosen = {};
    filterBox.querySelectorAll("select").forEach(function (select) {
      if (select.value) chosen[select.name] = select.value;
    });
    return chosen;
  }

  // One search at a time; a query typed meanwhile is searched when it ends (only the latest one).
  function search() {
    window.clearTimeout(timer);
    if (running) {
      again = true;
      return running;
    }
    running = run().then(finish, finish);
    return running;
  }

  function finish() {
    running = null;
    if (again) {
      again = false;
      search();
    }
  }

  function typed() {
    edits += 1;
    window.clearTimeout(timer);
    timer = window.setTimeout(search, DEBOUNCE_MS);
    ahead();
  }

  // While the reader types, Pagefind loads the index chunk of each word typed so far (one chunk a word:
  // the one whose alphabetical range holds it, which usually holds the finished word too), so the search
  // after the pause finds them in memory and only ranks. A preload ranks nothing and loads no fragment;
  // a word still being typed waits while it is shorter than AHEAD_CHARS, as its chunk is less often the
  // finished word's, and while its letters so far begin words of two chunks (`unsettled` in extras): "neu"
  // loads the chunk of "neutropen" (22 KB at 10,000 articles), which "neutropenia" does not need. The
  // words before it are finished (so is the last one once a space follows it), and are loaded.
  function ahead() {
    var words = input.value.trim().split(/\s+/);
    var finished = /\s$/.test(input.value);
    if (!words[0]) return;
    extras().then(function (data) {
      var unsettled = (data && data.unsettled) || [];
      var last = words[words.length - 1].toLowerCase();
      var wait = !finished && (last.length < AHEAD_CHARS
        || unsettled.some(function (text) { return text.startsWith(last); }));
      var wanted = wait ? words.slice(0, -1) : words;
      if (!wanted.length) return;
      return load().then(function (pagefind) {
        return pagefind.preload(wanted.join(" "), { filters: chosenFilters() });
      });
    }).catch(function () {});
  }

  // Resolves once Pagefind has answered; the results' fragments load after, while the next search may run.
  function run() {
    var query = input.value.trim();
    var filters = chosenFilters();
    var mine = ++generation;
    var typedBefore = edits;
    if (!query && !Object.keys(filters).length) {
      results = [];
      list.replaceChildren();
      meta.textContent = initial;
      return Promise.resolve();
    }
    var searcher;
    return (query ? load() : lister()).then(function (pagefind) {
      searcher = pagefind;
      return pagefind.search(query || null, { filters: filters });
    }).then(function (found) {
      // Typed since: the search that follows shows its own answer (never a shorter query's results).
      if (mine !== generation || typedBefore !== edits || !found) return;
      results = current.get(searcher)(found.results);
      shown = 0;
      list.replaceChildren();
      more(mine);
    });
  }

  // The next page of results (PAGE_SIZE, as Pagefind's own interface shows: each result loads a fragment
  // of a few KB). A result is shown once its fragment and those before it are in, so the first does not
  // wait for the slowest. The status line, which screen readers announce, says how many are shown.
  function more(mine) {
    var old = list.querySelector(".medsite-search__more");
    if (old) old.remove();
    var typedBefore = edits;
    return append(mine, typedBefore, Math.min(shown + PAGE_SIZE, results.length)).then(function () {
      if (mine !== generation || typedBefore !== edits) return;
      var count = results.length === 0 ? "No matching articles"
        : results.length === 1 ? "1 matching page" : results.length + " matching pages";
      meta.textContent = shown < results.length ? count + ", " + shown + " shown" : count;
      if (shown < results.length) list.appendChild(moreButton(mine));
    });
  }

  // Results shown[..end), unless the reader typed since `typedBefore` (the next search shows its own).
  function append(mine, typedBefore, end) {
    if (mine !== generation || typedBefore !== edits) return Promise.resolve();
    var loading = results.slice(shown, end).map(function (result) { return result.data(); });
    return loading.reduce(function (before, fragment) {
      return before.then(function () { return fragment; }).then(function (page) {
        if (mine !== generation || typedBefore !== edits) return;
        var entry = item(page);
        if (entry) list.appendChild(entry);
        shown += 1;
      });
    }, Promise.resolve());
  }

  function moreButton(mine) {
    var li = document.createElement("li");
    li.className = "md-search-result__item medsite-search__more";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-search-result__more";
    button.textContent = "More results";
    button.addEventListener("click", function () {
      var first = list.querySelectorAll(".md-search-result__link").length;
      more(mine).then(function () {
        var link = list.querySelectorAll(".md-search-result__link")[first];
        if (link) link.focus();
      });
    });
    li.appendChild(button);
    return li;
  }

  function text(tag, value, className) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    element.textContent = value;
    return element;
  }

  // Pagefind's excerpt is the page's text, entity-encoded, with <mark> around the words found: keep the
  // text and the marks, nothing else.
  function excerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var paragraph = document.createElement("p");
    template.content.childNodes.forEach(function (node) {
      if (node.nodeType === Node.TEXT_NODE) paragraph.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeName === "MARK") paragraph.appendChild(text("mark", node.textContent));
    });
    return paragraph;
  }

  // A result's address, taken from the index only if it is a path of this site (never a script, another
  // site or a protocol-relative address): the build checks the index too (medsite/search/index_cache.py).
  function sitePath(url) {
    if (typeof url !== "string" || !/^\/(?![\/\\])/.test(url)) return null;
    var target = new URL(url, base);
    return target.origin === base.origin ? target.href : null;
  }

  // A result, or null when its address is not one of this site's.
  function item(page) {
    var address = sitePath(page.url);
    if (!address) return null;
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = address;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    article.appendChild(icon);
    article.appendChild(text("h1", page.meta.title || page.url));
    // Unreviewed text is never shown without the caution its page carries (overrides/partials/search-data.html).
    var caution = (page.filters && page.filters.caution) || [];
    if (caution.length) article.appendChild(text("p", caution[0], "medsite-search__caution"));
    if (page.meta.answer) article.appendChild(text("p", page.meta.answer, "medsite-search__answer"));
    if (page.excerpt) article.appendChild(excerpt(page.excerpt));
    var status = (page.filters && page.filters.status) || [];
    if (status.length) article.appendChild(text("p", "Review status: " + status.join(", "), "medsite-search__status"));
    link.appendChild(article);
    li.appendChild(link);
    return li;
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    load();
    extras();
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll(".md-search-result__link, .md-search-result__more"));
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", typed);
  filterToggle.addEventListener("click", function () {
    filterToggle.disabled = true;
    load().then(showFilters).then(function () {
      filterToggle.hidden = true;
      var first = filterBox.querySelector("select");
      if (first) first.focus();
    }, function () {
      filterToggle.disabled = false;
    });
  });
  toggle.addEventListener("change", function () {
    if (toggle.checked) {
      load();
      extras();
      input.focus();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector(".md-search-result__link");
    if (first) window.location.href = first.href;
  });
  form.addEventListener("reset", function () {
    window.setTimeout(function () {
      search();
      input.focus();
    });
  });
  root.addEventListener("keydown", function (event) {
    var targets = links();
    var at = targets.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0)) {
      event.preventDefault();
      if (targets[at + 1]) targets[at + 1].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (targets[at - 1] || input).focus();
    }
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/" || event.key === "s" || event.key === "f") {
      event.preventDefault();
      open();
      input.focus();
    }
  });
})();
