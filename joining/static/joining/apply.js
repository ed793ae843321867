// The application form: suggestions of public partners as one types the organisation's name,
// the fields of the chosen kind and proposal only, and focus on the list of errors if any.
// Without JavaScript the form works the same: all fields show, the name typed in full is read.
(function () {
  "use strict";

  var form = document.querySelector("form.join-form[data-search-url]");
  if (!form) return;

  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // Suggestions: fill the datalist of the partner box from the public search address.
  var searchUrl = form.getAttribute("data-search-url");
  var timer = null;
  var lastQuery = "";
  function suggest(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var query = input.value.trim();
    if (!list || query.length < 2 || query === lastQuery) return;
    lastQuery = query;
    fetch(searchUrl + "?q=" + encodeURIComponent(query), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        list.textContent = "";
        data.results.forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.value;
          option.textContent = item.label;
          list.appendChild(option);
        });
      })
      .catch(function () { /* suggestions are a convenience; typing the name still works */ });
  }
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[list]")) return;
    clearTimeout(timer);
    timer = setTimeout(function () { suggest(input); }, 200);
  });

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
