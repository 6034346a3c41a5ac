const labelPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Why `host` is not a fully qualified domain name (RFC 1123 labels, at least two of them,
 * a non-numeric top-level label so IP addresses are refused), or undefined if it is one.
 */
export function fqdnProblem(host: string): string | undefined {
  if (host.length === 0) return 'it is empty';
  if (host.length > 253) return `it is ${host.length} characters long, the limit is 253`;
  const labels = host.split('.');
  if (labels.length < 2) return 'it needs at least two dot-separated labels';
  for (const label of labels) {
    if (label.length === 0)
      return 'it has an empty label (two dots in a row, or a leading or trailing dot)';
    if (label.length > 63)
      return `the label starting ${label.slice(0, 8)} is longer than 63 characters`;
    if (!labelPattern.test(label)) {
      return `the label ${JSON.stringify(label)} may only use letters, digits and inner hyphens`;
    }
  }
  if (/^[0-9]+$/.test(labels.at(-1) ?? '')) return 'an IP address is not a domain name';
  return undefined;
}
