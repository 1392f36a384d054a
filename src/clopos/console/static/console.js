/* The venue console's only script: live updates (server-sent events), forms sent in the
   background with the session's CSRF token, new orders signalled (tab title, highlight, a
   chime that can be switched off), times in the browser's zone, and a few conveniences
   (confirmations, change due, copy, print). Every page also works without it: forms post
   and redirect back, times read in UTC. */
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

  // Times: the server writes UTC; the browser shows its own zone.
  function localTimes(root) {
    Array.prototype.forEach.call(root.querySelectorAll("time[data-local]"), function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) { return; }
      var wanted = el.getAttribute("data-local") === "time"
        ? { hour: "2-digit", minute: "2-digit" }
        : { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
      el.textContent = when.toLocaleString([], wanted);
      el.title = when.toString();
    });
  }

  // New orders: the tab's title counts what waits; an order not seen before is highlighted
  // and, unless switched off in this browser, a short chime plays (made here: no sound file).
  var baseTitle = document.title;
  var seen = null;
  var chimeOn = window.localStorage && window.localStorage.getItem("clopos-chime") === "off" ? false : true;
  var audio = null;
  function chime() {
    document.body.setAttribute("data-chimes", String(Number(document.body.getAttribute("data-chimes") || 0) + 1));
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      audio = audio || new Context();
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.3, audio.currentTime + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.6);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.65);
    } catch (e) { /* no sound device: the title and the highlight still say it */ }
  }
  function arrivals() {
    var region = document.querySelector("[data-arrivals]");
    if (!region) { return; }
    var waiting = region.querySelector("[data-waiting]");
    var count = waiting ? Number(waiting.getAttribute("data-waiting")) : 0;
    document.title = (count > 0 ? "(" + count + ") " : "") + baseTitle;
    var now = {};
    var fresh = [];
    Array.prototype.forEach.call(region.querySelectorAll("li.order[id]"), function (card) {
      now[card.id] = true;
      if (seen !== null && !seen[card.id]) { fresh.push(card); }
    });
    fresh.forEach(function (card) { card.classList.add("arrived"); });
    if (fresh.length && chimeOn) { chime(); }
    seen = now;
  }
  var toggle = document.getElementById("chime-toggle");
  function showToggle() {
    toggle.setAttribute("aria-pressed", chimeOn ? "true" : "false");
    toggle.textContent = "Sound for new orders: " + (chimeOn ? "on" : "off");
  }
  if (toggle) {
    toggle.hidden = false;
    showToggle();
    toggle.addEventListener("click", function () {
      chimeOn = !chimeOn;
      if (window.localStorage) { window.localStorage.setItem("clopos-chime", chimeOn ? "on" : "off"); }
      showToggle();
    });
  }

  // Once the session has ended the page goes to sign in, once: no further request (a
  // second 401 would race the first navigation and the sign-in page's message).
  var leaving = false;
  function signedOut() {
    if (leaving) { return; }
    leaving = true;
    window.location.assign(LOGIN + "?next=" + encodeURIComponent(window.location.pathname));
  }

  // Swap in the fresh fragment of each live region, keeping the keyboard focus in place.
  var refreshing = false;
  var again = false;
  function refresh() {
    if (leaving) { return; }
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
        // A fragment that shows what the region shows already is not swapped in. The
        // stream's first refresh comes as the page opens, most often with nothing new; a
        // swap then would only drop a click landing on it (pressed on the old link,
        // released on its copy) and the place of whatever was being typed.
        var fresh = document.createElement("div");
        fresh.innerHTML = html;
        localTimes(fresh);
        if (fresh.innerHTML.trim() === region.innerHTML.trim()) { return; }
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
        localTimes(region);
        Array.prototype.forEach.call(region.querySelectorAll("[data-tendered]"), change);
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
      arrivals();
      document.body.setAttribute("data-refreshed", String(Date.now()));
      if (again) { again = false; refresh(); }
    });
  }

  // Forms marked data-fetch are sent in the background; the others post as usual.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    // Actions that cannot be taken back ask first: the button's own question, else the form's.
    var question = (submitter && submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if (!form.hasAttribute("data-fetch") || !window.fetch) { return; }
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
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

  // The change due, as the cashier types what the guest handed over.
  function change(input) {
    var form = input.form;
    var out = form && form.querySelector("output.change");
    if (!out) { return; }
    var total = Number(form.getAttribute("data-total"));
    var given = Number(String(input.value).replace(",", "."));
    if (!input.value || isNaN(given)) { out.textContent = ""; return; }
    out.textContent = given >= total
      ? "Change " + (given - total).toFixed(2)
      : "Short by " + (total - given).toFixed(2);
  }
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-tendered")) { change(event.target); }
  });

  // Copy buttons (the secret page) and the receipt's print button.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy], button[data-print]") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-print")) { window.print(); return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      say("Copied to the clipboard.", "ok");
    }, function () {
      say("The browser did not allow copying: select the text and copy it.", "error");
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy], button[data-print]"), function (b) {
    b.hidden = false;
  });
  localTimes(document);
  arrivals();

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
    // Ages ("waiting 12 min") move on without any change: refresh the board now and then.
    if (document.querySelector("[data-arrivals]")) { window.setInterval(refresh, 30000); }
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
