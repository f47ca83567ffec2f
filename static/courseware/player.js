// The player on a SCORM or H5P unit page (the platform's origin).
//
// The content runs in a sandboxed frame with an opaque origin; what it reports arrives here by
// postMessage (scorm-frame.js, h5p-frame.js) and is saved with the commit endpoint: one request
// at a time, each with its own commit id and the record's version, retried with the same id
// after a network error (the server answers a repeated id without applying it twice), and sent
// with keepalive when the page is hidden or closed so that what was done is kept.
(function () {
  "use strict";
  var dataNode = document.getElementById("courseware-player");
  var frame = document.querySelector(".courseware-frame");
  var statusLine = document.getElementById("courseware-status");
  if (!dataNode || !frame) return;
  var player = JSON.parse(dataNode.textContent);
  var words = statusLine ? statusLine.dataset : {};
  var isScorm = player.kind !== "h5p";
  var version = player.version || 0;
  var queue = []; // bodies waiting to be sent, oldest first
  var inFlight = null;
  var retryDelay = 1000;
  var retryTimer = null;
  var laterTimer = null;
  var stopped = false; // a stale version or a refusal: saving again would overwrite other work
  var toc = document.querySelector(".courseware-toc");
  var SAVE_STATE_AFTER = 15000; // progress reported without a commit is saved this often

  function say(text, kind) {
    if (!statusLine || !text) return;
    statusLine.textContent = text;
    statusLine.dataset.state = kind || "";
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // Messages count only from the content frame or a frame inside it, and only from an opaque
  // origin (the sandbox): no other window may save on the learner's behalf.
  function fromContent(event) {
    if (event.origin !== "null" || !frame.contentWindow) return false;
    var source = event.source;
    for (var depth = 0; source && depth < 20; depth += 1) {
      if (source === frame.contentWindow) return true;
      if (source === window || source.parent === source) return false;
      source = source.parent;
    }
    return false;
  }

  // ---- what is waiting to be saved -------------------------------------------------------
  function enqueueScorm(message) {
    if (typeof message.sco !== "string" || !message.cmi || typeof message.cmi !== "object") return;
    var last = queue[queue.length - 1];
    // Newer data of the same SCO session replaces what has not been sent yet.
    if (last && last.sco === message.sco && !last.terminated) {
      last.cmi = message.cmi;
      last.terminated = !!message.terminated;
    } else {
      queue.push({ sco: message.sco, cmi: message.cmi, terminated: !!message.terminated });
    }
  }

  function enqueueH5p(message) {
    var last = queue[queue.length - 1];
    if (message.type === "state") {
      if (typeof message.state !== "string" && message.state !== null) return;
      if (last) last.state = message.state;
      else queue.push({ statement: null, state: message.state });
    } else if (message.statement && typeof message.statement === "object") {
      queue.push({ statement: message.statement, state: last ? last.state : latestH5pState });
    }
  }
  var latestH5pState = null;

  window.addEventListener("message", function (event) {
    if (stopped || !fromContent(event)) return;
    var message = event.data;
    if (!message || typeof message !== "object") return;
    if (isScorm && message.qa === "scorm" && (message.type === "commit" || message.type === "state")) {
      enqueueScorm(message);
      if (message.type === "commit") send();
      else later();
    } else if (!isScorm && message.qa === "h5p" && (message.type === "xapi" || message.type === "state")) {
      if (message.type === "state") latestH5pState = message.state;
      enqueueH5p(message);
      if (message.type === "xapi") send();
      else later();
    }
  });

  function later() {
    if (laterTimer === null) {
      laterTimer = setTimeout(function () {
        laterTimer = null;
        send();
      }, SAVE_STATE_AFTER);
    }
  }

  // ---- saving ------------------------------------------------------------------------------
  function bodyOf(item) {
    var body = { commit: item.commit, version: item.version };
    if (isScorm) {
      body.sco = item.sco;
      body.cmi = item.cmi;
      body.terminated = item.terminated;
    } else {
      body.statement = item.statement;
      body.state = item.state;
    }
    return JSON.stringify(body);
  }

  function request(item, keepalive) {
    return fetch(player.commit_url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: bodyOf(item)
    });
  }

  function send() {
    if (stopped || inFlight || retryTimer !== null || !queue.length || player.preview) return;
    var item = queue.shift();
    item.commit = item.commit || newId();
    item.version = version;
    inFlight = item;
    say(words.saving, "saving");
    request(item, false).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        inFlight = null;
        if (response.ok) {
          retryDelay = 1000;
          version = typeof data.version === "number" ? data.version : version + 1;
          saved(item, data);
          send();
        } else if (response.status === 409) {
          stop(words.stale, "stale");
        } else {
          stop((data && data.message) || words.failed, "failed");
        }
      });
    }, function () {
      // The network failed (or the reply was lost): try again with the same commit id.
      inFlight = null;
      queue.unshift(item);
      say(words.retrying, "retrying");
      retryTimer = setTimeout(function () {
        retryTimer = null;
        send();
      }, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    });
  }

  function stop(text, kind) {
    stopped = true;
    queue = [];
    say(text, kind);
  }

  function saved(item, data) {
    say(data.completion === "completed" ? words.completed || words.saved : words.saved, "saved");
    if (isScorm && scoCompleted(item.cmi)) markDone(item.sco);
  }

  // The page is being hidden or closed: what has not been saved goes now, with keepalive so
  // the browser finishes the request after the page is gone. A request already on its way is
  // sent again with its own commit id (answered once, however often it arrives).
  function flushNow() {
    if (stopped || player.preview) return;
    if (laterTimer !== null) {
      clearTimeout(laterTimer);
      laterTimer = null;
    }
    var next = version;
    if (inFlight) {
      request(inFlight, true).catch(function () {});
      next += 1;
    }
    if (retryTimer !== null) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    queue.forEach(function (item) {
      item.commit = item.commit || newId();
      item.version = next;
      next += 1;
      // When the page stays (only hidden), the replies still count.
      request(item, true).then(function (response) {
        return response.json().then(function (data) {
          if (response.ok && typeof data.version === "number") {
            version = Math.max(version, data.version);
            saved(item, data);
          } else if (response.status === 409) {
            stop(words.stale, "stale");
          }
        });
      }).catch(function () {});
    });
    queue = [];
  }
  window.addEventListener("pagehide", flushNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flushNow();
  });

  // ---- several SCOs: table of contents ----------------------------------------------------
  function scoCompleted(cmi) {
    if (!cmi) return false;
    var core = cmi.core || {};
    return core.lesson_status === "completed" || core.lesson_status === "passed" || cmi.completion_status === "completed";
  }

  function markDone(sco) {
    if (!toc) return;
    var link = toc.querySelector('a[data-sco="' + CSS.escape(sco) + '"]');
    if (link && !link.querySelector(".status")) {
      var mark = document.createElement("span");
      mark.className = "status done";
      mark.setAttribute("aria-label", toc.dataset.completed || "");
      mark.textContent = "✓";
      link.appendChild(document.createTextNode(" "));
      link.appendChild(mark);
    }
  }

  function showCurrent(sco) {
    if (!toc) return;
    Array.prototype.forEach.call(toc.querySelectorAll("a[data-sco]"), function (link) {
      if (link.dataset.sco === sco) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
    });
  }

  if (toc) {
    toc.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-sco]");
      if (!link) return;
      event.preventDefault();
      // Leaving a SCO ends its session: the frame's pagehide sends what it reported.
      frame.src = link.href;
      showCurrent(link.dataset.sco);
    });
    var start = player.launches.filter(function (launch) { return launch.id === player.last_sco; })[0] || player.launches[0];
    if (!frame.getAttribute("src") && start) frame.src = start.url;
    showCurrent(start ? start.id : "");
  }

  // ---- full screen, for phones -------------------------------------------------------------
  var fullButton = document.querySelector(".courseware-fullscreen");
  if (fullButton && frame.requestFullscreen) {
    fullButton.hidden = false;
    fullButton.addEventListener("click", function () {
      frame.requestFullscreen().catch(function () {});
    });
  }
})();
