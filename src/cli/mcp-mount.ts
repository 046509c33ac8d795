import { basename } from 'node:path';
import type { Tool } from '../llm/tool.js';
import { loadPeer } from './redis-stores.js';
import { UsageError } from './usage-error.js';

/** An MCP server mounted for the showcase: its tools, what to call it, how to let it go. */
export interface MountedMcp {
  tools: Record<string, Tool>;
  label: string;
  close(): Promise<void>;
}

/**
 * `--mcp <url | command line>`: connects to an MCP server (Streamable HTTP or SSE at a URL;
 * otherwise a command started over stdio, split on spaces, quotes keeping words together).
 * Its tools get the prefix `mcp_`.
 */
export async function mountMcp(spec: string): Promise<MountedMcp> {
  const { mcpTools } = await loadPeer(
    () => import('../mcp/index.js'),
    '@modelcontextprotocol/sdk',
    '--mcp',
  );
  const remote = /^https?:\/\//i.test(spec);
  const words = remote ? [] : splitCommand(spec);
  const [command, ...args] = words;
  if (!remote && !command)
    throw new UsageError('--mcp needs a URL or the command that starts an MCP server');
  const mcp = await mcpTools(
    remote
      ? { url: spec, prefix: 'mcp_' }
      : { command: command as string, args, prefix: 'mcp_', timeoutMs: 60_000 },
  ).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`--mcp could not reach the MCP server (${reason})`);
  });
  // The URL's origin (no path, no credentials), or the command line without directories.
  const label = remote ? new URL(spec).origin : words.map((w) => basename(w)).join(' ');
  return { tools: mcp.tools, label, close: () => mcp.close() };
}

/** A command line split into words; "double" or 'single' quotes keep spaces inside a word. */
export function splitCommand(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g))
    words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}
