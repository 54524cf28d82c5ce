// Swagger UI for this mock: the spec comes from /docs/openapi.json, whose only server is this
// mock, so "Try it out" calls the mock and nothing else. No inline script: the CSP forbids it.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/docs/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
