/**
 * The recently opened projects, newest first, kept in a small JSON file in the user data folder.
 * A missing or unreadable file is an empty list (it is a convenience, never a reason to fail).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { RecentProject } from '../../../shared/dto.js';
import { writeFileAtomic } from '../../store/atomic-write.js';
import { DB_FILE_NAME } from '../../store/schema.js';

const MAX_RECENT = 12;

interface Stored {
  dir: string;
  name: string;
  openedAt: string;
}

export class RecentProjects {
  constructor(readonly file: string) {}

  list(): RecentProject[] {
    return this.read().map((r) => ({ ...r, exists: existsSync(resolve(r.dir, DB_FILE_NAME)) }));
  }

  async add(dir: string, name: string, now = new Date()): Promise<void> {
    const abs = resolve(dir);
    const rest = this.read().filter((r) => r.dir !== abs);
    await this.write([{ dir: abs, name, openedAt: now.toISOString() }, ...rest].slice(0, MAX_RECENT));
  }

  async remove(dir: string): Promise<void> {
    const abs = resolve(dir);
    await this.write(this.read().filter((r) => r.dir !== abs));
  }

  private read(): Stored[] {
    try {
      const raw = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (!Array.isArray(raw)) return [];
      return raw.filter(
        (r): r is Stored => typeof r === 'object' && r !== null && typeof r.dir === 'string' && typeof r.name === 'string' && typeof r.openedAt === 'string',
      );
    } catch {
      return [];
    }
  }

  private async write(list: Stored[]): Promise<void> {
    mkdirSync(dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(list, null, 2)}\n`);
  }
}
