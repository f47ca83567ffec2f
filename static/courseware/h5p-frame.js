// The H5P wrapper document inside the sandboxed content frame (opaque origin, no session).
//
// Plays the package with h5p-standalone from the paths in #qa-h5p-config (relative to this
// document's token URL) and sends what H5P reports to the platform page: every xAPI statement
// whole (the server alone decides which one completes the unit) and the learner's state.
// The wrapper loads this script in its <head>: start once the container exists.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var node = document.getElementById("qa-h5p-config");
  var container = document.getElementById("h5p-container");
  if (!node || !container || !window.H5PStandalone) return;
  var config = JSON.parse(node.textContent);
  var CONTENT_ID = "unit";
  var SAVE_EVERY = 10; // seconds: how often H5P records its state and this script looks at it

  var options = {
    id: CONTENT_ID,
    h5pJsonPath: config.h5pJsonPath,
    contentJsonPath: config.contentJsonPath,
    librariesPath: config.librariesPath,
    frameJs: config.frameJs,
    frameCss: config.frameCss,
    // In this document itself: an H5P iframe inside the sandboxed frame would get an opaque
    // origin of its own, and h5p-standalone could not write into it.
    embedType: "div",
    frame: false, // the platform page has its own frame and no H5P menu bar is wanted
    copyright: false,
    export: false,
    embed: false,
    fullScreen: true,
    saveFreq: SAVE_EVERY,
    // xAPI statements name this activity; the document's own URL carries a token.
    xAPIObjectIRI: "urn:quality-academy:h5p:" + encodeURIComponent(config.title || "unit")
  };
  if (typeof config.state === "string" && config.state) {
    options.contentUserData = [{ dataType: "state", previousState: config.state, subContentId: "*" }];
  }

  function toTop(message) {
    message.qa = "h5p";
    try {
      window.top.postMessage(message, "*"); // the platform page checks that it is its frame
    } catch (error) {
      // A statement that cannot be copied is not worth breaking the activity for.
    }
  }

  var lastState = typeof config.state === "string" ? config.state : null;
  function currentState() {
    try {
      var data = window.H5PIntegration.contents["cid-" + CONTENT_ID].contentUserData;
      var first = data && data[0];
      var state = first && first.state;
      return typeof state === "string" ? state : null;
    } catch (error) {
      return null;
    }
  }
  function reportState() {
    var state = currentState();
    if (state !== null && state !== lastState) {
      lastState = state;
      toTop({ type: "state", state: state });
    }
  }

  var Player = window.H5PStandalone.H5P || window.H5PStandalone;
  // H5P's core reads localStorage, which a sandboxed document may not: its promise may then
  // never settle although the activity plays. Listen as soon as the dispatcher exists instead.
  var listening = false;
  function listen() {
    if (listening || !window.H5P || !window.H5P.externalDispatcher) return;
    listening = true;
    window.H5P.externalDispatcher.on("xAPI", function (event) {
      var statement = event && event.data && event.data.statement;
      if (statement) toTop({ type: "xapi", statement: JSON.parse(JSON.stringify(statement)) });
    });
  }
  var waiting = setInterval(function () {
    listen();
    if (listening) clearInterval(waiting);
  }, 100);
  new Player(container, options).then(listen, listen);
  setInterval(reportState, SAVE_EVERY * 1000);
  window.addEventListener("pagehide", reportState);
});
