// Suggestions for text boxes with a datalist, filled as one types from a JSON address that
// answers {"results": [{"value": …, "label": …}]}: the partner boxes of the staff forms and of
// the application form. Without JavaScript the boxes still work: the name typed in full is read.
(function () {
  "use strict";

  // allasSuggestions(form, urlFor): urlFor(input, query) is the address asked for a query.
  window.allasSuggestions = function (form, urlFor) {
    var timer = null;
    var lastQuery = {};
    function suggest(input) {
      var listId = input.getAttribute("list");
      var list = listId && document.getElementById(listId);
      var query = input.value.trim();
      if (!list || query.length < 2 || lastQuery[listId] === query) return;
      lastQuery[listId] = query;
      fetch(urlFor(input, query), {
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
  };
})();
