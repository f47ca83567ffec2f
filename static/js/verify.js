// Compares a chosen PDF's SHA-256 with the issued one, in the browser: nothing is uploaded.
(function () {
  const input = document.getElementById("pdf-check");
  const result = document.getElementById("pdf-check-result");
  if (!input || !result || !window.crypto || !window.crypto.subtle) return;
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    const same = hex === input.dataset.expected;
    result.textContent = same ? result.dataset.same : result.dataset.different;
    result.className = same ? "status done" : "status fail";
  });
})();
