// Show a form field only when the choice it belongs to is made: a field whose input carries
// data-shown-when="NAME:VALUE" is shown while the radio button NAME has VALUE checked.
// Without JavaScript every field stays visible and the server checks what applies.
(function () {
  "use strict";
  function update(form) {
    form.querySelectorAll("[data-shown-when]").forEach(function (input) {
      var rule = input.getAttribute("data-shown-when").split(":");
      var chosen = form.querySelector('input[name="' + rule[0] + '"]:checked');
      var wrapper = input.closest(".form-field");
      if (wrapper) {
        wrapper.hidden = !(chosen && chosen.value === rule[1]);
      }
    });
  }
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-shown-when]")) {
      return;
    }
    form.addEventListener("change", function () {
      update(form);
    });
    update(form);
  });
})();
