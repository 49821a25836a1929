// Writing a generated file without following a symbolic link: a link planted where the file goes (dangling
// or not) would send the write, and the chmod, to a place the user never chose.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';

export type Existing = 'none' | 'file' | 'link' | 'other';

/** What is at `path` now, without following a link. */
export async function existingAt(path: string): Promise<Existing> {
  try {
    const st = await lstat(path);
    return st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : 'other';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw e;
  }
}

export class UnsafeTargetError extends Error {}

/**
 * Writes `text` to `path` with `mode`. `replace` false: the file must not exist (O_EXCL, which never
 * follows a link). `replace` true: only a regular file is replaced, opened with O_NOFOLLOW so that a link
 * swapped in after the question is refused; the mode is set on the open file, never through a path.
 */
export async function writeNoFollow(path: string, text: string, opts: { replace: boolean; mode?: number }): Promise<void> {
  const mode = opts.mode ?? 0o644;
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW
    | (opts.replace ? constants.O_TRUNC : constants.O_EXCL);
  let handle;
  try {
    handle = await open(path, flags, mode);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EEXIST') throw new UnsafeTargetError(code === 'ELOOP' ? 'is a symbolic link' : 'appeared while writing');
    throw e;
  }
  try {
    if (!(await handle.stat()).isFile()) throw new UnsafeTargetError('is not a regular file');
    await handle.writeFile(text);
    await handle.chmod(mode);
  } finally {
    await handle.close();
  }
}
