// Small behaviours of the staff dashboard, without inline scripts (the CSP forbids them):
// a form or button with data-confirm asks before it is sent.
document.addEventListener("submit", function (e) {
  var form = e.target;
  var button = e.submitter;
  var text = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (text && !window.confirm(text)) {
    e.preventDefault();
  }
}, true);
