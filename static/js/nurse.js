// Nurse workspace behaviour. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // Health data must not stay on an unattended screen: once the server has
  // ended the session, reload so the page gives way to the sign-in form.
  var idle = document.querySelector('meta[name="staff-idle-seconds"]');
  if (idle && document.querySelector(".signout")) {
    var seconds = parseInt(idle.getAttribute("content"), 10);
    if (seconds > 0) {
      window.setTimeout(function () { window.location.reload(); }, (seconds + 5) * 1000);
    }
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
