/* Kiosk mode on a shared tablet. The server forgets an idle patient on its own; this file
   makes it happen in front of the patient, sooner and kindly:
   - after a quiet spell it opens a warning with a countdown and "I'm still here";
   - when the countdown ends it sends the "Start over" form (the server forgets the patient);
   - while the patient is busy on one page it tells the server, so the server's idle clock
     never runs out before this one;
   - the finish screen counts down and goes back to the start;
   - "Start over" asks in a dialog before it forgets the patient;
   - a page is never shown again from the back/forward cache.
   Timings come from data attributes (the CSP allows no inline script). */
(function () {
  "use strict";

  var ACTIVITY = ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"];
  var startOver = document.querySelector("[data-kiosk-reset]");

  function seconds(element, name) {
    return Number(element.getAttribute(name)) * 1000;
  }

  var resetting = false;

  function resetNow(startUrl) {
    if (resetting) { return; }
    resetting = true;
    if (startOver) {
      startOver.submit();
    } else {
      window.location.replace(startUrl);
    }
  }

  function show(element, milliseconds) {
    var text = String(Math.ceil(milliseconds / 1000));
    if (element.textContent !== text) { element.textContent = text; }
  }

  function every(step) {
    var timer = window.setInterval(function () {
      if (step() === false) { window.clearInterval(timer); }
    }, 250);
  }

  function idleWarning(dialog) {
    var idle = seconds(dialog, "data-idle-seconds");
    var limit = idle + seconds(dialog, "data-warning-seconds");
    var startUrl = dialog.getAttribute("data-start-url");
    var shown = dialog.querySelector("[data-seconds-left]");
    var token = startOver.querySelector('input[name="csrf_token"]').value;
    // Tell the server at most this often while the patient is busy, and once after the last tap.
    var pingGap = Math.min(30000, Math.max(1000, idle / 3));
    // Count from the moment this page was asked for, as the server does, so this countdown
    // always ends before the server's (timeOrigin: when the navigation began, in epoch ms).
    var lastActive = window.performance.timeOrigin || Date.now() - window.performance.now();
    var lastPing = lastActive;
    var pending = null;

    function ping() {
      pending = null;
      lastPing = Date.now();
      window.fetch(dialog.getAttribute("data-ping-url"), {
        method: "POST", headers: { "X-CSRFToken": token }, credentials: "same-origin"
      }).then(function (response) {
        // Anything but "no content" means the server has already forgotten this patient.
        if (response.status !== 204) { window.location.replace(response.redirected ? response.url : startUrl); }
      }, function () { /* Offline for a moment: the next tap tries again. */ });
    }

    function active() {
      if (dialog.open) { return; }
      lastActive = Date.now();
      if (!pending) { pending = window.setTimeout(ping, Math.max(0, lastPing + pingGap - lastActive)); }
    }

    function stillHere() {
      dialog.close();
      lastActive = Date.now();
      window.clearTimeout(pending);
      ping();
    }

    ACTIVITY.forEach(function (type) {
      document.addEventListener(type, active, { capture: true, passive: true });
    });
    dialog.querySelector("[data-still-here]").addEventListener("click", stillHere);
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      stillHere();
    });
    every(function () {
      var quiet = Date.now() - lastActive;
      if (quiet >= limit) {
        resetNow(startUrl);
        return false;
      }
      if (quiet >= idle && !dialog.open) { dialog.showModal(); }
      if (dialog.open) { show(shown, limit - quiet); }
      return true;
    });
  }

  function finishCountdown(box) {
    var total = seconds(box, "data-finish-seconds");
    var ends = Date.now() + total;
    var shown = box.querySelector("[data-seconds-left]");
    box.querySelector("[data-more-time]").addEventListener("click", function () {
      ends = Date.now() + total;
    });
    every(function () {
      var left = ends - Date.now();
      if (left <= 0) {
        resetNow(box.getAttribute("data-start-url"));
        return false;
      }
      show(shown, left);
      return true;
    });
  }

  function confirmStartOver() {
    // "Start over" asks in a dialog, so "No" leaves the page, and what is typed on it, untouched.
    var link = document.querySelector("[data-kiosk-start-over]");
    var ask = document.querySelector("[data-kiosk-confirm]");
    if (!link || !ask) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      ask.showModal();
    });
    ask.querySelector("[data-kiosk-keep]").addEventListener("click", function () { ask.close(); });
  }

  function neverFromHistoryCache() {
    // Pages are sent with no-store, but some browsers (Safari) still keep them for Back:
    // blank a page as it goes into that cache and fetch it afresh if it ever comes back.
    window.addEventListener("pagehide", function (event) {
      if (event.persisted) { document.documentElement.classList.add("kiosk-forgotten"); }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) { window.location.reload(); }
    });
  }

  var dialog = document.querySelector("[data-kiosk-idle]");
  var finish = document.querySelector("[data-kiosk-finish]");
  if (dialog && startOver) { idleWarning(dialog); }
  if (finish) { finishCountdown(finish); }
  confirmStartOver();
  neverFromHistoryCache();
})();
