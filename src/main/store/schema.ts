/**
 * The project database's identity and tables. One file per project folder; every cache entry is
 * keyed by content hashes (see hashing.ts), so nothing here needs invalidation logic: a changed
 * input simply produces a new key.
 */

/** The database's file name inside the project folder. */
export const DB_FILE_NAME = 'project.causeway.sqlite';

/** `PRAGMA application_id` of every Causeway project database: "CAUW" in ASCII. */
export const APPLICATION_ID = 0x43415557;

/** The first 16 bytes of every SQLite 3 database file. */
export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Schema 1. STRICT tables so a wrong type is an error instead of a silently coerced value; JSON
 * columns are checked with json_valid. A build's progress is the number of its `build_batches`
 * rows (counted, never a separate counter that could disagree with the rows).
 */
export const SCHEMA_V1 = `
CREATE TABLE project (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  settings TEXT NOT NULL CHECK (json_valid(settings)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- A keyed, batched computation (φ extraction, ground-truth ablation, …); finished when all
-- total_batches batches are stored.
CREATE TABLE builds (
  build_key TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  settings TEXT NOT NULL CHECK (json_valid(settings)),
  total_batches INTEGER NOT NULL CHECK (total_batches >= 0),
  created_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;

-- One row per committed batch, written in the same transaction as the batch's data. The row tags
-- of a φ batch: images = int32 dataset image index per row; interventions = JSON array with one
-- entry per row, null (observational) or {"layer", "channels"} (the channels zeroed in that layer);
-- NULL when every row is observational.
CREATE TABLE build_batches (
  build_key TEXT NOT NULL REFERENCES builds (build_key) ON DELETE CASCADE,
  batch_index INTEGER NOT NULL CHECK (batch_index >= 0),
  row_count INTEGER NOT NULL CHECK (row_count >= 0),
  images BLOB CHECK (images IS NULL OR length(images) = 4 * row_count),
  interventions TEXT CHECK (interventions IS NULL OR json_valid(interventions)),
  done_at TEXT NOT NULL,
  PRIMARY KEY (build_key, batch_index)
) STRICT;

-- φ of one (layer, transform) for the rows of one batch: row_count × col_count float32, row-major.
CREATE TABLE phi_batches (
  build_key TEXT NOT NULL,
  layer TEXT NOT NULL,
  phi TEXT NOT NULL,
  batch_index INTEGER NOT NULL,
  row_count INTEGER NOT NULL CHECK (row_count >= 0),
  col_count INTEGER NOT NULL CHECK (col_count >= 0),
  data BLOB NOT NULL CHECK (length(data) = 4 * row_count * col_count),
  PRIMARY KEY (build_key, layer, phi, batch_index),
  FOREIGN KEY (build_key, batch_index) REFERENCES build_batches (build_key, batch_index) ON DELETE CASCADE
) STRICT;
CREATE INDEX phi_batches_by_batch ON phi_batches (build_key, batch_index);

-- Fitted equations, rankings, evaluation results: JSON plus an optional binary payload.
CREATE TABLE artifacts (
  kind TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL CHECK (json_valid(value)),
  blob BLOB,
  created_at TEXT NOT NULL,
  PRIMARY KEY (kind, key)
) STRICT;

-- The user's intervention history, in the order it was run.
CREATE TABLE interventions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at TEXT NOT NULL,
  spec TEXT NOT NULL CHECK (json_valid(spec)),
  scm_result TEXT CHECK (scm_result IS NULL OR json_valid(scm_result)),
  real_result TEXT CHECK (real_result IS NULL OR json_valid(real_result))
) STRICT;
`;
