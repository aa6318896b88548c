/**
 * The removal orders one set of ablation curves runs: every criterion least- and most-important
 * first, the true-ablation order both ways (a reference), and random least-first per seed — a
 * reversed random order is again random, so one direction serves as the band for both.
 */
import { type Direction, removalOrder } from './ablation-curves.js';
import type { Criterion, CriterionName } from './criteria.js';

export interface CurveOrder {
  name: CriterionName | 'true-ablation';
  direction: Direction;
  seed?: number;
  order: number[];
}

export function curveOrders(criteria: Criterion[], random: Criterion[], truth: number[], scoresOf: (c: Criterion) => number[] | undefined): CurveOrder[] {
  const orders: CurveOrder[] = [];
  const both = (name: CurveOrder['name'], scores: number[]) =>
    (['leastFirst', 'mostFirst'] as const).forEach((direction) => orders.push({ name, direction, order: removalOrder(scores, direction) }));
  for (const c of criteria) {
    const scores = scoresOf(c);
    if (scores) both(c.name, scores);
  }
  both('true-ablation', truth);
  for (const r of random) {
    const scores = scoresOf(r);
    if (scores) orders.push({ name: 'random', direction: 'leastFirst', seed: r.seed, order: removalOrder(scores, 'leastFirst') });
  }
  return orders;
}

/** The accuracy row of one order in a curve set run with `orders`. */
export function curveRow(accuracy: number[][], orders: CurveOrder[], name: CurveOrder['name'], direction: Direction, seed?: number): number[] {
  const i = orders.findIndex((o) => o.name === name && o.direction === direction && o.seed === seed);
  if (i < 0) throw new RangeError(`no ${direction} curve for ${name}${seed === undefined ? '' : ` (seed ${seed})`}`);
  return accuracy[i];
}
