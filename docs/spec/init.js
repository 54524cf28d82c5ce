// The spec's reference on the documentation site: Swagger UI from the site's own files
// (swagger-ui-bundle's, copied by tools/packaging/docs_site.py), drawing the spec that openapi.js
// (written by the same hook from openapi.yaml) sets: a spec fetched by URL fails on a page opened
// from disk (file://), a script beside the page does not.
// Read-only: no "Try it out" (a page opened from the site must not call the live service),
// and no validator badge (it would send the spec's URL to validator.swagger.io).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    spec: window.CALYPTIA_CLOUD_SPEC,
    dom_id: "#swagger-ui",
    deepLinking: true,
    supportedSubmitMethods: [],
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
