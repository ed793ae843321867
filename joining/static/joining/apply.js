// The application form: suggestions of public partners as one types the organisation's name,
// the fields of the chosen kind and proposal only, and focus on the list of errors if any.
// Without JavaScript the form works the same: all fields show, the name typed in full is read.
(function () {
  "use strict";

  var form = document.querySelector("form.join-form[data-search-url]");
  if (!form) return;

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Suggestions of public partners (allas/static/js/suggestions.js).
  var searchUrl = form.getAttribute("data-search-url");
  if (window.allasSuggestions) {
    window.allasSuggestions(form, function (input, query) {
      return searchUrl + "?q=" + encodeURIComponent(query);
    });
  }

  // Fields that apply to one choice only: the institution's type, a city's official name,
  // the network and role of a membership, the title of an agreement or an activity. A field
  // with an error stays in sight.
  var groups = form.querySelectorAll(".join-when[data-when]");
  function showChosenFields() {
    groups.forEach(function (group) {
      var name = group.getAttribute("data-when");
      var checked = form.querySelector('input[name="' + name + '"]:checked');
      var wanted = group.getAttribute("data-values").split(" ");
      var hasError = group.querySelector(".has-error") !== null;
      group.hidden = checked !== null && wanted.indexOf(checked.value) === -1 && !hasError;
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "proposal" || event.target.name === "kind") showChosenFields();
  });
  showChosenFields();
})();
