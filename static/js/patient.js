/* Progressive enhancement for the questionnaire. Every page works without this file:
   it only makes the body map clickable, keeps "None of these" exclusive, reveals follow-up
   questions, moves focus to the error summary and from its links to each question, warns
   before the session ends, opens education sections for printing and keeps a double tap
   from sending a form twice. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function bodyMap() {
    var map = document.querySelector("[data-body-map]");
    if (!map) { return; }
    var boxes = document.querySelectorAll('input[name="locations"]');
    function box(place) {
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].value === place) { return boxes[i]; }
      }
      return null;
    }
    function shapes(place) {
      return map.querySelectorAll('[data-location="' + place + '"]');
    }
    // A place has no side: the checkbox lights a place's single shapes (head, back) and only
    // the shapes of a pair (a knee) that the patient tapped.
    function paint(place) {
      var input = box(place);
      var all = shapes(place);
      for (var i = 0; i < all.length; i++) {
        var paired = all[i].hasAttribute("data-side");
        var lit = input && input.checked && (!paired || all[i].hasAttribute("data-tapped"));
        if (!(input && input.checked)) { all[i].removeAttribute("data-tapped"); }
        all[i].classList.toggle("is-selected", !!lit);
      }
    }
    map.addEventListener("click", function (event) {
      var region = event.target.closest("[data-location]");
      var place = region && region.getAttribute("data-location");
      var input = place && box(place);
      if (!input) { return; }
      var paired = region.hasAttribute("data-side");
      var lit = region.classList.contains("is-selected");
      if (paired) {
        if (lit) { region.removeAttribute("data-tapped"); } else { region.setAttribute("data-tapped", ""); }
      }
      var anyTapped = map.querySelector('[data-location="' + place + '"][data-tapped]');
      var wanted = paired ? !!anyTapped : !input.checked;
      if (input.checked !== wanted) {
        input.checked = wanted;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      } else {
        paint(place);
      }
    });
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].addEventListener("change", function (event) { paint(event.target.value); });
      paint(boxes[i].value);
    }
  }

  function exclusiveNone() {
    document.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "checkbox" || !input.checked) { return; }
      var group = document.querySelectorAll('input[type="checkbox"][name="' + input.name + '"]');
      for (var i = 0; i < group.length; i++) {
        var other = group[i];
        var clash = input.hasAttribute("data-exclusive") ? other !== input : other.hasAttribute("data-exclusive");
        if (clash && other.checked) {
          other.checked = false;
          other.dispatchEvent(new Event("change", { bubbles: true }));
        }
      }
    });
  }

  function followUps() {
    // A follow-up shows while any of its items is chosen; hidden, its answers are not sent.
    var blocks = document.querySelectorAll("[data-follow-up]");
    Array.prototype.forEach.call(blocks, function (block) {
      var triggers = block.getAttribute("data-follow-up").split(" ").map(function (value) {
        return document.querySelector('input[type="checkbox"][value="' + value + '"]');
      }).filter(Boolean);
      if (!triggers.length) { return; }
      function update() {
        var open = triggers.some(function (trigger) { return trigger.checked; });
        block.classList.toggle("is-hidden", !open);
        var inputs = block.querySelectorAll("input");
        for (var i = 0; i < inputs.length; i++) { inputs[i].disabled = !open; }
      }
      triggers.forEach(function (trigger) { trigger.addEventListener("change", update); });
      update();
    });
  }

  function errorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    summary.focus();
    // A link lands on the whole question: its legend and message in view, focus on its first answer.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var question = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!question) { return; }
      event.preventDefault();
      question.scrollIntoView({ block: "start" });
      var input = question.querySelector("input:not([disabled]), select, textarea");
      if (input) { input.focus({ preventScroll: true }); }
    });
  }

  function sessionWarning() {
    // The server's idle limit comes in data attributes; warn before it ends, kindly and in time.
    var box = document.querySelector("[data-session-warning]");
    if (!box) { return; }
    var limit = Number(box.getAttribute("data-idle-seconds")) * 1000;
    var warn = Number(box.getAttribute("data-warning-seconds")) * 1000;
    var started = Date.now();
    var timer = window.setInterval(function () {
      var left = limit - (Date.now() - started);
      if (left <= warn && box.hidden) { box.hidden = false; }
      if (left <= 0) {
        window.clearInterval(timer);
        box.querySelector("[data-session-ending]").hidden = true;
        box.querySelector("[data-session-ended]").hidden = false;
      }
    }, 1000);
  }

  function printing() {
    var button = document.querySelector("[data-print]");
    if (button) { button.addEventListener("click", function () { window.print(); }); }
    window.addEventListener("beforeprint", function () {
      var sections = document.querySelectorAll("details");
      for (var i = 0; i < sections.length; i++) { sections[i].open = true; }
    });
  }

  function submitOnce() {
    // A double tap on "Send my answers" must not send two requests that race each other.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.hasAttribute("data-sent")) {
        event.preventDefault();
      } else {
        form.setAttribute("data-sent", "");
      }
    });
    window.addEventListener("pageshow", function () {
      var sent = document.querySelectorAll("form[data-sent]");
      for (var i = 0; i < sent.length; i++) { sent[i].removeAttribute("data-sent"); }
    });
  }

  bodyMap();
  exclusiveNone();
  followUps();
  errorSummary();
  sessionWarning();
  printing();
  submitOnce();
})();
