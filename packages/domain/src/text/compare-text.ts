/** Plain code-unit order, so sorted output is the same under every locale. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
