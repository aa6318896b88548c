/** Typed access to an ONNX node's attributes, with the ONNX defaults (protobuf omits zero values). */
import { OnnxAttributeType, type OnnxAttribute, type OnnxNode, type OnnxTensor } from './onnx-proto.js';

export class NodeAttributes {
  private readonly byName: Map<string, OnnxAttribute>;

  constructor(
    node: OnnxNode,
    private readonly fail: (problem: string) => Error,
  ) {
    this.byName = new Map((node.attribute ?? []).map((a) => [a.name ?? '', a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback?: number): number {
    const a = this.byName.get(name);
    if (a === undefined) {
      if (fallback === undefined) throw this.fail(`has no attribute "${name}"`);
      return fallback;
    }
    if (a.type !== undefined && a.type !== OnnxAttributeType.INT) throw this.fail(`attribute "${name}" is not an integer`);
    return Number(a.i ?? 0);
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    if (a === undefined) return fallback;
    if (a.type === OnnxAttributeType.INT) return Number(a.i ?? 0);
    return Number(a.f ?? 0);
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a?.s ? new TextDecoder().decode(a.s) : fallback;
  }

  optionalInts(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.ints ?? []).map(Number) : undefined;
  }

  ints(name: string, fallback?: number[]): number[] {
    const v = this.optionalInts(name) ?? fallback;
    if (v === undefined) throw this.fail(`has no attribute "${name}"`);
    return v;
  }

  optionalFloats(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? (a.floats ?? []).map(Number) : undefined;
  }

  optionalTensor(name: string): OnnxTensor | undefined {
    return this.byName.get(name)?.t;
  }
}
