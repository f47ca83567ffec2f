/* The SCO's side of the SCORM 1.2 run-time: find the LMS's API, resume where the learner
   left off, save the page and the answers as they go, and report status, score and time. */
(function () {
  "use strict";

  var PAGES = 3;
  var PASS = 2; // right answers out of 3 needed to pass
  var KEY = { q1: "b", q2: "c", q3: "a" };
  var EXPLAIN = {
    q1: "《中华人民共和国计量法》于1985年9月6日通过，1986年7月1日起施行。",
    q2: "质量的国际单位制基本单位是千克（kg）。",
    q3: "千的词头k小写，瓦特的符号W大写，应写作7.5 kW。"
  };

  var api = null;
  var started = new Date();
  var finished = false;
  var state = { page: 1, answers: {}, best: null };

  // SCORM 1.2 (RTE 3.3.6.1): the API is an object named "API" on the SCO's own window or
  // on one of its parents, or on the opener's chain; give up after a bounded walk.
  function scan(win) {
    var tries = 0;
    while (win && !win.API && win.parent && win.parent !== win && tries < 500) {
      tries += 1;
      win = win.parent;
    }
    return win && win.API ? win.API : null;
  }

  function findAPI() {
    var found = null;
    try { found = scan(window); } catch (e) { found = null; }
    if (!found && window.opener) {
      try { found = scan(window.opener); } catch (e) { found = null; }
    }
    return found;
  }

  function get(name) {
    return api ? String(api.LMSGetValue(name)) : "";
  }

  function set(name, value) {
    if (api) api.LMSSetValue(name, String(value));
  }

  function commit() {
    if (api) api.LMSCommit("");
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  // CMITimespan of SCORM 1.2: HHHH:MM:SS.SS
  function timespan(ms) {
    var centis = Math.floor(ms / 10);
    var hours = Math.floor(centis / 360000);
    var minutes = Math.floor((centis % 360000) / 6000);
    var seconds = Math.floor((centis % 6000) / 100);
    return pad(Math.min(hours, 9999), 4) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(centis % 100, 2);
  }

  function save() {
    set("cmi.core.lesson_location", state.page);
    set("cmi.suspend_data", JSON.stringify(state));
    commit();
  }

  function show(page) {
    state.page = Math.max(1, Math.min(PAGES, page));
    for (var i = 1; i <= PAGES; i += 1) {
      document.getElementById("page-" + i).hidden = i !== state.page;
    }
    document.getElementById("progress").textContent = "第 " + state.page + " 页，共 " + PAGES + " 页";
    document.getElementById("previous").disabled = state.page === 1;
    document.getElementById("next").disabled = state.page === PAGES;
    window.scrollTo(0, 0);
  }

  function go(page) {
    show(page);
    save();
  }

  function fillAnswers() {
    Object.keys(state.answers).forEach(function (name) {
      var input = document.querySelector('input[name="' + name + '"][value="' + state.answers[name] + '"]');
      if (input) input.checked = true;
    });
  }

  function markAnswers() {
    var right = 0;
    Object.keys(KEY).forEach(function (name) {
      var ok = state.answers[name] === KEY[name];
      var feedback = document.getElementById(name + "-feedback");
      feedback.className = "feedback " + (ok ? "right" : "wrong");
      feedback.textContent = (ok ? "回答正确。" : "回答错误。") + EXPLAIN[name];
      if (ok) right += 1;
    });
    return right;
  }

  function showResult(right) {
    var text = "本次答对 " + right + " 题，共 3 题。";
    text += right >= PASS ? "已通过自测。" : "未通过：答对2题即可通过，请复习后再试。";
    if (state.best !== null && state.best > right) text += "已记录你的最好成绩：答对 " + state.best + " 题。";
    document.getElementById("result").textContent = text;
  }

  function submit(event) {
    event.preventDefault();
    var form = document.getElementById("quiz");
    var missing = [];
    Object.keys(KEY).forEach(function (name, index) {
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      if (checked) state.answers[name] = checked.value;
      else missing.push(index + 1);
    });
    if (missing.length) {
      document.getElementById("result").textContent = "请先回答第 " + missing.join("、") + " 题。";
      return;
    }
    var right = markAnswers();
    // A retry never lowers what was recorded: the best attempt counts, as the page says.
    var best = state.best === null ? right : Math.max(state.best, right);
    state.best = best;
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    set("cmi.core.score.raw", Math.round((best * 100) / 3));
    set("cmi.core.lesson_status", best >= PASS ? "passed" : "failed");
    showResult(right);
    save();
  }

  function finish() {
    if (finished || !api) return;
    finished = true;
    set("cmi.core.session_time", timespan(new Date() - started));
    // "suspend" keeps the page and answers for next time unless the learner has passed.
    set("cmi.core.exit", state.best !== null && state.best >= PASS ? "" : "suspend");
    save();
    api.LMSFinish("");
  }

  function start() {
    api = findAPI();
    if (api) {
      api.LMSInitialize("");
      var saved = get("cmi.suspend_data");
      if (saved) {
        try {
          var parsed = JSON.parse(saved);
          state.answers = parsed.answers || {};
          state.best = typeof parsed.best === "number" ? parsed.best : null;
        } catch (e) {
          state.answers = {};
        }
      }
      var location = parseInt(get("cmi.core.lesson_location"), 10);
      if (location >= 1 && location <= PAGES) state.page = location;
      var status = get("cmi.core.lesson_status");
      if (status === "not attempted" || status === "") set("cmi.core.lesson_status", "incomplete");
    } else {
      document.getElementById("progress").textContent += "（未连接学习平台，进度不会保存）";
    }
    fillAnswers();
    if (state.best !== null) showResult(markAnswers());
    show(state.page);
    if (api) save();
    document.getElementById("previous").addEventListener("click", function () { go(state.page - 1); });
    document.getElementById("next").addEventListener("click", function () { go(state.page + 1); });
    document.getElementById("quiz").addEventListener("submit", submit);
    window.addEventListener("pagehide", finish);
    window.addEventListener("beforeunload", finish);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
