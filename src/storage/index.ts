export {
  checkSqliteNode,
  DEFAULT_SQLITE_PATH,
  LazyDatabase,
  type OpenSqliteOptions,
  openSqlite,
  SQLITE_NODE_MINIMUM,
  transaction,
} from './sqlite.js';
