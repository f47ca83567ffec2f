// The SCORM run-time inside a package's own (sandboxed, opaque-origin) document.
//
// The server puts this script, after scorm-again's build, into every HTML file of a SCORM
// package together with <script type="application/json" id="qa-scorm-state">. The SCO finds
// window.API (1.2) or window.API_1484_11 (2004) on its own window. Nothing here talks HTTP: the
// document has no session and no access to the platform; what the SCO reports goes to the
// platform page (window.top) by postMessage, and the page saves it.
(function () {
  "use strict";
  var node = document.getElementById("qa-scorm-state");
  if (!node) return;
  var state;
  try {
    state = JSON.parse(node.textContent);
  } catch (error) {
    return;
  }

  bridgeParent();
  answerNestedCalls();

  var is2004 = state.version === "2004";
  var ApiClass = is2004 ? window.Scorm2004API : window.Scorm12API;
  if (typeof ApiClass !== "function") return;
  var api = new ApiClass({
    lmsCommitUrl: false, // no HTTP from here: the platform page saves
    autocommit: false,
    logLevel: 5 // none: the content's own mistakes are not the learner's business
  });
  // One element at a time: a saved value that no longer validates (scorm-again throws) must
  // not keep the others, such as location and suspend_data, from being restored.
  var starting = startingData(state.cmi || {});
  Object.keys(starting).forEach(function (key) {
    var one = {};
    one[key] = starting[key];
    try {
      api.loadFromJSON({ cmi: one });
    } catch (error) {
      // Left at its default.
    }
  });
  if (is2004) window.API_1484_11 = api;
  else window.API = api;

  var initialized = false;
  var terminated = false;
  var stateTimer = null;

  function snapshot() {
    var rendered = api.renderCMIToJSONObject();
    return rendered && rendered.cmi ? rendered.cmi : rendered;
  }

  function post(type, isTerminated) {
    if (!initialized) return;
    try {
      window.top.postMessage(
        { qa: "scorm", type: type, sco: state.sco, cmi: snapshot(), terminated: !!isTerminated },
        "*" // the platform page checks that the message comes from its frame
      );
    } catch (error) {
      // Nothing to do: the page keeps the last state it received.
    }
  }

  function changed() {
    // Many SetValue calls come together: tell the page once, after they are done.
    if (stateTimer !== null || terminated) return;
    stateTimer = setTimeout(function () {
      stateTimer = null;
      if (!terminated) post("state", false);
    }, 0);
  }

  var names = is2004
    ? { init: "Initialize", set: "SetValue", commit: "Commit", finish: "Terminate" }
    : { init: "LMSInitialize", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish" };
  api.on(names.init, function () {
    initialized = true;
    post("state", false);
  });
  api.on(names.set, changed);
  api.on(names.commit, function () {
    if (!terminated) post("commit", false);
  });
  api.on(names.finish, function () {
    if (terminated) return;
    terminated = true;
    post("commit", true);
  });

  // The document is going away (the learner leaves, or the page switches SCO): send what the SCO
  // reported even if it never commits. Not marked terminated: a SCO's own unload handler runs
  // after this one and may still Terminate with its session time and exit mode.
  window.addEventListener("pagehide", function () {
    if (!terminated) post("commit", false);
  });

  // What the SCO may read at launch: the saved data of the last session, the entry mode the
  // standard asks for (resume only after a suspend), the learner, and no stale session values.
  function startingData(saved) {
    var data = JSON.parse(JSON.stringify(saved && saved.cmi ? saved.cmi : saved || {}));
    var fresh = Object.keys(data).length === 0;
    var learner = state.learner || {};
    var core = is2004 ? data : (data.core = data.core || {});
    var exit = core.exit;
    delete core.exit;
    delete core.session_time;
    delete core.total_time;
    core.entry = fresh ? "ab-initio" : exit === "suspend" ? "resume" : "";
    if (is2004) {
      if (learner.id !== undefined) data.learner_id = String(learner.id);
      if (learner.name) data.learner_name = learner.name;
    } else {
      if (learner.id !== undefined) core.student_id = String(learner.id);
      if (learner.name) core.student_name = learner.name;
    }
    return data;
  }

  // Each sandboxed document has its own opaque origin, so nothing of the window around it can be
  // read: not the platform page, where many SCOs look for the API first (Rustici's golf examples
  // scan from window.parent up and never look at their own window), nor the package page around a
  // nested one (the golf quiz calls parent.RecordTest(score)). window.parent is [Replaceable]: put
  // a stand-in there that offers this document's API, reads what the browser allows across
  // origins, and sends any other call to the real parent, whose copy of this script runs it
  // (answerNestedCalls). Return values are lost; these calls are fire-and-forget in the packages
  // seen so far.
  function bridgeParent() {
    var real = window.parent;
    if (real === window || typeof Proxy !== "function") return;
    var standIn = new Proxy(
      {},
      {
        get: function (target, name) {
          if (typeof name !== "string") return undefined;
          if (name === "API" || name === "API_1484_11") return window[name] || null;
          try {
            var value = real[name];
            return typeof value === "function" ? value.bind(real) : value;
          } catch (error) {
            if (real === window.top) return undefined; // the platform page offers nothing
            return function () {
              var args = Array.prototype.slice.call(arguments);
              try {
                real.postMessage({ qa: "scorm-call", name: name, args: args }, "*");
              } catch (cloneError) {
                // Arguments that cannot be copied across documents cannot be passed.
              }
            };
          }
        }
      }
    );
    try {
      window.parent = standIn;
    } catch (error) {
      // A browser where parent cannot be replaced: the package behaves as before.
    }
  }

  function answerNestedCalls() {
    window.addEventListener("message", function (event) {
      var data = event.data;
      if (!data || data.qa !== "scorm-call" || typeof data.name !== "string") return;
      if (!isChildFrame(event.source)) return;
      var target = window[data.name];
      if (typeof target === "function") target.apply(window, Array.isArray(data.args) ? data.args : []);
    });
  }

  function isChildFrame(source) {
    for (var i = 0; i < window.frames.length; i += 1) {
      if (window.frames[i] === source) return true;
    }
    return false;
  }
})();
