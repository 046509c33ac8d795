export {
  DEFAULT_SQLITE_PATH,
  LazyDatabase,
  type OpenSqliteOptions,
  openSqlite,
  transaction,
} from './sqlite.js';
