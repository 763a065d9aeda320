/* "Which best describes you?": show the wording for one audience, and remember the choice.
 *
 * Markup (rendered by the site, nothing here is inline so the CSP can forbid inline scripts):
 * - form#audience-switch with radio inputs name="audience" value="patient" | "clinician", and
 *   data-default-audience = the article's `audience` front matter (used until the reader chooses);
 * - any element with data-audience="patient" | "clinician" (audience blocks, disclaimer wordings).
 * The choice is kept in localStorage under "medsite.audience" for every page and later visits; a
 * chosen audience is also set as data-medsite-audience on <html>, which stops the CSS default rule
 * (until the reader chooses, the page's default audience is shown by CSS alone). */
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

  /* Change only what differs: the CSS and the server-rendered `hidden` attributes already show the
   * page's default audience, and a remembered one was put on <html> by the inline script before the
   * first paint, so on most loads this touches nothing and costs the browser no style recalculation. */
  function show(audience, chosen) {
    var root = document.documentElement;
    if (chosen && root.getAttribute("data-medsite-audience") !== audience) {
      root.setAttribute("data-medsite-audience", audience);
    }
    var marked = document.querySelectorAll("[data-audience]");
    for (var i = 0; i < marked.length; i++) {
      var hide = marked[i].getAttribute("data-audience") !== audience;
      if (marked[i].hidden !== hide) {
        marked[i].hidden = hide;
      }
    }
    var radios = document.querySelectorAll('#audience-switch input[name="audience"]');
    for (var j = 0; j < radios.length; j++) {
      var checked = radios[j].value === audience;
      if (radios[j].checked !== checked) {
        radios[j].checked = checked;
      }
    }
  }

  function setup() {
    var form = document.getElementById("audience-switch");
    if (!form) {
      return;
    }
    var chosen = stored();
    var audience = chosen || form.getAttribute("data-default-audience");
    if (AUDIENCES.indexOf(audience) >= 0) {
      show(audience, chosen !== null);
    }
    form.addEventListener("change", function (event) {
      if (AUDIENCES.indexOf(event.target.value) >= 0) {
        remember(event.target.value);
        show(event.target.value, true);
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
