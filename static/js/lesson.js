// Completes the lesson when its end comes into view; the button does the same without JS.
(function () {
  var form = document.querySelector(".complete-form[data-auto-complete='1']");
  if (!form || !("IntersectionObserver" in window)) return;
  var sent = false;
  var observer = new IntersectionObserver(function (entries) {
    if (sent || !entries[0].isIntersecting) return;
    sent = true;
    observer.disconnect();
    fetch(form.action, {
      method: "POST",
      headers: { "Accept": "application/json", "X-CSRFToken": form.csrfmiddlewaretoken.value },
      body: new FormData(form),
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { sent = false; return; }
      var status = document.getElementById("lesson-status");
      var button = form.querySelector("button");
      if (button) button.remove();
      if (status) status.textContent = "✓ " + form.dataset.doneText;
    });
  }, { threshold: 1.0 });
  // Wait a moment so that opening a short lesson is not the same as reading it.
  setTimeout(function () { observer.observe(form); }, 8000);
})();
