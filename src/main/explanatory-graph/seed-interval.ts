/**
 * Mean over seeds with a two-sided 95% Student-t interval, mean ± t_{0.975, n−1}·s/√n (s with
 * n − 1), for results repeated over a handful of seeds [issue 16]. The quantiles are tabulated for
 * 1–30 degrees of freedom (from scipy.stats.t.ppf, checked by test/fixtures/explanatory-graph/);
 * beyond 30 the normal quantile is within 2%.
 */

// t_{0.975, df} for df = 1…30.
const T975 = [
  12.706204736432095, 4.302652729911275, 3.182446305284263, 2.7764451051977987, 2.5705818366147395, 2.4469118487916806, 2.3646242510102993, 2.3060041350333704,
  2.2621571627409915, 2.2281388519649385, 2.200985160082949, 2.1788128296634177, 2.1603686564610127, 2.1447866879169273, 2.131449545559323, 2.1199052992210112,
  2.1098155778331806, 2.10092204024096, 2.093024054408263, 2.0859634472658364, 2.079613844727662, 2.0738730679040147, 2.0686576104190406, 2.0638985616280205,
  2.059538552753294, 2.055529438642871, 2.0518305164802833, 2.048407141795244, 2.045229642132703, 2.0422724563012373,
];

export function t975(df: number): number {
  return df <= 30 ? T975[df - 1] : 1.959963984540054;
}

export function tInterval(values: number[]): { mean: number; lo: number; hi: number } {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n < 2) return { mean, lo: Number.NaN, hi: Number.NaN };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { mean, lo: mean - half, hi: mean + half };
}
