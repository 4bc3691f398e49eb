// Starts Swagger UI on /api/docs (a file of its own: the CSP forbids inline scripts;
// loaded with `defer` after the bundle, so the page is parsed and the bundle is there).
window.SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
