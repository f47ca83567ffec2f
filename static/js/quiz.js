// Saves each answer as it is given, shows the server's clock, and submits at the deadline.
// Without JavaScript the form still works: every answer is sent with the final submission.
(function () {
  var form = document.getElementById("attempt-form");
  if (!form) return;
  var state = document.querySelector(".save-state");
  var token = form.csrfmiddlewaretoken.value;
  var pending = {};

  function say(kind) { if (state) { state.textContent = state.dataset[kind]; state.className = "save-state " + kind; } }

  function answerOf(fieldset) {
    var type = fieldset.dataset.type;
    var key = fieldset.dataset.key;
    if (type === "single_choice") {
      var picked = fieldset.querySelector("input:checked");
      return picked ? parseInt(picked.value, 10) : null;
    }
    if (type === "multiple_response") {
      var values = [];
      fieldset.querySelectorAll("input:checked").forEach(function (box) { values.push(parseInt(box.value, 10)); });
      return values;
    }
    if (type === "true_false") {
      var tf = fieldset.querySelector("input:checked");
      return tf ? tf.value === "true" : null;
    }
    if (type === "matching") {
      var pairs = {};
      fieldset.querySelectorAll("select").forEach(function (select) {
        if (select.value) pairs[select.dataset.left] = select.value;
      });
      return Object.keys(pairs).length ? pairs : null;
    }
    var text = fieldset.querySelector("[name='q-" + key + "']").value;
    return text.trim() ? text : null;
  }

  function save(fieldset, attempt) {
    var key = fieldset.dataset.key;
    var version = form.querySelector("[name='v-" + key + "']");
    var answer = answerOf(fieldset);
    say("saving");
    fetch(form.dataset.saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ key: key, answer: answer, version: parseInt(version.value, 10) })
    }).then(function (response) {
      // 5xx (a restarting database, a worker gone): send it again; if the first try was
      // stored after all, the retry hears so from the 409 below.
      if (response.status >= 500) throw new Error("unavailable");
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      if (result.status === 200) { version.value = result.body.version; say("saved"); return; }
      if (result.body.error === "stale") {
        // Our earlier try was stored but its reply lost (so this retry is stale): the answer
        // is saved; take the current version, or every later change here would be refused.
        if ("version" in result.body && JSON.stringify(result.body.answer) === JSON.stringify(answer)) {
          version.value = result.body.version; say("saved"); return;
        }
        say("stale"); return;
      }
      if (result.body.error === "deadline" || result.body.error === "closed") { say("closed"); window.location.reload(); return; }
      say("failed");
    }).catch(function () {
      say("failed");
      if ((attempt || 0) < 5) setTimeout(function () { save(fieldset, (attempt || 0) + 1); }, 2000 * ((attempt || 0) + 1));
    });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) save(fieldset);
  });
  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset || event.target.tagName === "SELECT" || event.target.type === "radio" || event.target.type === "checkbox") return;
    clearTimeout(pending[fieldset.dataset.key]);
    pending[fieldset.dataset.key] = setTimeout(function () { save(fieldset); }, 800);
  });

  var saved = document.getElementById("saved-matches");
  if (saved) {
    var matches = JSON.parse(saved.textContent);
    Object.keys(matches).forEach(function (key) {
      Object.keys(matches[key]).forEach(function (left) {
        var select = document.getElementById("q-" + key + "-" + left);
        if (select) select.value = matches[key][left];
      });
    });
  }

  var timer = document.querySelector(".timer");
  if (timer) {
    var offset = Date.parse(timer.dataset.now) - Date.now();
    var deadline = Date.parse(timer.dataset.deadline);
    var value = timer.querySelector(".timer-value");
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      value.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timer.classList.toggle("urgent", left <= 60);
      if (left === 0) { clearInterval(handle); form.submit(); }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
})();
