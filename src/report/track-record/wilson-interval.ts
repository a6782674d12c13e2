/** Wilson score interval for a binomial proportion: honest at small samples and near 0 or 1, unlike p ± z·√(p(1−p)/n). */
export function wilsonInterval(hits: number, n: number, z = 1.959964): [number, number] | null {
  if (n <= 0) return null;
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
