/* careleaf: "Copy link" beside each section and answer; an old #anchor forwarded to its new
 * id (moved.json, this site's own file); a forwarding page's target, its #anchor kept. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = new URL("../../", script.src); // this file is assets/careleaf/careleaf.js
  var moved = null;

  function pagePath() {
    var path = location.pathname;
    if (path.indexOf(root.pathname) === 0) path = path.slice(root.pathname.length);
    return "/" + path.replace(/index\.html$/, "");
  }

  function anchorOf(hash) {
    try {
      return decodeURIComponent(hash.slice(1));
    } catch (e) {
      return hash.slice(1);
    }
  }

  // Where an old #anchor of this page went: the new address, or null.
  function lookUp(anchor, done) {
    if (!anchor) return done(null);
    var find = function (map) {
      var page = map[pagePath()];
      done(page && page[anchor] ? new URL(page[anchor].slice(1), root).href : null);
    };
    if (moved) return find(moved);
    fetch(new URL("assets/careleaf/moved.json", root).href)
      .then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (map) { moved = map; find(map); });
  }

  // A forwarding page: go on to its target at once, keeping this address's #anchor (the
  // page it lands on forwards an anchor that moved). Before the page has loaded, so its meta
  // refresh, which would drop the #anchor, never starts.
  var forward = document.querySelector("a[data-cl-forward]");
  if (forward) {
    var url = new URL(forward.href);
    if (location.hash && !url.hash) url.hash = location.hash;
    location.replace(url.href);
    return;
  }

  function followMovedAnchor() {
    var anchor = anchorOf(location.hash);
    if (!anchor || document.getElementById(anchor)) return;
    lookUp(anchor, function (target) {
      if (target) location.replace(target);
    });
  }
  followMovedAnchor();
  window.addEventListener("hashchange", followMovedAnchor);

  // "Copy link" beside each section and answer.
  var status = document.createElement("p");
  status.className = "cl-announce";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  (document.querySelector("main") || document.body).appendChild(status);
  var hideLater = 0;

  function announce(text) {
    status.textContent = "";
    clearTimeout(hideLater);
    setTimeout(function () {
      status.textContent = text;
      status.classList.add("cl-announce--shown");
      hideLater = setTimeout(function () {
        status.classList.remove("cl-announce--shown");
        status.textContent = "";
      }, 4000);
    }, 50);
  }

  function addressOf(id) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var page = canonical ? canonical.href : location.href;
    return page.split("#")[0] + "#" + encodeURIComponent(id);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "cl-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try {
        ok = document.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy refused"));
    });
  }

  function button(label, name, run) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "cl-link-button";
    b.appendChild(document.createTextNode(label));
    var hidden = document.createElement("span");
    hidden.className = "cl-hidden";
    hidden.textContent = ": " + name;
    b.appendChild(hidden);
    b.addEventListener("click", run);
    return b;
  }

  // A handout: a button that prints it.
  var note = document.querySelector(".cl-handout__screen");
  if (note && window.print) {
    var print = document.createElement("button");
    print.type = "button";
    print.className = "cl-link-button";
    print.textContent = "Print this handout";
    print.addEventListener("click", function () { window.print(); });
    note.appendChild(document.createTextNode(" "));
    note.appendChild(print);
  }

  var canShare = typeof navigator.share === "function" &&
    window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
  var headings = document.querySelectorAll(".md-content article h2[id], .md-content article h3[id]");
  Array.prototype.forEach.call(headings, function (heading) {
    var link = heading.lastElementChild;
    if (!link || !link.classList.contains("headerlink") || heading.closest(".cl-handout")) return;
    var name = heading.textContent.replace(link.textContent, "").trim();
    var url = addressOf(heading.id);
    var bar = document.createElement("div");
    bar.className = "cl-link-bar";
    bar.appendChild(button("Copy link", name, function () {
      copyText(url).then(
        function () { announce("Link copied"); },
        function () { announce("Could not copy. The link is " + url); }
      );
    }));
    if (canShare) {
      bar.appendChild(button("Share", name, function () {
        navigator.share({ title: name, url: url }).catch(function () {});
      }));
    }
    heading.insertAdjacentElement("afterend", bar);
  });
})();
