/* Progressive enhancement for the questionnaire. Every page works without this file:
   it only makes the body map clickable, keeps "None of these" exclusive, reveals follow-up
   questions, moves focus to the error summary, opens education sections for printing and
   keeps a double tap from sending a form twice. */
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
    function paint() {
      var regions = map.querySelectorAll("[data-location]");
      for (var i = 0; i < regions.length; i++) {
        var input = box(regions[i].getAttribute("data-location"));
        regions[i].classList.toggle("is-selected", !!(input && input.checked));
      }
    }
    map.addEventListener("click", function (event) {
      var region = event.target.closest("[data-location]");
      var input = region && box(region.getAttribute("data-location"));
      if (!input) { return; }
      input.checked = !input.checked;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    for (var i = 0; i < boxes.length; i++) { boxes[i].addEventListener("change", paint); }
    paint();
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
    var blocks = document.querySelectorAll("[data-follow-up]");
    Array.prototype.forEach.call(blocks, function (block) {
      var trigger = document.querySelector('input[type="checkbox"][value="' + block.getAttribute("data-follow-up") + '"]');
      if (!trigger) { return; }
      function update() { block.classList.toggle("is-hidden", !trigger.checked); }
      trigger.addEventListener("change", update);
      update();
    });
  }

  function errorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
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
  printing();
  submitOnce();
})();
