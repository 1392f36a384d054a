/* The venue console's only script: live updates (server-sent events), forms sent in the
   background with the session's CSRF token, and a few conveniences. Every page also works
   without it: forms post and redirect back. */
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var statusBox = document.getElementById("status");
  var LOGIN = "/console/login";

  function say(text, kind) {
    if (!statusBox || !text) { return; }
    statusBox.textContent = text;
    statusBox.className = "flash " + (kind || "ok");
  }

  function signedOut() {
    window.location.assign(LOGIN + "?next=" + encodeURIComponent(window.location.pathname));
  }

  // Swap in the fresh fragment of each live region, keeping the keyboard focus in place.
  var refreshing = false;
  var again = false;
  function refresh() {
    if (refreshing) { again = true; return; }
    var regions = document.querySelectorAll("[data-live-src]");
    if (!regions.length) { return; }
    refreshing = true;
    var focused = document.activeElement && document.activeElement.id;
    var jobs = Array.prototype.map.call(regions, function (region) {
      return fetch(region.getAttribute("data-live-src"), {
        headers: { "x-console-fetch": "1" },
        credentials: "same-origin",
        cache: "no-store"
      }).then(function (response) {
        if (response.status === 401) { signedOut(); return null; }
        return response.ok ? response.text() : null;
      }).then(function (html) {
        if (html === null) { return; }
        // What the person was choosing (a payment method, a limit) survives the swap.
        var kept = {};
        Array.prototype.forEach.call(
          region.querySelectorAll("select[id], input[id]:not([type=hidden])"),
          function (field) { kept[field.id] = field.value; }
        );
        region.innerHTML = html;
        Object.keys(kept).forEach(function (id) {
          var field = document.getElementById(id);
          if (field && region.contains(field)) { field.value = kept[id]; }
        });
      });
    });
    Promise.all(jobs).catch(function () {
      say("Could not refresh: check the connection.", "error");
    }).then(function () {
      refreshing = false;
      if (focused) {
        var target = document.getElementById(focused);
        if (target) { target.focus(); }
      }
      document.body.setAttribute("data-refreshed", String(Date.now()));
      if (again) { again = false; refresh(); }
    });
  }

  // Forms marked data-fetch are sent in the background; the others post as usual.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if (!form.hasAttribute("data-fetch") || !window.fetch) { return; }
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    var submitter = event.submitter;
    if (submitter && submitter.name) { body.append(submitter.name, submitter.value); }
    var buttons = form.querySelectorAll("button");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "x-csrf-token": csrf, "x-console-fetch": "1" }
    }).then(function (response) {
      if (response.status === 401) { signedOut(); return null; }
      return response.json().then(function (data) {
        say(data.message || data.error, response.ok ? "ok" : "error");
      });
    }).catch(function () {
      say("The request did not go through: check the connection.", "error");
    }).then(function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      refresh();
    });
  });

  // Selects marked data-autosubmit submit their (GET) form when changed.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.hasAttribute && select.hasAttribute("data-autosubmit") && select.form) {
      select.form.submit();
    }
  });
  document.documentElement.classList.add("js");

  // Live updates: the server says when the brand's orders, receipts or stop list change.
  var live = document.querySelector("[data-events]");
  if (live && window.EventSource) {
    var source = new EventSource(live.getAttribute("data-events"));
    source.addEventListener("ready", function () {
      document.body.setAttribute("data-live", "on");
      refresh();  // anything that changed between the page and the stream
    });
    source.addEventListener("changed", refresh);
    source.addEventListener("signed-out", function () { source.close(); signedOut(); });
    source.onerror = function () {
      document.body.setAttribute("data-live", "off");
      if (source.readyState === EventSource.CLOSED) {
        say("Live updates stopped: reload the page.", "error");
      }
    };
    window.addEventListener("pagehide", function () { source.close(); });
  }
}());
