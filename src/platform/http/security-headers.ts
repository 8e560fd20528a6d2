// Browser protections sent with every response of every process (dashboard, API, docs, errors).

const policy = (directives: Record<string, string>) =>
  Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join("; ");

// default-src covers what is not named (styles, fonts, connections, frames, workers); the others
// say what default-src does not: data: images, and the four directives that do not fall back to it
// or that the brief wants stricter.
const STRICT = {
  "default-src": "'self'",
  // Scripts only from files this origin serves: no inline code, no eval, no CDN.
  "script-src": "'self'",
  // data: for the dashboard's favicon, an inline SVG.
  "img-src": "'self' data:",
  "object-src": "'none'",
  "base-uri": "'none'",
  "form-action": "'self'",
  "frame-ancestors": "'none'",
};

/** The policy of every response but the API reference page: the dashboard is built to it (no inline script or style). */
export const CONTENT_SECURITY_POLICY = policy(STRICT);

/**
 * The API reference page's policy. Scalar's bundle is a Vue app that injects its styles as <style>
 * elements at run time and sets style attributes (Chromium reports each under style-src 'self'),
 * so this one page allows inline styles. Scripts stay as strict as everywhere: its bundle and its
 * start file, both served from here.
 */
export const API_REFERENCE_CONTENT_SECURITY_POLICY = policy({ ...STRICT, "style-src": "'self' 'unsafe-inline'" });

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
};
