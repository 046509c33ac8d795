import { InvalidInputError } from '../../errors/invalid-input-error.js';

/**
 * Refuses a base URL that carries credentials (`https://user:token@host`): fetch would refuse
 * it anyway and quote it, token and all, in its error. The error here never echoes the URL.
 */
export function checkBaseUrl(url: string | undefined, field = 'baseURL'): void {
  if (url === undefined) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(field, 'must be an absolute URL such as https://host/v1');
  }
  if (parsed.username || parsed.password) {
    throw new InvalidInputError(
      field,
      'must not carry credentials (user:password@host); pass the key as apiKey or a header',
    );
  }
}
