export {
  McpConnectionError,
  type McpHttpServer,
  type McpStdioServer,
  type McpTools,
  type McpToolsOptions,
  mcpTools,
} from './mcp-tools.js';
