/**
 * Path globs for rule matching: `*` is one path segment, `**` any number of segments,
 * anything else is literal. `/v1/esims/*\/topups` matches every eSIM's top-ups.
 */
export function isValidGlob(glob: string): boolean {
  if (!glob.startsWith('/')) return false;
  return glob
    .split('/')
    .every((segment) => segment === '*' || segment === '**' || !/[*?[\]{}]/.test(segment));
}

/** Whether `path` (no query string) matches `glob`. */
export function matchesGlob(glob: string, path: string): boolean {
  return matchSegments(glob.split('/').slice(1), path.split('/').slice(1));
}

function matchSegments(glob: readonly string[], path: readonly string[]): boolean {
  const [head, ...rest] = glob;
  if (head === undefined) return path.length === 0;
  if (head === '**') {
    for (let i = 0; i <= path.length; i++) if (matchSegments(rest, path.slice(i))) return true;
    return false;
  }
  const [segment, ...remaining] = path;
  if (segment === undefined) return false;
  return (head === '*' || head === segment) && matchSegments(rest, remaining);
}
