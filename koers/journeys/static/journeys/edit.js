/* "regel 12 van de stappen" puts the cursor on that line of the steps, where the step begins. */
document.getElementById("journey-form").addEventListener("click", function (event) {
  var button = event.target.closest("[data-goto-line]");
  if (!button) { return; }
  var steps = document.getElementById("id_steps");
  var lines = steps.value.split("\n"), line = Number(button.dataset.gotoLine) - 1;
  var start = lines.slice(0, line).join("\n").length + (line > 0 ? 1 : 0);
  steps.focus();
  steps.setSelectionRange(start, start + (lines[line] || "").length);
  var height = steps.scrollHeight / Math.max(lines.length, 1);
  steps.scrollTop = Math.max(0, (line - 2) * height);
});
