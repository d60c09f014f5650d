/* Show only the fields that belong to the chosen kind of moment; the form works without. */
(function () {
  var form = document.getElementById("moment-form");
  function update() {
    var kind = form.querySelector("input[name=kind]:checked");
    var rule = form.elements.rule_kind.value, trigger = form.elements.trigger_kind.value;
    form.querySelectorAll("[data-kind]").forEach(function (part) {
      part.hidden = kind !== null && part.dataset.kind !== kind.value;
    });
    form.querySelectorAll("[data-show]").forEach(function (field) {
      var chosen = field.closest("[data-kind=relation]") ? trigger : rule;
      field.hidden = field.dataset.show.split(" ").indexOf(chosen) < 0;
    });
    var channels = ["channel_1", "channel_2", "channel_3"].map(function (name) {
      return form.elements[name].value;
    });
    form.querySelectorAll("[data-channels]").forEach(function (field) {
      var needed = field.dataset.channels.split(" ").some(function (channel) {
        return channels.indexOf(channel) >= 0;
      });
      // A field that holds text, or a problem, stays in sight.
      var filled = Array.prototype.some.call(
        field.querySelectorAll("input, textarea, select"),
        function (element) { return element.value !== ""; }
      );
      field.hidden = !needed && !filled && !field.querySelector(".error");
    });
  }
  form.addEventListener("change", update);
  update();
})();
