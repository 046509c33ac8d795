import { MissingPackageError } from '../errors/missing-package-error.js';

/**
 * Imports an optional peer package on first use. When the package itself is missing, a
 * `MissingPackageError` says which one to install; any other failure (a broken install, a
 * missing package of its own) is rethrown as it is.
 */
export async function importOptional<T>(
  packageName: string,
  feature: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissing(error, packageName)) {
      throw new MissingPackageError(packageName, feature, { cause: error });
    }
    throw error;
  }
}

/** Node (`ERR_MODULE_NOT_FOUND`), bundlers and other runtimes name the package they miss. */
function isMissing(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const named = message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
  return (
    (code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /cannot find/i.test(message)) &&
    (named || message.includes(`${packageName}/`))
  );
}
