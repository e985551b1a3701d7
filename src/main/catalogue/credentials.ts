/**
 * Camera passwords never leave the core: the API shows them masked, and an
 * edit that sends the mask back keeps the stored password.
 */
export const PASSWORD_MASK = '********';

export interface SourceCredentials {
  source_url: string | null;
  source_options: Record<string, unknown>;
}

/** The URL's password and the options' password replaced by the mask. */
export function maskCredentials(source: SourceCredentials): SourceCredentials {
  const options = { ...source.source_options };
  if (typeof options.password === 'string' && options.password !== '') options.password = PASSWORD_MASK;
  return { source_url: mapUrlPassword(source.source_url, () => PASSWORD_MASK), source_options: options };
}

/** Where an edit carries the mask, the current password stands. */
export function restoreMaskedCredentials(edit: SourceCredentials, current: SourceCredentials): SourceCredentials {
  const options = { ...edit.source_options };
  if (options.password === PASSWORD_MASK) options.password = current.source_options.password;
  const currentPassword = urlPassword(current.source_url);
  const url = mapUrlPassword(edit.source_url, (password) =>
    password === PASSWORD_MASK && currentPassword !== null ? currentPassword : password,
  );
  return { source_url: url, source_options: options };
}

function urlPassword(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.password ? decodeURIComponent(parsed.password) : null;
  } catch {
    return null;
  }
}

function mapUrlPassword(url: string | null, map: (password: string) => string): string | null {
  const password = urlPassword(url);
  if (url === null || password === null) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(map(password));
  return parsed.toString();
}
