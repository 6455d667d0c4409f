/** What the storage layer needs to open its backend; built from the validated config. */
export interface StorageOptions {
  /** `sqlite` (embedded default) or `mongo` (when MONGO_URI is set). */
  kind: 'sqlite' | 'mongo';
  /** Directory of the embedded database file (`gatehouse.db`). */
  dataDir: string;
  mongoUri: string | null;
  /** Fail fast when MongoDB is unreachable instead of buffering (RL-01). */
  mongoServerSelectionTimeoutMs: number;
  /** Key material for sealing IdP tokens at rest. */
  credsKey: string;
}
