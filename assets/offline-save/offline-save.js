/* "Save this edition for offline reading" (issue 20): the control in the footer of every page of the
   online site (and on the download page), which registers the service worker that Workbox wrote at
   build time (sw.js, scripts/site/offline_save.py). No caching logic here: the worker precaches the
   whole edition into one cache per build; this script only registers it on the reader's click, shows
   the size and the progress, offers to remove the saved copy, and says when a newer edition is ready.
   Loaded only by the online site (never by the file:// bundle), and nothing is fetched before the
   click but the small edition record (offline-edition.json). */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches || !/^https?:$/.test(location.protocol)) return;
  var here = document.currentScript && document.currentScript.src;
  if (!here) return;
  var root = new URL("../../", here);                 /* assets/offline-save/ → the site's root */
  var SW = new URL("sw.js", root).href, INFO = new URL("offline-edition.json", root).href;
  var KEY = "rfa-offline-edition", PREFIX = "rfa-";
  var hosts = [], server = null, saved = readSaved(), reg = null, timer = 0, ticks = 0, headerButton = null;
  var DONE = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M5 20h14v-2H5v2Zm4.5-6.3L6.2 10.4 4.8 11.8l4.7 4.7 9.7-9.7-1.4-1.4-8.3 8.3Z"/></svg>';
  var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M5 20h14v-2H5v2Zm14-11h-4V3H9v6H5l7 7 7-7Z"/></svg>';

  function readSaved() { try { return JSON.parse(localStorage.getItem(KEY)); } catch (e) { return null; } }
  function keep(info) { saved = info; try { localStorage.setItem(KEY, JSON.stringify(info)); } catch (e) { /* private mode */ } }
  function mb(bytes) { return (bytes / 1e6).toFixed(1) + " MB"; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /* one control per host: the footer of every page, and the download page's own place */
  function makeHost(parent, live) {
    var box = el("div", "rd-offline");
    box.hidden = true;                                  /* until the edition record says what there is */
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Offline reading");
    var h = {
      box: box,
      save: el("button", "rd-offline__button", "Save this edition for offline reading"),
      bar: el("progress", "rd-offline__progress"),
      status: el("span", "rd-offline__status"),
      update: el("button", "rd-offline__button", "Switch to the new edition"),
      remove: el("button", "rd-offline__button rd-offline__remove", "Remove the saved edition")
    };
    [h.save, h.update, h.remove].forEach(function (b) { b.type = "button"; });
    h.bar.max = 100;
    h.bar.setAttribute("aria-label", "Saving the edition");
    if (live) h.status.setAttribute("role", "status");
    h.save.addEventListener("click", save);
    h.update.addEventListener("click", switchEdition);
    h.remove.addEventListener("click", remove);
    box.append(h.save, h.bar, h.status, h.update, h.remove);
    parent.appendChild(box);
    hosts.push(h);
  }

  /* the small header button: takes the reader to the footer's control, and names the state */
  function makeHeaderButton() {
    var header = document.querySelector(".md-header__inner");
    if (!header || !hosts.length) return;
    headerButton = el("button", "md-header__button md-icon rd-offline__header");
    headerButton.type = "button";
    headerButton.hidden = true;
    headerButton.innerHTML = ICON;
    headerButton.addEventListener("click", function () {
      var box = hosts[0].box;
      box.scrollIntoView({ block: "center" });
      var target = [].filter.call(box.querySelectorAll("button"), function (b) { return !b.hidden; })[0];
      if (target) target.focus();
    });
    header.insertBefore(headerButton, header.querySelector(".md-search") || null);
  }

  /* state: idle | saving | saved | updating | ready | failed | offline */
  function show(state, progress, detail) {
    if (headerButton) {
      var label = { saved: "Offline reading: this edition is saved", ready: "Offline reading: a newer edition is available",
                    saving: "Offline reading: saving", updating: "Offline reading: saving a newer edition" }[state] ||
                  "Offline reading: save this edition";
      headerButton.hidden = state === "offline" || (state === "idle" && !server);
      headerButton.setAttribute("aria-label", label);
      headerButton.title = label;
      if (headerButton.getAttribute("data-state") !== state) headerButton.innerHTML = state === "saved" ? DONE : ICON;
      headerButton.setAttribute("data-state", state);
    }
    hosts.forEach(function (h) {
      h.box.hidden = state === "offline" || (state === "idle" && !server);
      h.save.hidden = !(state === "idle" || state === "failed");
      h.save.textContent = "Save this edition for offline reading" + (server ? " (" + mb(server.bytes) + ")" : "");
      h.bar.hidden = !(state === "saving" || state === "updating");
      h.bar.value = Math.round((progress || 0) * 100);
      h.update.hidden = state !== "ready";
      h.remove.hidden = !(state === "saved" || state === "ready" || state === "updating");
      h.status.textContent = {
        idle: "",
        saving: "Saving the edition… " + Math.round((progress || 0) * 100) + " %",
        saved: "Saved for offline reading" + (saved ? ": edition built " + saved.date + ", " + mb(saved.bytes) : "") +
               ". Every page, the search and the glossary work without a network.",
        updating: "A newer edition is available and is being saved… " + Math.round((progress || 0) * 100) + " %",
        ready: "A newer edition is available" + (server ? " (built " + server.date + ")" : "") +
               ". It has been saved; switch to it to read it.",
        failed: "The edition could not be saved" + (detail ? " (" + detail + ")" : "") + ". Nothing was kept; try again.",
        offline: ""
      }[state];
      h.box.setAttribute("data-state", state);
    });
  }

  /* Stop the progress ticks. A tick reads the cache asynchronously: one already under way when the
     install ends must not show its progress after the final state ("ready", "saved"), which left the
     notice stuck at "updating" on a slow machine. Each run of ticks has a number; only the current one shows. */
  function stopProgress() {
    clearInterval(timer);
    ticks++;
  }

  /* progress: the files already in the installing edition's cache, out of the edition's count */
  function watchProgress(state) {
    stopProgress();
    if (!server) return show(state, 0);
    var name = PREFIX + server.build + "-precache", run = ticks;
    function tick() {
      caches.keys().then(function (names) {
        var mine = names.filter(function (n) { return n.indexOf(name) === 0; })[0];
        return mine ? caches.open(mine).then(function (c) { return c.keys(); }) : [];
      }).then(function (keys) { if (run === ticks) show(state, Math.min(1, keys.length / server.files)); });
    }
    tick();
    timer = setInterval(tick, 250);
  }

  function dropCaches(keepName) {
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf(PREFIX) === 0 && (!keepName || n.indexOf(keepName) !== 0);
      }).map(function (n) { return caches.delete(n); }));
    });
  }

  function follow(worker, state) {
    watchProgress(state);
    worker.addEventListener("statechange", function () {
      if (worker.state === "activated" && server) keep(server);
      if (worker.state === "installed" && state === "updating") { stopProgress(); show("ready"); }
      else if (worker.state === "activated" && state === "saving") {
        stopProgress();
        show("saved");
      } else if (worker.state === "redundant" && (state === "saving" || !reg || !reg.active)) {
        stopProgress();                   /* the install failed (an error response, a lost network) */
        (reg ? reg.unregister() : Promise.resolve()).then(function () { return dropCaches(); })
          .then(function () { localStorage.removeItem(KEY); saved = null; show("failed", 0, "a download failed"); });
      } else if (worker.state === "redundant") { stopProgress(); show("saved"); }
    });
  }

  function watch(r) {
    reg = r;
    r.addEventListener("updatefound", function () {
      if (r.installing) follow(r.installing, r.active ? "updating" : "saving");
    });
    if (r.installing) follow(r.installing, r.active ? "updating" : "saving");
    else if (r.waiting && r.active) show("ready");
    else if (r.active) show("saved");
  }

  function save() {
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
    show("saving", 0);
    navigator.serviceWorker.register(SW, { scope: root.href }).then(watch, function (err) {
      show("failed", 0, err && err.message);
    });
  }

  function switchEdition() {
    if (reg && reg.waiting) reg.waiting.postMessage({ type: "SKIP_WAITING" });
  }

  function remove() {
    stopProgress();
    (reg ? reg.unregister() : Promise.resolve()).then(function () { return dropCaches(); }).then(function () {
      localStorage.removeItem(KEY);
      saved = null;
      reg = null;
      show("idle");
    });
  }

  function start() {
    var footer = document.querySelector(".md-footer-meta .md-copyright");
    if (footer) makeHost(footer, true);
    var place = document.getElementById("rd-offline-save");
    if (place) makeHost(place, !footer);
    if (!hosts.length) return;
    makeHeaderButton();
    /* the page a newly activated edition controls is reloaded, so no page mixes two editions */
    var hadController = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (hadController) { if (server) keep(server); location.reload(); }
      hadController = true;
    });
    fetch(INFO, { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; })
      .then(function (info) {
        server = info;
        return navigator.serviceWorker.getRegistration(root.href);
      }).then(function (r) {
        if (r) { watch(r); if (server) r.update().catch(function () { /* offline */ }); }
        else show(server ? "idle" : "offline");
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
