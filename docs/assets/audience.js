/* "Which best describes you?": the reader's own wording first, the other audience's folded under its
 * label, and the choice remembered.
 *
 * Markup (rendered by the site, nothing here is inline so the CSP can forbid inline scripts):
 * - form#audience-switch with radio inputs name="audience" value="patient" | "clinician", and
 *   data-default-audience = the article's `audience` front matter (used until the reader chooses);
 * - details.audience-block[data-audience] (medsite/extensions/audience.py): one audience's wording, open;
 *   adjacent blocks for both audiences are grouped in a .audience-pair, clinician wording first;
 * - any other element with data-audience="patient" | "clinician" (the disclaimer's two wordings): only
 *   the reader's is shown.
 * The choice is kept in localStorage under "medsite.audience" for every page and later visits. The
 * switch's inline script puts the audience in force on <html> (data-medsite-audience) before the wording
 * is parsed, and the CSS already draws the first paint from it: each pair in the reader's order, the
 * other audience's blocks folded. This script then makes the document say what the CSS shows (the DOM
 * order screen readers follow, the blocks' `open` state) and marks <html> with
 * data-medsite-audience-applied, after which the blocks' own state decides what is shown. */
(function () {
  "use strict";

  var KEY = "medsite.audience";
  var AUDIENCES = ["patient", "clinician"];

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return AUDIENCES.indexOf(value) >= 0 ? value : null;
    } catch (error) {
      return null; // storage disabled: the page default still applies
    }
  }

  function remember(audience) {
    try {
      window.localStorage.setItem(KEY, audience);
    } catch (error) {
      /* storage disabled: the choice lasts for this page only */
    }
  }

  function setAttribute(element, name, value) {
    if (element.getAttribute(name) !== value) {
      element.setAttribute(name, value);
    }
  }

  /* Each pair in the reader's order: their blocks first, the others after, each group as written. */
  function order(pair, audience) {
    var blocks = [];
    for (var i = 0; i < pair.children.length; i++) {
      if (pair.children[i].classList.contains("audience-block")) {
        blocks.push(pair.children[i]);
      }
    }
    var wanted = blocks.filter(function (block) {
      return block.getAttribute("data-audience") === audience;
    }).concat(blocks.filter(function (block) {
      return block.getAttribute("data-audience") !== audience;
    }));
    for (var j = 0; j < wanted.length; j++) {
      if (wanted[j] !== blocks[j]) { // change only what differs: most loads move nothing
        wanted.forEach(function (block) { pair.appendChild(block); });
        return;
      }
    }
  }

  function show(audience) {
    var root = document.documentElement;
    setAttribute(root, "data-medsite-audience", audience);
    var marked = document.querySelectorAll("[data-audience]");
    for (var i = 0; i < marked.length; i++) {
      var own = marked[i].getAttribute("data-audience") === audience;
      if (marked[i].classList.contains("audience-block")) {
        if (marked[i].open !== own) {
          marked[i].open = own;
        }
      } else if (marked[i].hidden === own) {
        marked[i].hidden = !own;
      }
    }
    var pairs = document.querySelectorAll(".audience-pair");
    for (var j = 0; j < pairs.length; j++) {
      order(pairs[j], audience);
    }
    var radios = document.querySelectorAll('#audience-switch input[name="audience"]');
    for (var k = 0; k < radios.length; k++) {
      var checked = radios[k].value === audience;
      if (radios[k].checked !== checked) {
        radios[k].checked = checked;
      }
    }
    setAttribute(root, "data-medsite-audience-applied", "");
  }

  function setup() {
    var form = document.getElementById("audience-switch");
    if (!form) {
      return;
    }
    var audience = stored() || form.getAttribute("data-default-audience");
    if (AUDIENCES.indexOf(audience) >= 0) {
      show(audience);
    }
    form.addEventListener("change", function (event) {
      if (AUDIENCES.indexOf(event.target.value) >= 0) {
        remember(event.target.value);
        show(event.target.value);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
  }

  /* Material's document$ emits on the first load and after each instant navigation, if enabled. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
