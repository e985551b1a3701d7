/**
 * The renderer's Content-Security-Policy, one copy for every way it is served:
 * the Electron window's responses, `timelapser serve`, and the page's own meta
 * tag (written into index.html at build). Our code only, images and videos
 * from our origin or the app's scheme, no eval, no remote anything.
 */
const DIRECTIVES: [directive: string, sources: string][] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' timelapser: data: blob:"],
  // Rendered videos play in a <video> from our origin or the app's scheme.
  ['media-src', "'self' timelapser: blob:"],
  // The player fetches frames to decode them before they are shown: from the app's scheme too.
  ['connect-src', "'self' timelapser:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.map((entry) => entry.join(' ')).join('; ');

/** A meta tag cannot carry frame-ancestors (browsers ignore it there and say so). */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter(
  ([directive]) => directive !== 'frame-ancestors',
)
  .map((entry) => entry.join(' '))
  .join('; ');
