// Target QEfficient version: "MAJOR.MINOR" or "MAJOR.MINOR.PATCH", compared numerically.
export interface Version { major: number; minor: number; patch: number; text: string }

const VERSION_RE = /^(\d+)\.(\d+)(?:\.(\d+))?/;

/** Accepts "1.22", "1.22.8" and also detected versions such as "1.22.8.0" or "1.23.0.dev0". */
export function parseVersion(text: string | undefined): Version | undefined {
  const m = text === undefined ? null : VERSION_RE.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: text!.trim() };
}

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** No version means the latest, treated as >= 1.22. */
export function isAtLeast(v: Version | undefined, major: number, minor: number): boolean {
  if (!v) return true;
  return compareVersions(v, { major, minor, patch: 0, text: '' }) >= 0;
}

/** v1.21.0 and older report "0.0.1.dev0": such a version says nothing. */
export function isMeaningfulDetectedVersion(v: Version | undefined): boolean {
  return !!v && !(v.major === 0 && v.minor === 0);
}

/** Where the target version for the rules came from, when a config pins none. */
export type TargetSource = 'setting' | 'detected' | 'latest';

/**
 * The version the rules target when a config has no `qefficientVersion`: an explicit setting
 * (`qeffDisagg.qefficientVersion`) wins, because the user said so; else the version of the QEfficient the
 * selected interpreter imports; else none, which the rules read as the latest (upstream main).
 */
export function targetVersionOf(setting: string | undefined, detected: string | undefined): { version?: string; source: TargetSource } {
  const explicit = setting?.trim();
  if (explicit) return { version: explicit, source: 'setting' };
  if (detected) return { version: detected, source: 'detected' };
  return { source: 'latest' };
}
