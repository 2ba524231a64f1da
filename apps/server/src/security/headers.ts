/**
 * Security headers on every response, the web app's pages and assets included (OWASP ASVS V14.4).
 *
 * The Content-Security-Policy allows scripts only from this origin and no inline script: the Vite
 * build emits one external module script and external CSS. `style-src` is `'self'` without
 * `'unsafe-inline'`: React (and recharts, which renders through React) apply `style={…}` props through
 * the CSSOM (`element.style.x = …`), which CSP does not govern; CSP only blocks inline `<style>`
 * elements and `style="…"` attributes in markup, which the built app does not contain.
 */
import type { FastifyInstance } from 'fastify';
import { isApiRequest } from './request-guard.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // For browsers that predate frame-ancestors.
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy':
    'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
};

/** Strict-Transport-Security: only in production, where the server is reached over HTTPS. */
const HSTS = 'max-age=31536000; includeSubDomains';

export function registerSecurityHeaders(
  app: FastifyInstance,
  options: { readonly production: boolean },
): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value);
    if (options.production) reply.header('strict-transport-security', HSTS);
    // Patient data must not linger in shared or browser caches.
    if (isApiRequest(request)) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
