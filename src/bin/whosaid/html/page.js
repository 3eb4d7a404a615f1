// whosaid --format html: the tooltip of a quote (hover, tap or keyboard focus), the
// pieces of one quote lit together, and a speaker's quotes lit from the table.
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var shown = null; // the quote whose details are shown: [article, quote number]

  function pieces(doc, n) {
    return doc.querySelectorAll('mark.quote[data-quote="' + n + '"]');
  }

  // the last piece of each quote, for the print stylesheet's speaker name
  Array.prototype.forEach.call(document.querySelectorAll(".doc"), function (doc) {
    var last = {};
    Array.prototype.forEach.call(doc.querySelectorAll("mark.quote"), function (m) {
      last[m.dataset.quote] = m;
    });
    Object.keys(last).forEach(function (k) { last[k].classList.add("last"); });
  });

  function row(dl, term, value) {
    if (!value) return;
    var dt = document.createElement("dt");
    var dd = document.createElement("dd");
    dt.textContent = term;
    dd.textContent = value;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }

  function fill(m) {
    var d = m.dataset;
    tip.textContent = "";
    tip.className = m.className.replace(/\b(quote|active|focus|last|lit)\b/g, "");
    var name = document.createElement("div");
    name.className = "name";
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    name.appendChild(swatch);
    name.appendChild(document.createTextNode(d.speakerName || "Unknown speaker"));
    tip.appendChild(name);
    if (d.role) {
      var role = document.createElement("div");
      role.className = "role";
      role.textContent = d.role;
      tip.appendChild(role);
    }
    var dl = document.createElement("dl");
    row(dl, "Kind", d.kind);
    row(dl, "Quote", d.quoteKind);
    row(dl, "Confidence", d.confidence ? Math.round(parseFloat(d.confidence) * 100) + "%" : "");
    row(dl, "Cue", d.cue);
    row(dl, "Named as", d.mention);
    tip.appendChild(dl);
  }

  // below the line box nearest the pointer (or the first one), above when no room
  function place(m, x, y) {
    var rects = m.getClientRects();
    if (!rects.length) return;
    // on focus, below the quote's last line, so the quote itself stays readable
    var r = y === undefined ? rects[rects.length - 1] : rects[0];
    if (y !== undefined) {
      for (var i = 0; i < rects.length; i++) {
        if (y >= rects[i].top && y <= rects[i].bottom) { r = rects[i]; break; }
      }
    }
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var vw = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min((x !== undefined ? x : r.left) - 24, vw - w - 8));
    var top = r.bottom + 6;
    if (top + h > window.innerHeight && r.top - h - 6 > 0) top = r.top - h - 6;
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }

  function show(m, x, y) {
    var doc = m.closest(".doc");
    hide();
    shown = [doc, m.dataset.quote];
    Array.prototype.forEach.call(pieces(doc, shown[1]), function (p) { p.classList.add("active"); });
    fill(m);
    tip.hidden = false;
    place(m, x, y);
    m.setAttribute("aria-describedby", "tip");
  }

  function hide() {
    if (shown) {
      Array.prototype.forEach.call(pieces(shown[0], shown[1]), function (p) {
        p.classList.remove("active", "focus");
        p.removeAttribute("aria-describedby");
      });
    }
    shown = null;
    tip.hidden = true;
  }

  function quoteOf(target) {
    return target && target.closest ? target.closest(".doc mark.quote") : null;
  }

  document.addEventListener("mouseover", function (e) {
    var m = quoteOf(e.target);
    if (m && !(shown && shown[0] === m.closest(".doc") && shown[1] === m.dataset.quote)) {
      show(m, e.clientX, e.clientY);
    }
  });
  document.addEventListener("mouseout", function (e) {
    var m = quoteOf(e.target);
    if (m && !quoteOf(e.relatedTarget) && m !== document.activeElement) hide();
  });
  document.addEventListener("focusin", function (e) {
    var m = quoteOf(e.target);
    if (m) {
      show(m);
      Array.prototype.forEach.call(pieces(shown[0], shown[1]), function (p) { p.classList.add("focus"); });
    }
  });
  document.addEventListener("focusout", function (e) {
    if (quoteOf(e.target)) hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });
  window.addEventListener("resize", function () {
    if (shown && document.activeElement && quoteOf(document.activeElement)) place(document.activeElement);
    else hide();
  });

  // a row of the speakers table lights that speaker's quotes
  function light(tr, on) {
    var doc = tr.closest(".doc");
    var id = tr.dataset.speaker;
    doc.classList.toggle("has-lit", on);
    tr.classList.toggle("lit", on);
    Array.prototype.forEach.call(doc.querySelectorAll('mark.quote[data-speaker="' + id + '"]'), function (m) {
      m.classList.toggle("lit", on);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".speakers tbody tr[data-speaker]"), function (tr) {
    tr.addEventListener("mouseenter", function () { light(tr, true); });
    tr.addEventListener("mouseleave", function () { light(tr, false); });
  });
})();

// the list of documents marks the one in view
(function () {
  "use strict";
  var links = document.querySelectorAll("#jump a");
  if (!links.length || !window.IntersectionObserver) return;
  var byId = {};
  Array.prototype.forEach.call(links, function (a) { byId[a.getAttribute("href").slice(1)] = a; });
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (!e.isIntersecting) return;
      Array.prototype.forEach.call(links, function (a) { a.removeAttribute("aria-current"); });
      if (byId[e.target.id]) byId[e.target.id].setAttribute("aria-current", "true");
    });
  }, { rootMargin: "0px 0px -70% 0px" });
  Array.prototype.forEach.call(document.querySelectorAll("article.doc"), function (d) { observer.observe(d); });
})();
