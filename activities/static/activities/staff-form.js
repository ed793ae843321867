// Staff training form: "Add a row" for partner rows, and partner suggestions as one types.
// Without JavaScript the form still works: it offers a few empty rows and a short datalist.
(function () {
  "use strict";

  var form = document.querySelector("form.staff-form");
  if (!form) return;

  // Add a row: clone the formset's empty form, numbering it like Django expects.
  var addButton = document.getElementById("add-row");
  var template = document.getElementById("participation-row-template");
  var total = form.querySelector('input[name="rows-TOTAL_FORMS"]');
  var body = document.querySelector("#participation-rows tbody");
  if (addButton && template && total && body) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("tbody");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      body.appendChild(row);
      total.value = String(index + 1);
      var input = row.querySelector("input.partner-input");
      if (input) input.focus();
    });
  }

  // Suggestions: fill the datalist of the box being typed in from the staff search URL.
  var searchUrl = form.getAttribute("data-search-url");
  var timer = null;
  var lastQuery = {};
  function suggest(input) {
    var listId = input.getAttribute("list");
    var list = listId && document.getElementById(listId);
    var query = input.value.trim();
    if (!list || !searchUrl || query.length < 2 || lastQuery[listId] === query) return;
    lastQuery[listId] = query;
    var url = searchUrl + "?q=" + encodeURIComponent(query);
    if (listId === "city-suggestions") url += "&kind=city";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (!data.results.length) return;
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
})();
