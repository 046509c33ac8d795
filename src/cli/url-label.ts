import { UsageError } from './usage-error.js';

/**
 * A store URL without its password, for messages; a usage error naming the flag when it is
 * not a URL, or not of one of `protocols`.
 */
export function urlLabel(url: string, flag: string, protocols: string[], example: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${flag} needs a URL like ${example}, not "${url}"`);
  }
  if (!protocols.includes(parsed.protocol))
    throw new UsageError(
      `${flag} needs a ${protocols.map((p) => `${p}//`).join(' or ')} URL, not "${parsed.protocol}"`,
    );
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
