// Swagger UI over the service's own OpenAPI document. Module scripts run after deferred
// classic ones, so SwaggerUIBundle is defined here.
window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: false, tryItOutEnabled: false });
