/* Paper (docs/assets/print.css, overrides/partials/print-info.html): the date the page is printed, and
 * its address when the site has no canonical one, in the line printed under the title; and a mark on
 * links whose text already is their address, so print.css does not print the address twice.
 * Run when the page loads and again just before printing (a tab may stay open for days). */
(function () {
  "use strict";

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function printInfo() {
    var url = document.querySelector(".medsite-print-info__url");
    if (url && !url.textContent) {
      url.textContent = window.location.href;
    }
    var date = document.querySelector(".medsite-print-info__date");
    if (date) {
      var now = new Date();
      var time = document.createElement("time");
      time.dateTime = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
      time.textContent = now.toLocaleDateString("en-US", {year: "numeric", month: "long", day: "numeric"});
      date.replaceChildren(" on ", time);
    }
  }

  function markLinksShowingTheirAddress() {
    var links = document.querySelectorAll('.md-content a[href^="http"]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].textContent.trim() === links[i].getAttribute("href")) {
        links[i].setAttribute("data-medsite-shows-url", "");
      }
    }
  }

  function setup() {
    printInfo();
    markLinksShowingTheirAddress();
  }

  /* Just before printing covers a page reached by instant navigation too. */
  window.addEventListener("beforeprint", setup);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
