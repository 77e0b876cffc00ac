/* The course builder (courses/builder.html; the page and its data: scripts/course/builder.py).

   Two modes on one page:
   - the builder: weeks of items (a reading or chapter, whole or by printed pages or paragraphs — typed,
     or picked from the reading's list of paragraphs; an essay), notes and questions, with the syllabus previewed as it is built. The course is saved in
     localStorage at every change, so a reload keeps it. Nothing leaves the page: no request is made.
   - a shared syllabus: a URL whose fragment is "#course=" + the course, versioned and compressed
     with lz-string (assets/javascripts/vendor/). Students see the syllabus with links to the
     paragraphs; a damaged link says what is wrong instead of showing a blank page.

   The course has the shape of a course file (courses/<id>.yml, scripts/course/syllabi.py), which
   "Download course file" writes and "Load a course file" reads (js-yaml). It is checked and counted
   as the build checks and counts it, from the data the build exported (window.RFA_COURSE_DATA). */
(function () {
  "use strict";
  var root = document.getElementById("course-builder");
  var DATA = window.RFA_COURSE_DATA;
  if (!root || !DATA) return;
  var FORMAT = Number(root.getAttribute("data-format")) || 1;
  var intro = root.querySelector(".builder-intro");      // the page's explanation, shown above the builder
  var STORE = "rfa-course-builder-v1";
  var WPM = DATA.words_per_minute;
  var readings = {}, essays = {};
  DATA.readings.forEach(function (r) { readings[r.key] = r; });
  DATA.essays.forEach(function (e) { essays[e.id] = e; });

  /* ---- small DOM helper: text always as text, never as HTML ---- */
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") el.textContent = attrs[k];
      else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) el.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return el;
  }
  var uid = 0;
  function newId(prefix) { uid += 1; return prefix + "-" + uid; }

  /* ---- counting and checking, as scripts/course/syllabi.py and page_ranges.py do ---- */
  function minutes(words) { return Math.max(1, Math.ceil(words / WPM)); }
  function minutesText(m) {
    var hrs = Math.floor(m / 60), mins = m % 60;
    return hrs ? hrs + " h " + (mins < 10 ? "0" : "") + mins + " min" : mins + " min";
  }
  function num(n) { return n.toLocaleString("en-US"); }
  function sum(list, a, b) { var t = 0; for (var i = a; i <= b; i++) t += list[i - 1] || 0; return t; }
  function label(a, b) { return a === b ? String(a) : a + "–" + b; }
  var RANGE = /^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*$/;

  function parseRange(kind, text) {
    var m = RANGE.exec(String(text === undefined || text === null ? "" : text));
    var unit = kind === "pages" ? "pages" : "paragraphs", ex = kind === "pages" ? "121-136" : "12-40";
    if (!m) {
      if (String(text || "").trim() === "") throw new Error("'" + kind + ":' has no range after it: write the first and last " +
        unit + " (" + ex + "), or choose the whole reading");
      throw new Error("'" + kind + ": " + text + "' is not a range of " + unit + ": write the first and last number " +
        "with a hyphen between them (" + ex + "), or one number");
    }
    return [Number(m[1]), Number(m[2] || m[1])];
  }

  /* An item of the course -> what the syllabus shows, or an Error whose message says what to fix. */
  function resolve(item) {
    if (!item || typeof item !== "object") throw new Error("this item is not a reading or an essay");
    if (!!item.reading === !!item.essay) throw new Error("an item names exactly one reading or essay: choose one");
    if (item.essay) {
      var e = essays[item.essay];
      if (item.paragraphs || item.pages) throw new Error("paragraph and page ranges apply to readings, not essays");
      if (!e) throw new Error("there is no essay '" + item.essay + "' in this edition");
      return { title: e.title, href: e.href, anchor: "", span: "", pages: "", words: e.words, noteWords: 0,
               minutes: minutes(e.words), questions: e.questions, partial: [], linked: true };
    }
    var key = String(item.reading), r = readings[key];
    if (item.paragraphs && item.pages) throw new Error("give either printed pages or paragraphs, not both");
    if (!r) {
      if (item.pages && DATA.books[key]) {
        var pp = parseRange("pages", item.pages), part = DATA.books[key].filter(function (b) {
          return b[1] <= pp[0] && pp[0] <= b[2]; })[0];
        if (part) throw new Error("page ranges select paragraphs of one part of the book: pages " + label(pp[0], pp[1]) +
          " are in " + part[0] + " (pp. " + part[1] + "–" + part[2] + "); choose that chapter");
      }
      throw new Error("there is no reading or chapter '" + key + "' in this edition");
    }
    var count = r.words.length;
    var t = { title: r.title, href: r.href, anchor: "", span: "", pages: "", words: sum(r.words, 1, count),
              noteWords: r.note_words, questions: r.questions, partial: [], linked: r.printed };
    if (item.paragraphs) {
      var p = parseRange("paragraphs", item.paragraphs);
      if (!(1 <= p[0] && p[0] <= p[1] && p[1] <= count))
        throw new Error("paragraphs " + item.paragraphs + " are outside " + key + " (¶ 1–" + count +
          "): give a range within 1–" + count + ", first number first");
      t.words = sum(r.words, p[0], p[1]); t.noteWords = 0;
      t.anchor = "p" + p[0]; t.span = "¶ " + label(p[0], p[1]);
    }
    if (item.pages) {
      var g = parseRange("pages", item.pages), shown = label(g[0], g[1]);
      if (!r.pages) throw new Error("'" + key + "' has no printed page numbers in this edition, so pages " + shown +
        " cannot be found in it: give a paragraph range instead, or assign the whole reading");
      if (g[0] > g[1]) throw new Error("pages " + shown + ": the first page is after the last");
      if (!(r.part[0] <= g[0] && g[1] <= r.part[1]))
        throw new Error((g[0] === g[1] ? "page " + shown + " is" : "pages " + shown + " are") + " outside " + key +
          ", which is printed on pp. " + r.part[0] + "–" + r.part[1]);
      var chosen = [];
      r.pages.forEach(function (ab, i) { if (ab[0] && ab[0] <= g[1] && ab[1] >= g[0]) chosen.push(i + 1); });
      if (!chosen.length) throw new Error("no paragraph of " + key + " is printed on pages " + shown + ": widen the range");
      var first = chosen[0], last = chosen[chosen.length - 1];
      t.words = sum(r.words, first, last); t.noteWords = 0;
      t.anchor = "p" + first; t.span = "¶ " + label(first, last);
      t.pages = g[0] === g[1] ? "p. " + g[0] : "pp. " + g[0] + "–" + g[1];
      [first, last].filter(function (n, i, a) { return a.indexOf(n) === i; }).forEach(function (n) {
        var ab = r.pages[n - 1], where = [];
        if (ab[0] < g[0]) where.push("begins on p. " + ab[0]);
        if (ab[1] > g[1]) where.push("ends on p. " + ab[1]);
        if (where.length) t.partial.push("¶ " + n + " (" + where.join(" and ") + ")");
      });
    }
    if (t.anchor && r.shown && r.shown.indexOf(Number(t.anchor.slice(1))) < 0) t.anchor = "";
    t.minutes = minutes(t.words + t.noteWords);
    return t;
  }

  /* The shape of a course (from a link, a file or storage): problems named by place, never thrown away. */
  function shapeProblems(course) {
    var out = [];
    if (!course || typeof course !== "object" || Array.isArray(course)) return ["this is not a course"];
    if (!course.title || typeof course.title !== "string") out.push("the course has no title");
    if (!Array.isArray(course.weeks) || !course.weeks.length) out.push("the course has no weeks");
    return out;
  }
  function normalise(course) {
    var weeks = Array.isArray(course.weeks) ? course.weeks : [];
    return {
      title: String(course.title || ""), introduction: String(course.introduction || ""),
      weeks: weeks.map(function (w) {
        w = w && typeof w === "object" ? w : {};
        return {
          title: String(w.title || ""), notes: String(w.notes || ""),
          questions: (Array.isArray(w.questions) ? w.questions : []).map(String),
          items: (Array.isArray(w.items) ? w.items : []).map(function (it) {
            it = it && typeof it === "object" ? it : {};
            var o = {};
            ["reading", "essay", "paragraphs", "pages", "note"].forEach(function (k) {
              if (it[k] !== undefined && it[k] !== null && it[k] !== "") o[k] = String(it[k]);
            });
            return o;
          })
        };
      })
    };
  }

  /* ---- share links: "#course=" + lz-string of {"v": FORMAT, "course": …} ---- */
  function upgrade(payload) {
    // version 1 is the first; a later format adds its conversion from the one before here
    return payload.course;
  }
  function encode(course) {
    return "course=" + LZString.compressToEncodedURIComponent(JSON.stringify({ v: FORMAT, course: course }));
  }
  function decode(fragment) {
    var packed = fragment.replace(/^#?course=/, "");
    var text = packed ? LZString.decompressFromEncodedURIComponent(packed) : null;
    if (!text) throw new Error("this link does not hold a course that can be read: it may have been cut short or " +
      "changed when it was copied. Ask for the link again.");
    var payload;
    try { payload = JSON.parse(text); } catch (err) {
      throw new Error("this link's course is damaged (" + err.message + "). Ask for the link again.");
    }
    if (!payload || typeof payload.v !== "number") throw new Error("this link does not say which course format it uses");
    if (payload.v > FORMAT) throw new Error("this link was made by a newer edition of the reader (course format " +
      payload.v + "; this edition reads up to " + FORMAT + "): open it on the site it came from");
    return normalise(upgrade(payload));
  }

  /* ---- the course file (YAML) ---- */
  function q(s) { return JSON.stringify(String(s)); }      // a JSON string is a YAML double-quoted scalar
  function toYaml(course) {
    var L = ["# A course file made with the course builder of Revolution from Above. Put it in courses/ and run",
             "#   ./site.sh course courses/" + fileName(course), "title: " + q(course.title)];
    if (course.introduction) L.push("introduction: " + q(course.introduction));
    L.push("weeks:");
    course.weeks.forEach(function (w) {
      L.push("  - title: " + q(w.title));
      if (w.notes) L.push("    notes: " + q(w.notes));
      var qs = w.questions.filter(function (x) { return x.trim(); });
      if (qs.length) { L.push("    questions:"); qs.forEach(function (x) { L.push("      - " + q(x)); }); }
      L.push("    items:" + (w.items.length ? "" : " []"));
      w.items.forEach(function (it) {
        L.push("      - " + (it.essay ? "essay: " + q(it.essay) : "reading: " + q(it.reading)));
        if (it.pages) L.push("        pages: " + q(it.pages));
        if (it.paragraphs) L.push("        paragraphs: " + q(it.paragraphs));
        if (it.note) L.push("        note: " + q(it.note));
      });
    });
    return L.join("\n") + "\n";
  }
  function fileName(course) {
    var slug = String(course.title || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");
    return (slug || "my-course") + ".yml";
  }

  /* ---- storage ---- */
  function save(course) { try { localStorage.setItem(STORE, JSON.stringify(course)); } catch (e) { /* private mode */ } }
  function load() {
    try { var t = localStorage.getItem(STORE); return t ? normalise(JSON.parse(t)) : null; } catch (e) { return null; }
  }
  function blank() {
    return { title: "", introduction: "", weeks: [{ title: "", notes: "", questions: [], items: [] }] };
  }

  /* ---- the syllabus (preview and shared view) ---- */
  function syllabus(course, headingLevel) {
    var problems = [], weeksEl = [], total = 0, items = 0;
    var H = "h" + headingLevel, H2 = "h" + (headingLevel + 1);
    course.weeks.forEach(function (w, wi) {
      var list = h("ul", { "class": "syllabus-week-items" }), weekMinutes = 0;
      if (!w.items.length) {
        problems.push("Week " + (wi + 1) + " lists nothing");
        list.appendChild(h("li", { "class": "builder-error", text: "This week lists nothing: add at least one reading or essay." }));
      }
      w.items.forEach(function (it, ii) {
        var li = h("li", { "class": "syllabus-entry", "data-week": wi + 1, "data-item": ii + 1 });
        try {
          var t = resolve(it);
          weekMinutes += t.minutes; items += 1;
          var text = t.title + (t.pages ? ", " + t.pages + " (" + t.span + ")" : t.span ? ", " + t.span : "");
          var link = t.linked ? h("a", { href: "../" + t.href + (t.anchor ? "#" + t.anchor : ""), text: text }) :
            h("span", { "class": "not-printed", text: text + " (not printed in this edition)" });
          li.setAttribute("data-href", t.href + (t.anchor ? "#" + t.anchor : ""));
          li.setAttribute("data-span", t.span);
          li.appendChild(h("span", { "class": "syllabus-item" }, [link]));
          li.appendChild(document.createTextNode(" — " + num(t.words) + " words" +
            (t.noteWords ? " and " + num(t.noteWords) + " in the notes" : "") + ", about " + minutesText(t.minutes)));
          if (t.partial.length) li.appendChild(h("span", { "class": "syllabus-partial" }, [h("br"),
            "The paragraphs printed on " + t.pages + " of the book, each assigned whole; partly on other pages: " +
            t.partial.join("; ") + "."]));
          if (it.note) li.appendChild(h("span", {}, [h("br"), h("em", { text: it.note })]));
          if (t.questions.length) {
            li.appendChild(h("p", { text: "Questions from the reading guide:" }));
            li.appendChild(h("ol", {}, t.questions.map(function (x) { return h("li", { text: x }); })));
          }
        } catch (err) {
          var what = it.reading || it.essay || "(nothing chosen)";
          problems.push("Week " + (wi + 1) + ", item " + (ii + 1) + " (" + what + "): " + err.message);
          li.classList.add("builder-error");
          li.appendChild(h("strong", { text: "Week " + (wi + 1) + ", item " + (ii + 1) + " (" + what + "): " }));
          li.appendChild(document.createTextNode(err.message));
        }
        list.appendChild(li);
      });
      total += weekMinutes;
      var sec = h("section", { "class": "syllabus-week" }, [
        h(H2, { text: "Week " + (wi + 1) + ": " + (w.title || "(no title)") }),
        h("p", {}, [h("em", { text: "Reading: about " + minutesText(weekMinutes) + "." })]), list]);
      if (w.notes) sec.appendChild(h("div", { "class": "admonition note" }, [
        h("p", { "class": "admonition-title", text: "Instructor's notes" }), h("p", { text: w.notes })]));
      var qs = w.questions.filter(function (x) { return x.trim(); });
      if (qs.length) {
        sec.appendChild(h("p", {}, [h("strong", { text: "Questions for discussion" })]));
        sec.appendChild(h("ol", {}, qs.map(function (x) { return h("li", { text: x }); })));
      }
      weeksEl.push(sec);
    });
    var head = [h(H, { "class": "syllabus-title", text: course.title || "(no title yet)" }),
      h("p", { "class": "syllabus-facts", text: course.weeks.length + " weeks · " + items + " items · about " +
        minutesText(total) + " of reading at " + WPM + " words a minute" })];
    course.introduction.split(/\n\s*\n/).forEach(function (p) { if (p.trim()) head.push(h("p", { text: p.trim() })); });
    return { el: h("div", { "class": "syllabus-preview" }, head.concat(weeksEl)), problems: problems };
  }

  /* ---- the shared view ---- */
  function showShared(fragment) {
    root.textContent = "";
    var course;
    try { course = decode(fragment); } catch (err) {
      root.appendChild(h("div", { "class": "builder-error", role: "alert" }, [
        h("p", {}, [h("strong", { text: "This course link cannot be opened. " }), err.message]),
        h("p", {}, [h("a", { href: location.pathname, text: "Open the course builder" })])]));
      return;
    }
    var shape = shapeProblems(course);
    var view = syllabus(course, 2);
    var h1 = document.querySelector("article h1");
    if (h1) h1.textContent = "Course syllabus";
    var problems = shape.concat(view.problems);
    if (problems.length) root.appendChild(h("div", { "class": "builder-error", role: "alert" }, [
      h("p", { text: "Some of this course cannot be shown as it was written (the items are marked below):" }),
      h("ul", {}, problems.map(function (p) { return h("li", { text: p }); }))]));
    root.appendChild(view.el);
    root.appendChild(h("p", { "class": "builder-actions" }, [h("button", { type: "button", "class": "builder-button",
      onclick: function () { save(course); location.hash = ""; startBuilder(); }, text: "Edit a copy of this course" })]));
  }

  /* ---- the builder ---- */
  var course, preview, status;
  function changed() { save(course); renderPreview(); }
  function announce(text) { status.textContent = text; }
  function renderPreview() {
    var view = syllabus(course, 3);
    preview.textContent = "";
    preview.appendChild(view.el);
    document.querySelectorAll("[data-item-error]").forEach(function (el) {
      var wi = Number(el.getAttribute("data-week")), ii = Number(el.getAttribute("data-item"));
      var msg = "";
      try { resolve(course.weeks[wi].items[ii]); } catch (err) { msg = err.message; }
      el.textContent = msg;
      el.hidden = !msg;
    });
    document.querySelectorAll("[data-week-error]").forEach(function (el) {
      var w = course.weeks[Number(el.getAttribute("data-week"))];
      el.textContent = w && !w.items.length ? "This week lists nothing: add a reading or an essay." : "";
      el.hidden = !el.textContent;
    });
  }

  function field(labelText, control, hint) {
    var id = control.id || (control.id = newId("f"));
    return h("div", { "class": "builder-field" }, [h("label", { "for": id, text: labelText }), control,
      hint ? h("span", { "class": "builder-hint", text: hint }) : null]);
  }
  function input(value, onchange, attrs) {
    var el = h("input", Object.assign({ type: "text", value: value || "" }, attrs || {}));
    el.addEventListener("input", function () { onchange(el.value); changed(); });
    return el;
  }
  function textarea(value, onchange, rows) {
    var el = h("textarea", { rows: rows || 2 });
    el.value = value || "";
    el.addEventListener("input", function () { onchange(el.value); changed(); });
    return el;
  }

  function targetSelect(item) {
    var sel = h("select", {});
    sel.appendChild(h("option", { value: "", text: "— choose a reading or an essay —" }));
    var groups = {};
    DATA.readings.forEach(function (r) {
      var book = r.key.indexOf("/") > 0 ? r.key.split("/")[0] : "";
      var gname = book ? "Viola's book, by chapter" : "Readings";
      if (!groups[gname]) { groups[gname] = h("optgroup", { label: gname }); }
      groups[gname].appendChild(h("option", { value: "reading:" + r.key,
        text: r.title + (r.printed ? "" : " (not printed in this edition)") }));
    });
    Object.keys(groups).sort().reverse().forEach(function (g) { sel.appendChild(groups[g]); });
    var eg = h("optgroup", { label: "Essays" });
    DATA.essays.forEach(function (e) { eg.appendChild(h("option", { value: "essay:" + e.id, text: e.title })); });
    sel.appendChild(eg);
    var current = item.reading ? "reading:" + item.reading : item.essay ? "essay:" + item.essay : "";
    sel.value = current;
    if (sel.value !== current) {          // an item this edition does not have: keep it, named
      sel.appendChild(h("option", { value: current, text: current.replace(":", ": ") + " (not in this edition)" }));
      sel.value = current;
    }
    return sel;
  }

  /* ---- "Pick paragraphs": a paragraph range chosen from the reading's own paragraphs ----
     The reading's ¶s, each by its number, the printed page it begins on and its first words (from the
     build's data: nothing is fetched). Choosing one ¶ and then another sets the range between them, in
     either order; shift with the second choice does the same from the range's first ¶; a third choice
     starts again. Each ¶ is a button — a click, a tap, Enter or Space chooses it — and the arrow keys,
     Home, End, Page Up and Page Down move between them, so the long list is one stop of the Tab key
     (a roving tabindex). ``onPick([a, b])`` writes the range into the item as if it had been typed. */
  function paragraphPicker(r, current, onPick, name) {
    var statusEl = h("p", { "class": "builder-pick-status", "aria-live": "polite" });
    var list = h("ol", { "class": "builder-pick-list" });
    var start = null;                 // the first ¶ of a range being chosen, until its last is chosen
    var range = current;              // [a, b] shown as chosen
    var buttons = r.starts.map(function (text, i) {
      var n = i + 1, page = r.pages && r.pages[i] && r.pages[i][0] ? "p. " + r.pages[i][0] : "";
      var b = h("button", { type: "button", "class": "builder-pick", "data-p": n, tabindex: "-1" }, [
        h("span", { "class": "builder-pick-n", text: "¶ " + n }), page ? h("span", { "class": "builder-pick-page", text: page }) : null,
        h("span", { "class": "builder-pick-text", text: text || "(not printed in this edition)" })]);
      b.addEventListener("click", function (e) { choose(n, e.shiftKey); });
      b.addEventListener("keydown", function (e) {
        var to = { ArrowDown: n, ArrowRight: n, ArrowUp: n - 2, ArrowLeft: n - 2, Home: 0, End: buttons.length - 1,
                   PageDown: n + 9, PageUp: n - 11 }[e.key];
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(n, e.shiftKey); return; }
        if (to === undefined) return;
        e.preventDefault();
        focusAt(Math.max(0, Math.min(buttons.length - 1, to)));
      });
      list.appendChild(h("li", {}, [b]));
      return b;
    });
    function focusAt(i) {
      buttons.forEach(function (b, j) { b.tabIndex = j === i ? 0 : -1; });
      buttons[i].focus();
    }
    function show() {
      buttons.forEach(function (b, i) {
        var n = i + 1, on = start !== null ? n === start : !!range && range[0] <= n && n <= range[1];
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      var first = start !== null ? start : range ? range[0] : 1;
      buttons.forEach(function (b, j) { b.tabIndex = j === first - 1 ? 0 : -1; });
      statusEl.textContent = start !== null ? "¶ " + start + " is the first paragraph: now choose the last (or keep " +
        "this one alone)." : range ? "Chosen: ¶ " + label(range[0], range[1]) + "." : "No paragraphs chosen yet.";
    }
    function choose(n, extend) {
      var from = start !== null ? start : extend && range ? range[0] : null;
      if (from === null) { start = n; range = [n, n]; }
      else { start = null; range = [Math.min(from, n), Math.max(from, n)]; }
      onPick(range);
      show();
    }
    var panel = h("div", { "class": "builder-picker", role: "group", "aria-label": name }, [
      h("p", { "class": "builder-hint", text: "Choose the first paragraph, then the last (or shift-click the last). " +
        "The arrow keys move between paragraphs; Enter or Space chooses one." }), list, statusEl]);
    show();
    return { el: panel, set: function (rg) { start = null; range = rg; show(); } };
  }

  function itemEditor(week, wi, item, ii) {
    var errId = newId("item-error");
    var box = h("li", { "class": "builder-item" });
    var sel = targetSelect(item);
    var kind = h("select", {}, [h("option", { value: "whole", text: "the whole text" }),
      h("option", { value: "pages", text: "printed pages" }), h("option", { value: "paragraphs", text: "paragraphs (¶)" })]);
    kind.value = item.pages ? "pages" : item.paragraphs ? "paragraphs" : "whole";
    var range = input(item.pages || item.paragraphs || "", function (v) { setRange(v); syncPicker(); },
      { "aria-describedby": errId, placeholder: "121–136" });
    var picker = null, pickerBox = h("div", { id: newId("pick"), hidden: "" });
    var pickButton = h("button", { type: "button", "class": "builder-small", "aria-expanded": "false",
      "aria-controls": pickerBox.id, text: "Pick paragraphs for item " + (ii + 1) + " of week " + (wi + 1),
      onclick: function () { if (picker) closePicker(); else openPicker(); } });
    function typedParagraphs() {       // the item's paragraph range as typed, if it is one of this reading
      try {
        var p = item.paragraphs ? parseRange("paragraphs", item.paragraphs) : null;
        return p && p[0] >= 1 && p[0] <= p[1] && p[1] <= readings[item.reading].starts.length ? p : null;
      } catch (err) { return null; }
    }
    function openPicker() {
      var r = readings[item.reading];
      picker = paragraphPicker(r, typedParagraphs(), function (p) {
        kind.value = "paragraphs";
        range.value = p[0] === p[1] ? String(p[0]) : p[0] + "-" + p[1];
        setRange(range.value); syncKind(); changed();
      }, "Paragraphs of " + r.title);
      pickerBox.appendChild(picker.el);
      pickerBox.hidden = false;
      pickButton.setAttribute("aria-expanded", "true");
      pickButton.textContent = "Close the paragraphs of item " + (ii + 1) + " of week " + (wi + 1);
    }
    function closePicker() {
      picker = null; pickerBox.textContent = ""; pickerBox.hidden = true;
      pickButton.setAttribute("aria-expanded", "false");
      pickButton.textContent = "Pick paragraphs for item " + (ii + 1) + " of week " + (wi + 1);
    }
    function syncPicker() { if (picker) picker.set(kind.value === "paragraphs" ? typedParagraphs() : null); }
    function setRange(v) {
      delete item.pages; delete item.paragraphs;
      if (kind.value !== "whole") item[kind.value] = v;
    }
    function syncKind() {
      range.disabled = kind.value === "whole" || !!item.essay;
      kind.disabled = !!item.essay;
      range.placeholder = kind.value === "pages" ? "121–136" : kind.value === "paragraphs" ? "12–40" : "";
      var r = item.reading && readings[item.reading];
      pickButton.hidden = !(r && r.starts);            // a reading this edition prints, not an essay
      if (pickButton.hidden && picker) closePicker();
    }
    sel.setAttribute("aria-describedby", errId);
    sel.addEventListener("change", function () {
      delete item.reading; delete item.essay;
      var v = sel.value, i = v.indexOf(":");
      if (i > 0) item[v.slice(0, i)] = v.slice(i + 1);
      if (item.essay) { delete item.pages; delete item.paragraphs; kind.value = "whole"; range.value = ""; }
      if (picker) closePicker();                         // another text: its own paragraphs
      syncKind(); changed();
    });
    kind.addEventListener("change", function () { setRange(range.value); syncKind(); syncPicker(); changed(); });
    syncKind();
    box.appendChild(h("div", { "class": "builder-row" }, [
      field("Week " + (wi + 1) + ", item " + (ii + 1), sel),
      field("Assign", kind), field("Range", range, "e.g. 121–136 or 12–40")]));
    box.appendChild(h("div", { "class": "builder-pick-row" }, [pickButton]));
    box.appendChild(pickerBox);
    box.appendChild(field("Note for students (optional)", input(item.note, function (v) {
      if (v) item.note = v; else delete item.note; })));
    box.appendChild(h("p", { id: errId, "class": "builder-error", "data-item-error": "", "data-week": wi,
      "data-item": ii, role: "status", hidden: "" }));
    box.appendChild(h("button", { type: "button", "class": "builder-small", text: "Remove item " + (ii + 1) +
      " of week " + (wi + 1), onclick: function () { week.items.splice(ii, 1); renderEditor(); changed();
      announce("Item removed."); } }));
    return box;
  }

  function weekEditor(week, wi) {
    var fs = h("fieldset", { "class": "builder-week" }, [h("legend", { text: "Week " + (wi + 1) })]);
    fs.appendChild(field("Title of week " + (wi + 1), input(week.title, function (v) { week.title = v; })));
    var list = h("ol", { "class": "builder-items" });
    week.items.forEach(function (item, ii) { list.appendChild(itemEditor(week, wi, item, ii)); });
    fs.appendChild(list);
    fs.appendChild(h("p", { "class": "builder-error", "data-week-error": "", "data-week": wi, role: "status", hidden: "" }));
    fs.appendChild(h("button", { type: "button", "class": "builder-button", text: "Add an item to week " + (wi + 1),
      onclick: function () { week.items.push({}); renderEditor(); changed();
        var sels = fs.ownerDocument.querySelectorAll(".builder-week")[wi].querySelectorAll(".builder-item select");
        if (sels.length) sels[sels.length - 2].focus(); } }));
    fs.appendChild(field("Instructor's notes (optional)", textarea(week.notes, function (v) { week.notes = v; })));
    fs.appendChild(field("Questions for discussion, one a line (optional)",
      textarea(week.questions.join("\n"), function (v) { week.questions = v.split("\n"); }, 3)));
    if (course.weeks.length > 1) fs.appendChild(h("button", { type: "button", "class": "builder-small",
      text: "Remove week " + (wi + 1), onclick: function () { course.weeks.splice(wi, 1); renderEditor(); changed();
        announce("Week removed."); } }));
    return fs;
  }

  var editor;
  function renderEditor() {
    editor.textContent = "";
    editor.appendChild(field("Course title", input(course.title, function (v) { course.title = v; })));
    editor.appendChild(field("Introduction (optional)", textarea(course.introduction, function (v) { course.introduction = v; }, 3)));
    course.weeks.forEach(function (w, wi) { editor.appendChild(weekEditor(w, wi)); });
    editor.appendChild(h("button", { type: "button", "class": "builder-button", text: "Add a week", onclick: function () {
      course.weeks.push({ title: "", notes: "", questions: [], items: [] }); renderEditor(); changed();
      announce("Week " + course.weeks.length + " added.");
      var weeks = editor.querySelectorAll(".builder-week"); weeks[weeks.length - 1].querySelector("input").focus(); } }));
  }

  function share() {
    var problems = syllabus(course, 2).problems.concat(shapeProblems(course));
    var url = location.href.split("#")[0] + "#" + encode(course);
    var out = document.getElementById("builder-share-url");
    out.value = url;
    out.parentNode.hidden = false;
    out.focus(); out.select();
    announce(problems.length ? "Link made, but the course has problems students will see: " + problems.join(" ") :
      "Link made: copy it and give it to your students.");
  }
  function download() {
    var problems = syllabus(course, 2).problems.concat(shapeProblems(course));
    if (problems.length) { announce("Fix these first — the build would stop on them: " + problems.join(" ")); return; }
    var blob = new Blob([toYaml(course)], { type: "text/yaml" });
    var a = h("a", { href: URL.createObjectURL(blob), download: fileName(course) });
    document.body.appendChild(a); a.click(); a.remove();
    announce("Downloaded " + fileName(course) + ": put it in courses/ and run ./site.sh course courses/" + fileName(course));
  }
  function loadFile(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var data;
      try { data = jsyaml.load(String(reader.result)); } catch (err) {
        announce(file.name + " is not a course file that can be read: " + err.message.split("\n")[0] +
          ". Your course here is unchanged."); return;
      }
      var shape = shapeProblems(data);
      if (shape.length && !(data && Array.isArray(data.weeks))) {
        announce(file.name + ": " + shape.join("; ") + ". Your course here is unchanged."); return;
      }
      course = normalise(data); renderEditor(); changed();
      var problems = syllabus(course, 2).problems.concat(shape);
      announce("Loaded " + file.name + (problems.length ? ". To fix: " + problems.join(" ") : "."));
    };
    reader.readAsText(file);
  }

  /* ---- "Print the course reader": the assigned passages in order, printed with the print styles ----
     The pages are read from the site itself (same origin). A page opened from file:// cannot read
     another file, so the offline bundle says to print each reading from its own page instead. */
  function passageBlocks(doc, anchor, span) {
    var article = doc.querySelector("article");
    if (!article) return [];
    var m = /¶ (\d+)(?:–(\d+))?/.exec(span || ""), first = m ? +m[1] : 0, last = m ? +(m[2] || m[1]) : 0;
    var skip = /^(reading-source|cite-this|cite-print|reading-guide|discussed-in|footnote|rights-note)$/;
    var kept = [], inside = !m, waiting = [];
    Array.prototype.forEach.call(article.children, function (el) {
      if (el.tagName === "H1" || Array.prototype.some.call(el.classList, function (c) { return skip.test(c); })) return;
      var next = el.nextElementSibling;             // the page's own "Notes" heading: the reader gives its own
      if (/^H[2-6]$/.test(el.tagName) && next && next.classList.contains("footnote")) return;
      if (el.classList.contains("pb-line")) { waiting.push(el); return; }
      var ids = [el.id].concat(Array.prototype.map.call(el.querySelectorAll("[id]"), function (d) { return d.id; }));
      var nums = ids.filter(function (i) { return /^p\d+$/.test(i); }).map(function (i) { return +i.slice(1); });
      if (nums.length && m) inside = Math.min.apply(null, nums) >= first && Math.min.apply(null, nums) <= last;
      if (inside) kept = kept.concat(waiting, [el]);
      waiting = [];
    });
    var cited = {};
    kept.forEach(function (el) { el.querySelectorAll("sup[id^='fnref']").forEach(function (s) {
      cited[s.id.replace(/^fnref\d*:/, "fn:")] = true; }); });
    var notes = Array.prototype.filter.call(article.querySelectorAll(".footnote li[id]"), function (li) { return cited[li.id]; });
    if (!m) notes = Array.prototype.slice.call(article.querySelectorAll(".footnote li[id]"));
    var out = kept.map(function (el) { return document.importNode(el, true); });
    if (notes.length) out.push(h("section", { "class": "reader-notes" }, [h("h4", { text: "Notes" }),
      h("ol", {}, notes.map(function (li) { var c = document.importNode(li, true); c.setAttribute("value", li.id.split(":")[1]); return c; }))]));
    var rights = article.querySelector(".rights-note");
    if (rights) out.push(document.importNode(rights, true));
    out.forEach(function (el) {
      el.querySelectorAll("a.headerlink, a.footnote-backref, button, .cite-paragraph").forEach(function (x) { x.remove(); });
      [el].concat(Array.prototype.slice.call(el.querySelectorAll("[id]"))).forEach(function (x) { x.removeAttribute("id"); });
    });
    return out;
  }
  function printReader() {
    var problems = syllabus(course, 3).problems.concat(shapeProblems(course));
    if (problems.length) { announce("Fix these first: " + problems.join(" ")); return; }
    if (location.protocol === "file:") {
      announce("From the offline bundle the reader cannot be assembled: share the link and print each reading " +
        "from its page (the Print command of your browser), or ask for the printed course reader (./site.sh course).");
      return;
    }
    var jobs = [];
    course.weeks.forEach(function (w, wi) { w.items.forEach(function (it) { jobs.push({ week: wi, item: it, t: resolve(it) }); }); });
    announce("Assembling the course reader…");
    Promise.all(jobs.map(function (j) {
      return fetch("../" + j.t.href).then(function (r) { if (!r.ok) throw new Error(j.t.href + ": " + r.status); return r.text(); });
    })).then(function (texts) {
      var old = document.querySelector(".course-reader");
      if (old) old.remove();
      var reader = h("div", { "class": "course-reader md-typeset" }, [h("h1", { text: course.title }),
        h("p", { text: "A course reader from Revolution from Above — an annotated reader." })]);
      course.introduction.split(/\n\s*\n/).forEach(function (p) { if (p.trim()) reader.appendChild(h("p", { text: p.trim() })); });
      var lastWeek = -1;
      jobs.forEach(function (j, n) {
        var w = course.weeks[j.week], sec = h("section", { "class": "reader-item" });
        if (j.week !== lastWeek) {
          lastWeek = j.week;
          sec.appendChild(h("h2", { text: "Week " + (j.week + 1) + ": " + w.title }));
          if (w.notes) sec.appendChild(h("div", { "class": "admonition note" }, [
            h("p", { "class": "admonition-title", text: "Instructor's notes" }), h("p", { text: w.notes })]));
        }
        var t = j.t;
        sec.appendChild(h("h3", { text: t.title + (t.pages ? ", " + t.pages + " (" + t.span + ")" : t.span ? ", " + t.span : "") }));
        if (j.item.note) sec.appendChild(h("p", {}, [h("em", { text: j.item.note })]));
        var doc = new DOMParser().parseFromString(texts[n], "text/html");
        passageBlocks(doc, t.anchor, t.span).forEach(function (el) { sec.appendChild(el); });
        reader.appendChild(sec);
      });
      document.body.appendChild(reader);
      document.body.classList.add("printing-reader");
      announce("The course reader is ready: " + jobs.length + " items.");
      window.print();
    }).catch(function (err) { announce("The course reader could not be assembled (" + err.message + ")."); });
  }
  window.addEventListener("afterprint", function () { document.body.classList.remove("printing-reader"); });

  function startBuilder(opened) {
    course = opened || load() || blank();
    root.textContent = "";
    if (intro) root.appendChild(intro);
    editor = h("div", { "class": "builder-editor" });
    preview = h("div", { "class": "builder-preview", "aria-live": "off" });
    status = h("p", { "class": "builder-status", role: "status" });
    var fileInput = h("input", { type: "file", accept: ".yml,.yaml,text/yaml", id: "builder-load" });
    fileInput.addEventListener("change", function () { if (fileInput.files[0]) loadFile(fileInput.files[0]); fileInput.value = ""; });
    var shareOut = h("input", { type: "text", readonly: "", id: "builder-share-url" });
    var actions = h("div", { "class": "builder-actions" }, [
      h("button", { type: "button", "class": "builder-button builder-button--primary", id: "builder-share", text: "Share", onclick: share }),
      h("button", { type: "button", "class": "builder-button", id: "builder-download", text: "Download course file", onclick: download }),
      h("button", { type: "button", "class": "builder-button", id: "builder-print", text: "Print the course reader", onclick: printReader }),
      field("Load a course file", fileInput),
      h("button", { type: "button", "class": "builder-button", id: "builder-clear", text: "Start a new course", onclick: function () {
        if (!window.confirm("Start a new course? The one here will be replaced.")) return;
        course = blank(); renderEditor(); changed(); announce("A new, empty course."); } })]);
    var shareBox = h("div", { "class": "builder-share", hidden: "" }, [field("Link to this course", shareOut,
      "The whole course is in the link: nothing is stored on a server.")]);
    root.appendChild(h("div", { "class": "builder-layout" }, [
      h("section", { "class": "builder-form", "aria-labelledby": "builder-form-title" }, [
        h("h2", { id: "builder-form-title", text: "Your course" }), editor, actions, shareBox, status]),
      h("section", { "class": "builder-syllabus", "aria-labelledby": "builder-preview-title" }, [
        h("h2", { id: "builder-preview-title", text: "The syllabus as students will see it" }), preview])]));
    renderEditor();
    renderPreview();
  }

  window.RFA_COURSE_BUILDER = { resolve: resolve, decode: decode, encode: encode, toYaml: toYaml };
  var site = /^\?open=([a-z0-9-]+)$/.exec(location.search);   // "?open=<id>": a syllabus page of the site
  if (/^#course=/.test(location.hash)) showShared(location.hash);
  else if (site && DATA.courses && DATA.courses[site[1]]) {     // a syllabus page's "Open in the builder"
    var opened = normalise(DATA.courses[site[1]]);
    save(opened);
    history.replaceState(null, "", location.pathname);
    startBuilder(opened);
    announce("Opened the site's course “" + opened.title + "”: your changes are kept in this browser.");
  } else startBuilder();
  window.addEventListener("hashchange", function () {
    if (/^#course=/.test(location.hash)) showShared(location.hash);
  });
})();
