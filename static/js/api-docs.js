/* onestop: starts Swagger UI on the API documentation page (templates/api/docs.html) with
   the settings the server put in the page. "Try it out" requests carry the CSRF token, so a
   signed-in session can call the operations that change things. */
(function () {
  "use strict";

  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var token = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (token) {
    settings.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = token;
      return request;
    };
  }
  window.ui = SwaggerUIBundle(settings);
})();
