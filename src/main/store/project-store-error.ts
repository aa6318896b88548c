/** Every failure of the project store names the database file and says what is wrong with it. */
export type ProjectStoreErrorCode =
  | 'not-found' // the folder or the database file does not exist (and create was not asked for)
  | 'not-sqlite' // the file is not an SQLite database
  | 'foreign' // an SQLite database of another application
  | 'newer-schema' // written by a newer Causeway than this one
  | 'corrupt' // SQLite's integrity check failed or a page could not be read
  | 'invalid-input' // a caller passed something the store refuses to save
  | 'invalid-data' // a stored value fails the schema it is read with
  | 'conflict' // the write contradicts what is stored (a batch stored twice, a build key reused)
  | 'read-only' // the file or its folder cannot be written (or the project was opened for reading)
  | 'write-failed' // a write failed for lack of space or an I/O error
  | 'locked'; // another process is writing to the project

export class ProjectStoreError extends Error {
  constructor(
    readonly file: string,
    readonly code: ProjectStoreErrorCode,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file} ${problem}`, options);
    this.name = 'ProjectStoreError';
  }
}
