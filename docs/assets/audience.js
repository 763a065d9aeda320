/* "Which best describes you?": show the wording for one audience, and remember the choice.
 *
 * Markup (rendered by the site, nothing here is inline so the CSP can forbid inline scripts):
 * - form#audience-switch with radio inputs name="audience" value="patient" | "clinician", and
 *   data-default-audience = the article's `audience` front matter (used until the reader chooses);
 * - any element with data-audience="patient" | "clinician" (audience blocks, disclaimer wordings).
 * The choice is kept in localStorage under "medsite.audience" for every page and later visits; the
 * chosen audience is also set as data-medsite-audience on <html>, which stops the CSS default rule. */
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

  function show(audience) {
    document.documentElement.setAttribute("data-medsite-audience", audience);
    var marked = document.querySelectorAll("[data-audience]");
    for (var i = 0; i < marked.length; i++) {
      marked[i].hidden = marked[i].getAttribute("data-audience") !== audience;
    }
    var radios = document.querySelectorAll('#audience-switch input[name="audience"]');
    for (var j = 0; j < radios.length; j++) {
      radios[j].checked = radios[j].value === audience;
    }
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
