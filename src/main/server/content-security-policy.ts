/**
 * The renderer's Content-Security-Policy, one definition for both hosts: only our own scripts and
 * styles, images from our origin or data: URLs (previews), no frames, no plugins, no remote content.
 * The WebSocket of web mode is the only connection allowed, and only back to our own server.
 */
export function contentSecurityPolicy(options: { connect?: string[] } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${options.connect?.length ? ` ${options.connect.join(' ')}` : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
