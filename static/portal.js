// Print buttons on receipts and tracking results (the Content-Security-Policy forbids inline handlers).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
