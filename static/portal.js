// Print buttons on receipts and tracking results (the Content-Security-Policy forbids inline handlers).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// The commitment form shows the letter of the chosen type only; without this script the page links
// to each type's letter instead.
document.addEventListener("change", function (event) {
  if (event.target.name !== "type" || !document.querySelector("details[data-letter]")) {
    return;
  }
  document.querySelectorAll("details[data-letter]").forEach(function (letter) {
    letter.hidden = letter.dataset.letter !== event.target.value;
  });
});
