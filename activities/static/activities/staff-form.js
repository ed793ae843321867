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

  // Suggestions from the staff search address (allas/static/js/suggestions.js).
  var searchUrl = form.getAttribute("data-search-url");
  if (searchUrl && window.allasSuggestions) {
    window.allasSuggestions(form, function (input, query) {
      var url = searchUrl + "?q=" + encodeURIComponent(query);
      return input.getAttribute("list") === "city-suggestions" ? url + "&kind=city" : url;
    });
  }
})();
