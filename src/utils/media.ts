import { InvalidInputError } from '../errors/invalid-input-error.js';

/** Base64 data with its sniffed MIME type. */
export interface Media {
  data: string;
  mediaType: string;
}

const SIGNATURES: Array<[string, number[], number?]> = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x57, 0x45, 0x42, 0x50], 8],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46]],
];

/**
 * Reads a base64 string or a data URL and sniffs its MIME type from the first bytes
 * (PNG, JPEG, GIF, WebP, PDF); never assumes JPEG.
 *
 * @example
 * ```ts
 * parseMedia('data:image/png;base64,iVBORw0KGgo=', 'images[0]').mediaType; // 'image/png'
 * ```
 */
export function parseMedia(value: string, field: string): Media {
  let data = value.trim();
  let declared: string | undefined;
  const match = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(data);
  if (match) {
    if (!match[2]) throw new InvalidInputError(field, 'data URLs must be base64-encoded');
    declared = match[1];
    data = match[3] ?? '';
  }
  if (/^https?:\/\//.test(data)) {
    throw new InvalidInputError(field, 'pass base64 data or a data URL, not a web address');
  }
  if (!/^[A-Za-z0-9+/=_-]+$/.test(data)) {
    throw new InvalidInputError(field, 'not valid base64 data');
  }
  const head = Buffer.from(data.slice(0, 24), 'base64');
  for (const [type, bytes, offset = 0] of SIGNATURES) {
    if (bytes.every((b, i) => head[offset + i] === b)) return { data, mediaType: type };
  }
  if (declared) return { data, mediaType: declared };
  throw new InvalidInputError(field, 'unknown file type (expected PNG, JPEG, GIF, WebP or PDF)');
}
