/** The environment option every provider client takes. */
export interface EnvOption {
  /**
   * Where a missing `apiKey` is looked up (the variable each client names). Reading the
   * environment is your app's outermost edge: pass `env: {}` to turn the lookup off, or your
   * own record to supply keys from elsewhere.
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The API key: `apiKey` when given, else the first named variable of `env` (default
 * `process.env`) that is set. The one place a provider client reads the environment.
 */
export function apiKeyFrom(
  config: EnvOption & { apiKey?: string },
  ...names: string[]
): string | undefined {
  if (config.apiKey !== undefined) return config.apiKey;
  const env = config.env ?? process.env;
  for (const name of names) {
    const value = env[name];
    if (value) return value;
  }
  return undefined;
}

/** The client options with the API key added to the values masked in every error. */
export function withSecret<T extends { secrets?: readonly string[] }>(
  options: T,
  key: string | undefined,
): T {
  return key ? { ...options, secrets: [...(options.secrets ?? []), key] } : options;
}
