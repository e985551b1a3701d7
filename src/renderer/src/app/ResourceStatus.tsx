import type { Resource } from './use-resource';

/**
 * What a screen shows about its data while it cannot show the data itself:
 * "Loading …" the first time, "Cannot reach …; retrying" when the core is
 * away (never both), and a quiet note when the figures on screen are the last
 * ones it could read.
 */
export function ResourceStatus({ resource, what }: { resource: Resource<unknown>; what: string }) {
  if (resource.data !== null) {
    if (!resource.error) return null;
    return (
      <p className="stale-note" role="status">
        Showing the last {what} read; refreshing failed ({resource.error}). Trying again by itself…
      </p>
    );
  }
  if (resource.error) {
    return (
      <p role="alert" className="page-message error-text" data-resource-error>
        Cannot load {what}: {resource.error}. Trying again by itself…
      </p>
    );
  }
  return <p className="page-message">Loading {what}…</p>;
}
