export { DEFAULT_SQLITE_PATH, type OpenSqliteOptions, openSqlite, transaction } from './sqlite.js';
