// The spec's reference on the documentation site: Swagger UI from the site's own files
// (swagger-ui-bundle's, copied by tools/packaging/docs_site.py), reading openapi.yaml beside this page.
// Read-only: no "Try it out" (a page opened from the site must not call the live service),
// and no validator badge (it would send the spec's URL to validator.swagger.io).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "openapi.yaml",
    dom_id: "#swagger-ui",
    deepLinking: true,
    supportedSubmitMethods: [],
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
